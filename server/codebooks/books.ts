import { z } from 'zod';
import { isDuplicateKey } from '../db/duplicates.js';
import { NotFoundError } from '../http/errors.js';
import { slugFor } from './edits.js';
import type { CodebookModels } from './model.js';
import { record } from './service.js';

/** Leads make codebooks in the app: a name and a description, the id taken from the name. */
export const codebookInputSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name for the codebook').max(120),
  description: z.string().trim().max(1000).default(''),
});
export type CodebookFields = z.output<typeof codebookInputSchema>;

export async function createCodebook(
  models: CodebookModels,
  fields: CodebookFields,
  by: string,
  now = new Date(),
): Promise<string> {
  const base = slugFor(fields.name).slice(0, 40).replace(/-+$/, '');
  for (let suffix = 1; ; suffix++) {
    const id = suffix === 1 ? base : `${base}-${suffix}`;
    try {
      await models.codebooks.create({ _id: id, ...fields, version: 1, topKey: 0 });
    } catch (error) {
      // Taken (by a codebook file or another lead at the same moment): try the next suffix.
      if (isDuplicateKey(error)) continue;
      throw error;
    }
    await record(models, { codebookId: id, codeId: '', action: 'created', by, details: fields.name }, now);
    return id;
  }
}

export async function editCodebook(
  models: CodebookModels,
  codebookId: string,
  fields: CodebookFields,
  by: string,
  now = new Date(),
): Promise<void> {
  const book = await models.codebooks.findById(codebookId).lean();
  if (!book) throw new NotFoundError(`There is no codebook "${codebookId}".`);
  const changed = (['name', 'description'] as const).filter((field) => book[field] !== fields[field]);
  if (changed.length === 0) return;
  await models.codebooks.updateOne({ _id: codebookId }, { $set: fields });
  await record(models, { codebookId, codeId: '', action: 'renamed', by, details: changed.join(', ') }, now);
}
