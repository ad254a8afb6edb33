import { ConflictError, NotFoundError, type FieldIssue } from '../http/errors.js';
import { saveKeys } from './keys.js';
import type { CodebookModels, CodeRecord, MergeRecord } from './model.js';
import { renumber, reparent } from './moves.js';
import { codeKey, getCodebook, record, type Codebook } from './service.js';
import { descendantsOf } from './tree.js';

/**
 * Merging `from` into `into`: `from` is retired with `mergedInto` set, so every coding made with it
 * counts for `into` (codings themselves are never rewritten); its sub-codes move under `into`. The
 * history entry keeps what moved, so the merge can be undone exactly.
 */
export interface MergeChoice {
  from: string;
  into: string;
}

/** What is wrong with a choice of codes to merge, field by field (empty when it can go ahead). */
export function mergeProblems(codebook: Codebook, choice: MergeChoice): FieldIssue[] {
  const byId = new Map(codebook.codes.map((code) => [code.codeId, code]));
  const from = byId.get(choice.from);
  const into = byId.get(choice.into);
  const problems: FieldIssue[] = [];
  if (!choice.from) problems.push({ field: 'merge-from', message: 'Choose the code to merge' });
  else if (!from || from.retired)
    problems.push({ field: 'merge-from', message: `"${from?.name ?? choice.from}" is not an active code` });
  if (!choice.into) problems.push({ field: 'merge-into', message: 'Choose the code to merge it into' });
  else if (!into || into.retired)
    problems.push({ field: 'merge-into', message: `"${into?.name ?? choice.into}" is not an active code` });
  if (problems.length > 0 || !from || !into) return problems;
  if (from.codeId === into.codeId)
    return [{ field: 'merge-into', message: 'Choose two different codes: a code cannot be merged into itself' }];
  if (into.parentId !== from.codeId && descendantsOf(codebook.codes, from.codeId).some((c) => c.codeId === into.codeId))
    return [
      {
        field: 'merge-into',
        message: `"${into.name}" is nested deeper under "${from.name}": move it up a level first, or merge into a direct sub-code`,
      },
    ];
  return [];
}

/** The sub-codes of `from` that would move under `into`. */
export function movingChildren(codebook: Codebook, choice: MergeChoice): CodeRecord[] {
  return codebook.codes.filter((code) => code.parentId === choice.from && code.codeId !== choice.into);
}

export async function mergeCodes(
  models: CodebookModels,
  codebookId: string,
  choice: MergeChoice,
  by: string,
  now = new Date(),
): Promise<void> {
  const codebook = await getCodebook(models, codebookId);
  const from = codebook.codes.find((code) => code.codeId === choice.from);
  if (from?.mergedInto === choice.into)
    throw new ConflictError(`"${from.name}" has already been merged into that code`);
  const problems = mergeProblems(codebook, choice);
  if (problems.length > 0) throw new ConflictError(problems.map((problem) => problem.message).join('. '));
  const into = codebook.codes.find((code) => code.codeId === choice.into)!;
  // Only one of two simultaneous confirmations gets past this.
  const taken = await models.codes.updateOne(
    { _id: from!._id, retired: false },
    { $set: { retired: true, mergedInto: into.codeId } },
  );
  if (taken.modifiedCount !== 1)
    throw new ConflictError(`"${from!.name}" has just been merged or retired by someone else`);
  // Two opposite merges at once (A into B, B into A) would each see the other's code active and
  // tie them in a loop: after taking `from`, the survivor must still be active, or `from` goes back.
  const survivorNow = await models.codes.findById(into._id).lean();
  if (!survivorNow || survivorNow.retired) {
    await models.codes.updateOne({ _id: from!._id }, { $set: { retired: false }, $unset: { mergedInto: '' } });
    throw new ConflictError(`"${into.name}" has just been merged or retired by someone else`);
  }
  const merge: MergeRecord = { from: from!.codeId, into: into.codeId, children: [], keys: {} };
  const orders: Record<string, number> = {};
  let last = Math.max(into.order, ...descendantsOf(codebook.codes, into.codeId).map((code) => code.order));
  // Sub-codes as they are now, not as first read: one added meanwhile (by another process) moves too.
  const fresh = await getCodebook(models, codebookId);
  for (const child of movingChildren(fresh, choice)) {
    orders[child.codeId] = child.order;
    Object.assign(merge.keys, await reparent(models, fresh, child, into.codeId, (last += 0.001)));
    merge.children.push(child.codeId);
  }
  if (into.parentId === from!.codeId) {
    orders[into.codeId] = into.order;
    merge.survivorParent = from!.codeId;
    Object.assign(merge.keys, await reparent(models, fresh, into, from!.parentId ?? '', from!.order + 0.5));
  }
  await renumber(models, codebookId);
  await record(
    models,
    {
      codebookId,
      codeId: from!.codeId,
      action: 'merged',
      by,
      details: `${from!.name} into ${into.name}`,
      merge: { ...merge, orders },
    },
    now,
  );
}

