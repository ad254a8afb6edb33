import type { CodebookModels, CodeRecord } from './model.js';
import { treeOrder, type TreeCode } from './tree.js';

/**
 * Stable code numbers. A top-level code gets the next number never used in its codebook ("1", "2",
 * ...); a sub-code its parent's number and the next free number among that parent's children
 * ("3.1"). Numbers do not shift when codes are added, retired or merged; a code that moves to
 * another parent, and everything under it, is numbered afresh under that parent.
 */
export type KeyedCode = TreeCode & Pick<CodeRecord, 'key'>;

const whole = /^\d+$/;

/** The highest top-level number among these codes (0 if none). */
export function highestTopKey(codes: Pick<CodeRecord, 'key'>[]): number {
  return Math.max(0, ...codes.flatMap((code) => (code.key && whole.test(code.key) ? [Number(code.key)] : [])));
}

/** The next free number directly under the code numbered `parentKey`. */
export function nextChildKey(parentKey: string, codes: Pick<CodeRecord, 'key'>[]): string {
  const prefix = `${parentKey}.`;
  let highest = 0;
  for (const { key } of codes) {
    const rest = key?.startsWith(prefix) ? key.slice(prefix.length) : '';
    if (whole.test(rest)) highest = Math.max(highest, Number(rest));
  }
  return `${prefix}${highest + 1}`;
}

/**
 * The next sub-code number under `parent`, taken atomically on the parent's counter, so two
 * processes adding sub-codes at once never give the same number. The counter starts from the
 * highest number in use, for codebooks stored before it existed.
 */
export async function takeChildKey(
  models: CodebookModels,
  parent: Pick<CodeRecord, '_id' | 'key'>,
  codes: Pick<CodeRecord, 'key'>[],
): Promise<string> {
  const parentKey = parent.key ?? '';
  const highest = Number(nextChildKey(parentKey, codes).slice(parentKey.length + 1)) - 1;
  await models.codes.updateOne({ _id: parent._id }, { $max: { childKeys: highest } });
  const after = await models.codes
    .findOneAndUpdate({ _id: parent._id }, { $inc: { childKeys: 1 } }, { returnDocument: 'after' })
    .lean();
  return `${parentKey}.${after?.childKeys ?? highest + 1}`;
}

/**
 * Numbers for the codes that have none, in tree order (parents first), after `topKey` (the highest
 * top-level number used so far). Deterministic, so every process computes the same ones.
 */
export function missingKeys(codes: KeyedCode[], topKey = 0): { keys: Map<string, string>; topKey: number } {
  const keys = new Map<string, string>();
  const keyOf = (code: KeyedCode) => code.key ?? keys.get(code.codeId);
  const ids = new Set(codes.map((code) => code.codeId));
  let top = Math.max(topKey, highestTopKey(codes));
  for (const code of treeOrder(codes)) {
    if (code.key) continue;
    const parent = code.parentId && ids.has(code.parentId) ? codes.find((c) => c.codeId === code.parentId) : undefined;
    const parentKey = parent && keyOf(parent);
    const taken = codes.map((c) => ({ key: keyOf(c) }));
    keys.set(code.codeId, parentKey ? nextChildKey(parentKey, taken) : String(++top));
  }
  return { keys, topKey: top };
}

/** New numbers for a code moved under `parentKey` (or to the top level, as `topKey`) and for its descendants. */
export function keysAfterMove(
  codes: KeyedCode[],
  codeId: string,
  newKey: string,
  descendants: KeyedCode[],
): Map<string, string> {
  const moved = codes.find((code) => code.codeId === codeId);
  const keys = new Map([[codeId, newKey]]);
  const oldPrefix = moved?.key ? `${moved.key}.` : undefined;
  for (const code of descendants) {
    if (oldPrefix && code.key?.startsWith(oldPrefix)) {
      keys.set(code.codeId, `${newKey}.${code.key.slice(oldPrefix.length)}`);
    } else {
      const parentKey = keys.get(code.parentId ?? '') ?? newKey;
      const taken = codes.map((c) => ({ key: keys.get(c.codeId) ?? c.key }));
      keys.set(code.codeId, nextChildKey(parentKey, taken));
    }
  }
  return keys;
}

/** Takes the next top-level number of a codebook, atomically. */
export async function takeTopKey(models: CodebookModels, codebookId: string): Promise<string> {
  const book = await models.codebooks
    .findOneAndUpdate({ _id: codebookId }, { $inc: { topKey: 1 } }, { returnDocument: 'after' })
    .lean();
  return String(book?.topKey ?? 1);
}

/** Stores new keys. */
export async function saveKeys(models: CodebookModels, codebookId: string, keys: Map<string, string>): Promise<void> {
  for (const [codeId, key] of keys) await models.codes.updateOne({ _id: `${codebookId}/${codeId}` }, { $set: { key } });
}

/**
 * Numbers the codes of a codebook stored before codes had numbers, once: the numbers are computed
 * in tree order and written only where none is stored, so they do not change afterwards.
 */
export async function ensureKeys(
  models: CodebookModels,
  codebookId: string,
  topKey: number | undefined,
  codes: CodeRecord[],
): Promise<void> {
  if (topKey !== undefined && codes.every((code) => code.key)) return;
  const found = missingKeys(codes, topKey ?? 0);
  for (const [codeId, key] of found.keys) {
    await models.codes.updateOne({ _id: `${codebookId}/${codeId}`, key: { $exists: false } }, { $set: { key } });
    const code = codes.find((candidate) => candidate.codeId === codeId);
    if (code) code.key = key;
  }
  await models.codebooks.updateOne(
    { _id: codebookId, $or: [{ topKey: { $exists: false } }, { topKey: { $lt: found.topKey } }] },
    { $set: { topKey: found.topKey } },
  );
}
