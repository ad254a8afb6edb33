import type { Audit } from '../audit/service.js';
import { z } from 'zod';
import { coderNames } from '../auth/service.js';
import { hasRole, type SessionUser } from '../auth/roles.js';
import type { UserModel } from '../auth/user-model.js';
import { ValidationError, type FieldIssue } from '../http/errors.js';
import { mergeProblems, movingChildren, type MergeChoice } from './merge.js';
import type { CodebookChangeRecord, CodebookModels, CodeRecord } from './model.js';
import { codeIdSchema } from './schema.js';
import { activeCodes, codebookHistory, codeOf, getCodebook, survivingCodeId, type Codebook } from './service.js';
import { codeTree, descendantsOf, type TreeNode } from './tree.js';
import { namedUsage, type CodeUsageSource, type NamedUsage } from './usage.js';

/** What the codebook pages need: the codebooks, the codings' usage (through the port) and coders' names. */
export interface CodebookContext {
  /** The audit trail: merges and imports are recorded. */
  audit: Audit;
  models: CodebookModels;
  usage: CodeUsageSource;
  users: UserModel;
}

const notices = {
  created: 'Codebook created. Add its first code below.',
  imported: 'Codebook imported.',
  renamed: 'Name and description saved.',
  added: 'Code added.',
  edited: 'Code saved.',
  moved: 'Code moved.',
  retired: 'Code retired: it is no longer offered for coding.',
  restored: 'Code restored: it is offered for coding again.',
  merged: 'Codes merged. The merge can be undone from the history below.',
  unmerged: 'Merge undone: every coding counts for its own code again.',
} as const;
export type Saved = keyof typeof notices;

/** The codebook page's query: which change was just saved, and to which code (for the notice). */
export const codebookPageQuery = z.object({
  saved: z.enum(Object.keys(notices) as [Saved, ...Saved[]]).optional(),
  code: codeIdSchema.optional(),
});

/** Where to land after a change: the page with its notice, at the code changed. */
export function savedUrl(codebookId: string, saved: Saved, codeId?: string): string {
  const query = new URLSearchParams({ saved, ...(codeId ? { code: codeId } : {}) });
  return `/codebooks/${codebookId}?${query}#${codeId ? `code-${codeId}` : 'codebook'}`;
}

export interface CodebookPage {
  codebook: Codebook;
  tree: TreeNode<CodeRecord>[];
  active: CodeRecord[];
  usage: Map<string, NamedUsage>;
  history: CodebookChangeRecord[];
  canEdit: boolean;
  notice?: { message: string; codeId?: string };
  /** What the import found amiss in the file, shown just after an import. */
  importWarnings: string[];
  errors: FieldIssue[];
  merge: Partial<MergeChoice>;
}

async function usageOf(context: CodebookContext, codebook: Codebook): Promise<Map<string, NamedUsage>> {
  const [usage, names] = await Promise.all([
    context.usage.usage(codebook.id, (codeId) => survivingCodeId(codebook, codeId)),
    coderNames(context.users),
  ]);
  return new Map(
    codebook.codes.map((code) => [
      code.codeId,
      namedUsage(usage.get(code.codeId), names, context.usage.reconciledCoder),
    ]),
  );
}

export async function codebookPage(
  context: CodebookContext,
  codebookId: string,
  user: SessionUser,
  options: { saved?: Saved; code?: string; errors?: FieldIssue[]; merge?: Partial<MergeChoice> } = {},
): Promise<CodebookPage> {
  const [codebook, history] = await Promise.all([
    getCodebook(context.models, codebookId),
    codebookHistory(context.models, codebookId),
  ]);
  return {
    codebook,
    tree: codeTree(codebook.codes),
    active: activeCodes(codebook),
    usage: await usageOf(context, codebook),
    history,
    canEdit: hasRole(user, 'lead'),
    notice: options.saved ? { message: notices[options.saved], codeId: options.code } : undefined,
    importWarnings:
      options.saved === 'imported' ? (history.find((change) => change.action === 'imported')?.warnings ?? []) : [],
    errors: options.errors ?? [],
    merge: options.merge ?? {},
  };
}

export interface MergePreview {
  codebook: Codebook;
  from: CodeRecord;
  into: CodeRecord;
  fromUsage: NamedUsage;
  intoUsage: NamedUsage;
  /** Sub-codes that move under `into`, each with how many codes come with it. */
  children: { code: CodeRecord; below: number }[];
  /** Where `into` goes when it was a sub-code of `from`. */
  lifted?: string;
}

/** What merging would move; a choice that cannot be merged is the codebook page again with its problems. */
export async function mergePreview(
  context: CodebookContext,
  codebookId: string,
  user: SessionUser,
  choice: MergeChoice,
): Promise<MergePreview> {
  const codebook = await getCodebook(context.models, codebookId);
  const errors = mergeProblems(codebook, choice);
  if (errors.length > 0) {
    const page = await codebookPage(context, codebookId, user, { errors, merge: choice });
    throw new ValidationError(errors, { view: 'office/codebook', locals: { ...page } });
  }
  const from = codeOf(codebook, choice.from);
  const into = codeOf(codebook, choice.into);
  const usage = await usageOf(context, codebook);
  return {
    codebook,
    from,
    into,
    fromUsage: usage.get(from.codeId)!,
    intoUsage: usage.get(into.codeId)!,
    children: movingChildren(codebook, choice).map((code) => ({
      code,
      below: descendantsOf(codebook.codes, code.codeId).length,
    })),
    lifted:
      into.parentId === from.codeId
        ? from.parentId
          ? `under ${codeOf(codebook, from.parentId).name}`
          : 'to the top level'
        : undefined,
  };
}
