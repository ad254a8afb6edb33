import { z } from 'zod';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import { codebookCounterKey } from '../db/change-counter.js';
import { ignoringDuplicates } from '../db/duplicates.js';
import type { CodebookFile } from './schema.js';
import { codeIdSchema, colourSchema } from './schema.js';
import type { CodebookChangeRecord, CodebookModels, CodebookRecord, CodeRecord } from './model.js';

export type { CodebookModels } from './model.js';

export interface Codebook {
  id: string;
  name: string;
  description: string;
  /** Every code, retired and merged ones included, in display order. */
  codes: CodeRecord[];
}

const codeKey = (codebookId: string, codeId: string) => `${codebookId}/${codeId}`;

/** Loads each codebook file into MongoDB the first time it is seen; later edits in the app are kept. */
export async function seedCodebooks(models: CodebookModels, files: Map<string, CodebookFile>, now = new Date()): Promise<string[]> {
  const seeded: string[] = [];
  for (const book of files.values()) {
    if (await models.codebooks.exists({ _id: book.id })) continue;
    // Several processes may start together on a new database: whichever inserts first wins.
    await ignoringDuplicates(() => models.codes.insertMany(
      book.codes.map((code, order) => ({
        _id: codeKey(book.id, code.id),
        codebookId: book.id,
        codeId: code.id,
        name: code.name,
        definition: code.definition,
        include: code.include,
        exclude: code.exclude,
        colour: code.colour,
        parentId: code.parent,
        order,
        terms: code.terms,
        retired: false,
      })),
      { ordered: false },
    ));
    await ignoringDuplicates(() => models.codebooks.create({ _id: book.id, name: book.name, description: book.description, version: book.version }));
    await record(models, { codebookId: book.id, codeId: '', action: 'seeded', by: 'coding-schemes/', details: `${book.codes.length} codes from ${book.id}.json` }, now);
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
  codes.sort((a, b) => a.order - b.order);
  return { id: book._id, name: book.name, description: book.description, codes };
}

/** Codes an analyst can apply now: not retired, not merged away. */
export function activeCodes(codebook: Codebook): CodeRecord[] {
  return codebook.codes.filter((code) => !code.retired);
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

const optionalText = z.string().trim().max(2000).default('');
export const codeInputSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name for the code').max(80),
  definition: z.string().trim().min(1, 'Enter a definition').max(2000),
  include: optionalText,
  exclude: optionalText,
  colour: colourSchema.default('#505a5f'),
  parent: z.union([codeIdSchema, z.literal('')]).default(''),
});
export type CodeInput = z.input<typeof codeInputSchema>;
export type CodeFields = z.output<typeof codeInputSchema>;

function slugFor(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 50) || 'code';
}

function checkParent(codebook: Codebook, codeId: string | undefined, parent: string): void {
  if (!parent) return;
  const byId = new Map(codebook.codes.map((code) => [code.codeId, code]));
  const target = byId.get(parent);
  if (!target || target.retired) throw new BadRequestError(`"${parent}" is not an active code of this codebook`);
  // Walk up from the new parent: meeting the code itself would make a loop.
  for (let current: string | undefined = parent, hops = 0; current && hops < 50; current = byId.get(current)?.parentId, hops++) {
    if (current === codeId) throw new BadRequestError('A code cannot be nested under itself or one of its own sub-codes');
  }
}

/** Every change is logged with who and when, and tells each process's codebook cache to reload. */
async function record(models: CodebookModels, change: Omit<CodebookChangeRecord, 'at'>, now: Date) {
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

export async function addCode(models: CodebookModels, codebookId: string, fields: CodeFields, by: string, now = new Date()): Promise<CodeRecord> {
  const codebook = await getCodebook(models, codebookId);
  checkParent(codebook, undefined, fields.parent);
  const taken = new Set(codebook.codes.map((code) => code.codeId));
  const base = slugFor(fields.name);
  let codeId = base;
  for (let suffix = 2; taken.has(codeId); suffix++) codeId = `${base}-${suffix}`;
  const code: CodeRecord = {
    _id: codeKey(codebookId, codeId),
    codebookId,
    codeId,
    name: fields.name,
    definition: fields.definition,
    include: fields.include,
    exclude: fields.exclude,
    colour: fields.colour,
    parentId: fields.parent || undefined,
    order: Math.max(-1, ...codebook.codes.map((existing) => existing.order)) + 1,
    terms: [],
    retired: false,
  };
  await models.codes.create(code);
  await record(models, { codebookId, codeId, action: 'added', by, details: fields.name }, now);
  return code;
}

export async function editCode(models: CodebookModels, codebookId: string, codeId: string, fields: CodeFields, by: string, now = new Date()): Promise<void> {
  const codebook = await getCodebook(models, codebookId);
  const existing = codebook.codes.find((code) => code.codeId === codeId);
  if (!existing) throw new NotFoundError(`There is no code "${codeId}" in ${codebookId}.`);
  checkParent(codebook, codeId, fields.parent);
  const update = { name: fields.name, definition: fields.definition, include: fields.include, exclude: fields.exclude, colour: fields.colour };
  const changed = Object.entries(update)
    .filter(([key, value]) => existing[key as keyof typeof update] !== value)
    .map(([key]) => key);
  if ((existing.parentId ?? '') !== fields.parent) changed.push('parent');
  await models.codes.updateOne(
    { _id: existing._id },
    fields.parent ? { $set: { ...update, parentId: fields.parent } } : { $set: update, $unset: { parentId: '' } },
  );
  if (changed.length > 0) await record(models, { codebookId, codeId, action: 'edited', by, details: changed.join(', ') }, now);
}

export async function setRetired(models: CodebookModels, codebookId: string, codeId: string, retired: boolean, by: string, now = new Date()): Promise<void> {
  const codebook = await getCodebook(models, codebookId);
  const existing = codebook.codes.find((code) => code.codeId === codeId);
  if (!existing) throw new NotFoundError(`There is no code "${codeId}" in ${codebookId}.`);
  if (!retired && existing.mergedInto) throw new BadRequestError(`"${existing.name}" was merged into another code and cannot be restored`);
  await models.codes.updateOne({ _id: existing._id }, { $set: { retired } });
  await record(models, { codebookId, codeId, action: retired ? 'retired' : 'restored', by, details: existing.name }, now);
}

/** Merges `from` into `into`: its codings count for `into` from now on, and its sub-codes move under `into`. */
export async function mergeCodes(models: CodebookModels, codebookId: string, from: string, into: string, by: string, now = new Date()): Promise<void> {
  const codebook = await getCodebook(models, codebookId);
  const source = codebook.codes.find((code) => code.codeId === from && !code.retired);
  const survivor = codebook.codes.find((code) => code.codeId === into && !code.retired);
  if (!source || !survivor) throw new BadRequestError('Choose two different active codes to merge');
  if (from === into) throw new BadRequestError('Choose two different codes to merge');
  await models.codes.updateOne({ _id: source._id }, { $set: { retired: true, mergedInto: into } });
  for (const child of codebook.codes.filter((code) => code.parentId === from)) {
    if (child.codeId !== into) await models.codes.updateOne({ _id: child._id }, { $set: { parentId: into } });
  }
  if (survivor.parentId === from) await models.codes.updateOne({ _id: survivor._id }, { $unset: { parentId: '' } });
  await record(models, { codebookId, codeId: from, action: 'merged', by, details: `${source.name} into ${survivor.name}` }, now);
}
