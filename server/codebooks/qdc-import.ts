import { z } from 'zod';
import { isDuplicateKey } from '../db/duplicates.js';
import { ConflictError } from '../http/errors.js';
import { slugFor } from './edits.js';
import { missingKeys } from './keys.js';
import type { CodebookModels } from './model.js';
import { parseQdc, QDC_MAX_BYTES } from './qdc-parse.js';
import { codeIdSchema } from './schema.js';
import { codeKey, record } from './service.js';

export { decodeQdc, QdcRefusedError } from './qdc-parse.js';

/** The import form: the codebook's name, an id if the lead wants a particular one, and the file's text. */
export const qdcImportSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name for the codebook').max(120),
  id: z.union([codeIdSchema, z.literal('')]).default(''),
  qdc: z
    .string()
    .trim()
    .min(1, 'Paste the contents of the .qdc file')
    .max(QDC_MAX_BYTES, 'A codebook of up to 5 MB can be imported'),
});
export type QdcImportFields = z.output<typeof qdcImportSchema>;

export interface QdcImportResult {
  codebook: string;
  codes: number;
  warnings: string[];
}

/**
 * Imports a .qdc file as a new codebook: its codes with their hierarchy, colours and descriptions,
 * numbered in file order like a seeded codebook, and an "imported" history entry that keeps the
 * warnings. The id is `fields.id`, or made from the name; an id already taken is refused.
 */
export async function importQdc(
  models: CodebookModels,
  fields: QdcImportFields,
  by: string,
  now = new Date(),
): Promise<QdcImportResult> {
  const parsed = parseQdc(fields.qdc);
  const id = fields.id || slugFor(fields.name).slice(0, 40).replace(/-+$/, '');
  const { keys, topKey } = missingKeys(parsed.codes);
  const description = `Imported from a .qdc file${parsed.origin ? ` (${parsed.origin})` : ''}.`.slice(0, 1000);
  try {
    await models.codebooks.create({ _id: id, name: fields.name, description, version: 1, topKey });
  } catch (error) {
    if (isDuplicateKey(error))
      throw new ConflictError(`There is already a codebook "${id}": choose another id (--id on the command line).`);
    throw error;
  }
  await models.codes.insertMany(
    parsed.codes.map((code) => ({
      _id: codeKey(id, code.codeId),
      codebookId: id,
      ...code,
      key: keys.get(code.codeId),
      terms: [],
      retired: false,
    })),
  );
  await record(
    models,
    {
      codebookId: id,
      codeId: '',
      action: 'imported',
      by,
      details: `${parsed.codes.length} codes from a .qdc file${parsed.origin ? ` (${parsed.origin})` : ''}`,
      warnings: parsed.warnings,
    },
    now,
  );
  return { codebook: id, codes: parsed.codes.length, warnings: parsed.warnings };
}
