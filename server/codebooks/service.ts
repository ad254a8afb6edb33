import { NotFoundError } from '../http/errors.js';
import { codebookCounterKey } from '../db/change-counter.js';
import { ignoringDuplicates } from '../db/duplicates.js';
import { codeFieldsOf } from './files.js';
import { ensureKeys, missingKeys } from './keys.js';
import type { CodebookFile } from './schema.js';
import { treeOrder } from './tree.js';
import type { CodebookChangeRecord, CodebookModels, CodebookRecord, CodeRecord } from './model.js';

export type { CodebookModels } from './model.js';

export interface Codebook {
  id: string;
  name: string;
  description: string;
  /** Every code, retired and merged ones included, in tree order (each parent followed by its children). */
  codes: CodeRecord[];
}

export const codeKey = (codebookId: string, codeId: string) => `${codebookId}/${codeId}`;

/** Loads each codebook file into MongoDB the first time it is seen; later edits in the app are kept. */
export async function seedCodebooks(
  models: CodebookModels,
  files: Map<string, CodebookFile>,
  now = new Date(),
): Promise<string[]> {
  const seeded: string[] = [];
  for (const book of files.values()) {
    if (await models.codebooks.exists({ _id: book.id })) continue;
    const codes = book.codes.map((code, order) => ({ ...codeFieldsOf(code), order }));
    // Numbered in file order: top-level codes 1, 2, ...; sub-codes under their parent's number.
    const { keys, topKey } = missingKeys(codes);
    // Several processes may start together on a new database: whichever inserts first wins.
    await ignoringDuplicates(() =>
      models.codes.insertMany(
        codes.map((code) => ({
          _id: codeKey(book.id, code.codeId),
          codebookId: book.id,
          ...code,
          key: keys.get(code.codeId),
          retired: false,
        })),
        { ordered: false },
      ),
    );
    await ignoringDuplicates(() =>
      models.codebooks.create({
        _id: book.id,
        name: book.name,
        description: book.description,
        version: book.version,
        topKey,
      }),
    );
    await record(
      models,
      {
        codebookId: book.id,
        codeId: '',
        action: 'seeded',
        by: 'coding-schemes/',
        details: `${book.codes.length} codes from ${book.id}.json`,
      },
      now,
    );
    seeded.push(book.id);
  }
  return seeded;
}

export async function listCodebooks(models: CodebookModels): Promise<CodebookRecord[]> {
  return models.codebooks.find().sort({ _id: 1 }).lean();
}

export async function getCodebook(models: CodebookModels, codebookId: string): Promise<Codebook> {
  const book = await models.codebooks.findById(codebookId).lean();
  if (!book) throw new NotFoundError(`There is no codebook "${codebookId}".`);
  const codes = await models.codes.find({ codebookId }).lean();
  await ensureKeys(models, codebookId, book.topKey, codes);
  return { id: book._id, name: book.name, description: book.description, codes: treeOrder(codes) };
}

/** A code of the codebook by its id, retired ones included, or "not found". */
export function codeOf(codebook: Codebook, codeId: string): CodeRecord {
  const code = codebook.codes.find((candidate) => candidate.codeId === codeId);
  if (!code) throw new NotFoundError(`There is no code "${codeId}" in ${codebook.id}.`);
  return code;
}

/** Codes an analyst can apply now: not retired, not merged away. */
export function activeCodes(codebook: Codebook): CodeRecord[] {
  return codebook.codes.filter((code) => !code.retired);
}

/** The codes an analyst can apply, in tree order, each with its stable number (what the workbench lists). */
export function keyedCodes(codebook: Codebook): { code: CodeRecord; key?: string }[] {
  return activeCodes(codebook).map((code) => ({ code, key: code.key }));
}

/** Follows merges, so a coding made with a merged code counts for the code that survived. */
export function survivingCodeId(codebook: Codebook, codeId: string): string {
  let resolved = survivors.get(codebook);
  if (!resolved) {
    const byId = new Map(codebook.codes.map((code) => [code.codeId, code]));
    resolved = new Map();
    for (const code of codebook.codes) {
      let current = code.codeId;
      for (let hops = 0; hops < 50 && byId.get(current)?.mergedInto; hops++) current = byId.get(current)!.mergedInto!;
      resolved.set(code.codeId, current);
    }
    survivors.set(codebook, resolved);
  }
  return resolved.get(codeId) ?? codeId;
}

/** Codebooks are replaced, never changed in place, so their merge chains can be resolved once. */
const survivors = new WeakMap<Codebook, Map<string, string>>();

export async function codebookHistory(models: CodebookModels, codebookId: string): Promise<CodebookChangeRecord[]> {
  return models.changes.find({ codebookId }).sort({ at: -1 }).limit(200).lean();
}

/** Every change is logged with who and when, and tells each process's codebook cache to reload. */
export async function record(models: CodebookModels, change: Omit<CodebookChangeRecord, 'at'>, now: Date) {
  await models.changes.create({ ...change, at: now });
  await models.counters.bump(codebookCounterKey(change.codebookId));
}

const cache = new WeakMap<CodebookModels, Map<string, { version: number; codebook: Codebook }>>();

/** The codebook from this process's cache when `version` (its change counter) says it is current. */
export async function getCodebookAt(models: CodebookModels, codebookId: string, version: number): Promise<Codebook> {
  let byId = cache.get(models);
  if (!byId) cache.set(models, (byId = new Map()));
  const cached = byId.get(codebookId);
  if (cached && cached.version === version) return cached.codebook;
  const codebook = await getCodebook(models, codebookId);
  byId.set(codebookId, { version, codebook });
  return codebook;
}
