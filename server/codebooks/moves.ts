import { BadRequestError } from '../http/errors.js';
import { keysAfterMove, saveKeys, takeChildKey, takeTopKey } from './keys.js';
import type { CodebookModels, CodeRecord } from './model.js';
import { codeKey, codeOf, getCodebook, record, type Codebook } from './service.js';
import { descendantsOf, siblingsOf, treeOrder } from './tree.js';

/** Moving codes about the tree by form: up, down, in (under the code above) and out (after its parent). */
export type Move = 'up' | 'down' | 'indent' | 'outdent';

/** Stores each code's place as its position in tree order, so `order` always reads as the tree does. */
export async function renumber(models: CodebookModels, codebookId: string): Promise<void> {
  const codes = await models.codes.find({ codebookId }).lean();
  const ordered = treeOrder(codes);
  for (const [order, code] of ordered.entries())
    if (code.order !== order) await models.codes.updateOne({ _id: code._id }, { $set: { order } });
}

/**
 * Puts a code under `parent` ('' for the top level) at `order`, numbering it and everything under
 * it afresh there. Returns the keys it changed, from their old values.
 */
export async function reparent(
  models: CodebookModels,
  codebook: Codebook,
  code: CodeRecord,
  parent: string,
  order: number,
): Promise<Record<string, string>> {
  const parentCode = parent ? codeOf(codebook, parent) : undefined;
  const newKey =
    parentCode?.key !== undefined
      ? await takeChildKey(models, parentCode, codebook.codes)
      : await takeTopKey(models, codebook.id);
  const keys = keysAfterMove(codebook.codes, code.codeId, newKey, descendantsOf(codebook.codes, code.codeId));
  await models.codes.updateOne(
    { _id: code._id },
    parent ? { $set: { parentId: parent, order } } : { $set: { order }, $unset: { parentId: '' } },
  );
  await saveKeys(models, codebook.id, keys);
  const before: Record<string, string> = {};
  // The codebook in hand follows, so that a second move in the same change numbers after this one.
  for (const [changed, key] of keys) {
    const held = codebook.codes.find((candidate) => candidate.codeId === changed);
    if (held?.key !== undefined) before[changed] = held.key;
    if (held) held.key = key;
  }
  code.parentId = parent || undefined;
  code.order = order;
  return before;
}

const nameOf = (codebook: Codebook, codeId: string | undefined) =>
  codeId ? (codebook.codes.find((code) => code.codeId === codeId)?.name ?? codeId) : 'the top level';

export async function moveCode(
  models: CodebookModels,
  codebookId: string,
  codeId: string,
  move: Move,
  by: string,
  now = new Date(),
): Promise<void> {
  const codebook = await getCodebook(models, codebookId);
  const code = codeOf(codebook, codeId);
  if (code.mergedInto) throw new BadRequestError(`"${code.name}" was merged into another code and cannot be moved`);
  const siblings = siblingsOf(codebook.codes, code);
  const at = siblings.findIndex((sibling) => sibling.codeId === codeId);
  let details: string;
  if (move === 'up' || move === 'down') {
    const other = siblings[move === 'up' ? at - 1 : at + 1];
    if (!other)
      throw new BadRequestError(`"${code.name}" is already the ${move === 'up' ? 'first' : 'last'} at its level`);
    await models.codes.updateOne({ _id: code._id }, { $set: { order: other.order } });
    await models.codes.updateOne({ _id: codeKey(codebookId, other.codeId) }, { $set: { order: code.order } });
    details = `${code.name} ${move} past ${other.name}`;
  } else if (move === 'indent') {
    const above = siblings
      .slice(0, Math.max(0, at))
      .reverse()
      .find((sibling) => !sibling.retired);
    if (!above) throw new BadRequestError(`There is no active code above "${code.name}" at its level to nest it under`);
    const last = Math.max(above.order, ...descendantsOf(codebook.codes, above.codeId).map((child) => child.order));
    await reparent(models, codebook, code, above.codeId, last + 0.5);
    details = `${code.name} nested under ${above.name}`;
  } else {
    if (!code.parentId) throw new BadRequestError(`"${code.name}" is already at the top level`);
    const parent = codeOf(codebook, code.parentId);
    await reparent(models, codebook, code, parent.parentId ?? '', parent.order + 0.5);
    details = `${code.name} moved out from under ${parent.name} to ${nameOf(codebook, parent.parentId)}`;
  }
  await renumber(models, codebookId);
  await record(models, { codebookId, codeId, action: 'moved', by, details }, now);
}
