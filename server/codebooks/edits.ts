import { z } from 'zod';
import { BadRequestError, ConflictError } from '../http/errors.js';
import { takeChildKey, takeTopKey } from './keys.js';
import { codeIdSchema, colourSchema } from './schema.js';
import type { CodebookModels, CodeRecord } from './model.js';
import { renumber, reparent } from './moves.js';
import { codeKey, codeOf, getCodebook, record, type Codebook } from './service.js';

/** Leads' changes to a codebook's codes: add, edit, nest and retire, each recorded with who and when. */
const optionalText = z.string().trim().max(2000).default('');
export const codeInputSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name for the code').max(80),
  definition: z.string().trim().min(1, 'Enter a definition').max(2000),
  include: optionalText,
  exclude: optionalText,
  colour: colourSchema.default('#505a5f'),
  /** '' for the top level; left out, an edited code stays where it is (large codebooks' edit forms have no parent list). */
  parent: z.union([codeIdSchema, z.literal('')]).optional(),
});
export type CodeInput = z.input<typeof codeInputSchema>;
export type CodeFields = z.output<typeof codeInputSchema>;

/** An id from a name: lower case ASCII words joined by -, accents dropped (ŵ → w), apostrophes joining (don’t → dont). */
export function slugFor(name: string): string {
  return (
    name
      .replace(/['’‘ʼ`´]/g, '')
      .toLowerCase()
      .normalize('NFKD')
      // The accents NFKD splits off (ŵ → w + ̂) are dropped, not turned into a word break.
      .replace(/\p{M}/gu, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 50) || 'code'
  );
}

function checkParent(codebook: Codebook, codeId: string | undefined, parent: string): void {
  if (!parent) return;
  const byId = new Map(codebook.codes.map((code) => [code.codeId, code]));
  const target = byId.get(parent);
  if (!target || target.retired) throw new BadRequestError(`"${parent}" is not an active code of this codebook`);
  // Walk up from the new parent: meeting the code itself would make a loop.
  for (
    let current: string | undefined = parent, hops = 0;
    current && hops < 50;
    current = byId.get(current)?.parentId, hops++
  ) {
    if (current === codeId)
      throw new BadRequestError('A code cannot be nested under itself or one of its own sub-codes');
  }
}

export async function addCode(
  models: CodebookModels,
  codebookId: string,
  fields: CodeFields,
  by: string,
  now = new Date(),
  /** For a code made from an emerging theme: its distinctive words as indicative terms, the group's fingerprint and answers. */
  origin: { terms?: string[]; fromGroup?: string; groupAnswers?: string[]; groupQuestion?: string } = {},
): Promise<CodeRecord> {
  const codebook = await getCodebook(models, codebookId);
  const parent = fields.parent ?? '';
  checkParent(codebook, undefined, parent);
  const taken = new Set(codebook.codes.map((code) => code.codeId));
  const base = slugFor(fields.name);
  let codeId = base;
  for (let suffix = 2; taken.has(codeId); suffix++) codeId = `${base}-${suffix}`;
  const parentCode = parent ? codeOf(codebook, parent) : undefined;
  const code: CodeRecord = {
    _id: codeKey(codebookId, codeId),
    codebookId,
    codeId,
    name: fields.name,
    definition: fields.definition,
    include: fields.include,
    exclude: fields.exclude,
    colour: fields.colour,
    parentId: parent || undefined,
    key: parentCode?.key
      ? await takeChildKey(models, parentCode, codebook.codes)
      : await takeTopKey(models, codebookId),
    order: Math.max(-1, ...codebook.codes.map((existing) => existing.order)) + 1,
    terms: origin.terms ?? [],
    retired: false,
    ...(origin.fromGroup
      ? {
          fromGroup: origin.fromGroup,
          groupAnswers: origin.groupAnswers ?? [],
          ...(origin.groupQuestion ? { groupQuestion: origin.groupQuestion } : {}),
        }
      : {}),
  };
  await models.codes.create(code).catch((error: unknown) => {
    // Another process added a code of the same id at the same moment.
    if ((error as { code?: unknown }).code === 11000)
      throw new ConflictError(
        `A code called "${fields.name}" was added at the same moment: look at the codebook again`,
      );
    throw error;
  });
  // Another process may have merged or retired the parent meanwhile: then the new code goes again.
  if (parentCode && (await models.codes.exists({ _id: parentCode._id, retired: true }))) {
    await models.codes.deleteOne({ _id: code._id });
    throw new ConflictError(`"${parentCode.name}" has just been merged or retired: add the code elsewhere`);
  }
  await renumber(models, codebookId);
  await record(models, { codebookId, codeId, action: 'added', by, details: fields.name }, now);
  return code;
}

/** A code that may still be changed: a merged one waits until its merge is undone. */
function unmergedCode(codebook: Codebook, codeId: string): CodeRecord {
  const existing = codeOf(codebook, codeId);
  if (existing.mergedInto)
    throw new BadRequestError(`"${existing.name}" was merged into another code: undo the merge to change it`);
  return existing;
}

/** Changes a code only while it is not merged: another process may have merged it since it was read. */
async function updateUnlessMerged(models: CodebookModels, code: CodeRecord, fields: Partial<CodeRecord>) {
  const updated = await models.codes.updateOne({ _id: code._id, mergedInto: { $exists: false } }, { $set: fields });
  if (updated.matchedCount === 0) throw new ConflictError(`"${code.name}" has just been merged into another code`);
}

export async function editCode(
  models: CodebookModels,
  codebookId: string,
  codeId: string,
  fields: CodeFields,
  by: string,
  now = new Date(),
): Promise<void> {
  const codebook = await getCodebook(models, codebookId);
  const existing = unmergedCode(codebook, codeId);
  const parent = fields.parent ?? existing.parentId ?? '';
  checkParent(codebook, codeId, parent);
  const update = {
    name: fields.name,
    definition: fields.definition,
    include: fields.include,
    exclude: fields.exclude,
    colour: fields.colour,
  };
  const changed = Object.entries(update)
    .filter(([key, value]) => existing[key as keyof typeof update] !== value)
    .map(([key]) => key);
  await updateUnlessMerged(models, existing, update);
  if ((existing.parentId ?? '') !== parent) {
    changed.push('parent');
    // Last among its new siblings, numbered afresh under its new parent.
    await reparent(models, codebook, existing, parent, Math.max(...codebook.codes.map((code) => code.order)) + 1);
    await renumber(models, codebookId);
  }
  if (changed.length > 0)
    await record(models, { codebookId, codeId, action: 'edited', by, details: changed.join(', ') }, now);
}

export async function setRetired(
  models: CodebookModels,
  codebookId: string,
  codeId: string,
  retired: boolean,
  by: string,
  now = new Date(),
): Promise<void> {
  const codebook = await getCodebook(models, codebookId);
  const existing = codeOf(codebook, codeId);
  if (existing.mergedInto)
    throw new BadRequestError(`"${existing.name}" was merged into another code: undo the merge to change it`);
  const changedNow = await models.codes.updateOne(
    { _id: existing._id, mergedInto: { $exists: false } },
    { $set: { retired } },
  );
  if (changedNow.matchedCount === 0)
    throw new ConflictError(`"${existing.name}" has just been merged into another code`);
  await record(
    models,
    { codebookId, codeId, action: retired ? 'retired' : 'restored', by, details: existing.name },
    now,
  );
}