/** Why a merge can no longer be undone, or undefined if it can. */
function undoProblem(codebook: Codebook, merge: MergeRecord): string | undefined {
  const byId = new Map(codebook.codes.map((code) => [code.codeId, code]));
  const from = byId.get(merge.from);
  const into = byId.get(merge.into);
  if (!from || !into) return 'One of its codes no longer exists';
  if (from.mergedInto !== into.codeId) return `"${from.name}" is no longer merged into "${into.name}"`;
  if (into.retired)
    return `"${into.name}" has since been ${into.mergedInto ? 'merged into another code' : 'retired'}: undo that first`;
  const moved = merge.children.map((id) => byId.get(id)).find((child) => !child || child.parentId !== into.codeId);
  if (moved) return `"${moved.name}" has been moved since the merge`;
  if (merge.survivorParent && into.parentId !== from.parentId) return `"${into.name}" has been moved since the merge`;
  return undefined;
}

/** Undoes a merge recorded in the history: the merged code, its sub-codes and their numbers come back. */
export async function undoMerge(
  models: CodebookModels,
  codebookId: string,
  changeId: string,
  by: string,
  now = new Date(),
): Promise<string> {
  const change = await models.changes.findOne({ _id: changeId, codebookId }).lean();
  if (!change || change.action !== 'merged' || !change.merge)
    throw new NotFoundError('There is no such merge in the history of this codebook.');
  if (change.undoneAt) throw new ConflictError(`This merge (${change.details}) has already been undone`);
  // Stored without its empty parts (Mongoose drops empty objects), so those are put back here.
  const merge: MergeRecord = { ...change.merge, children: change.merge.children ?? [], keys: change.merge.keys ?? {} };
  const codebook = await getCodebook(models, codebookId);
  const problem = undoProblem(codebook, merge);
  if (problem) throw new ConflictError(`This merge can no longer be undone. ${problem}.`);
  // Only one of two simultaneous undos gets past this.
  const claimed = await models.changes.updateOne(
    { _id: changeId, undoneAt: { $exists: false } },
    { $set: { undoneAt: now } },
  );
  if (claimed.modifiedCount !== 1) throw new ConflictError(`This merge (${change.details}) has already been undone`);
  const from = codebook.codes.find((code) => code.codeId === merge.from)!;
  await models.codes.updateOne({ _id: from._id }, { $set: { retired: false }, $unset: { mergedInto: '' } });
  const returning = [...merge.children, ...(merge.survivorParent ? [merge.into] : [])];
  const orders = merge.orders ?? {};
  returning.sort((a, b) => (orders[a] ?? 0) - (orders[b] ?? 0));
  for (const [index, codeId] of returning.entries()) {
    await models.codes.updateOne(
      { _id: codeKey(codebookId, codeId) },
      { $set: { parentId: merge.from, order: from.order + (index + 1) / (returning.length + 1) } },
    );
  }
  await saveKeys(models, codebookId, new Map(Object.entries(merge.keys)));
  await renumber(models, codebookId);
  await record(models, { codebookId, codeId: merge.from, action: 'unmerged', by, details: change.details }, now);
  return merge.from;
}
