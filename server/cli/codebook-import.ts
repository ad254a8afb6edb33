import fs from 'node:fs';
import path from 'node:path';
import { record } from '../audit/service.js';
import { codebookModels } from '../codebooks/model.js';
import { decodeQdc, importQdc, QdcRefusedError, type QdcImportResult } from '../codebooks/qdc-import.js';
import { QDC_MAX_BYTES } from '../codebooks/qdc-parse.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { ConflictError } from '../http/errors.js';
import { prepareDatabase } from '../startup.js';
import { withDatabase } from './database.js';
import { commandArgs, requireOption, UsageError } from './args.js';

const usage = 'codebook import --file <path.qdc> [--id <codebook-id>]';

/** Reads the file (5 MB at most), refusing what is not there or too big before any database work. */
function readQdcFile(file: string): string {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new UsageError(`File not found: ${file}`);
  }
  if (size > QDC_MAX_BYTES)
    throw new UsageError(`${file}: the file is ${(size / 1024 / 1024).toFixed(1)} MB; up to 5 MB can be imported.`);
  return decodeQdc(fs.readFileSync(file));
}

/**
 * `codebook import --file PATH [--id ID]`: the .qdc file as a new codebook, named after the file.
 * One JSON line {codebook, codes, warnings}; a file refused, or an id taken, exits 2.
 */
export async function codebookImportCommand(args: string[]): Promise<QdcImportResult> {
  const options = commandArgs(args, { file: { type: 'string' }, id: { type: 'string' } }, usage);
  const file = requireOption(options.file, 'file', usage);
  try {
    if (options.id !== undefined) codeIdSchema.parse(options.id);
  } catch {
    throw new UsageError(`--id "${options.id}" is not an id: use lower case words joined by -.`);
  }
  const name =
    path
      .basename(file)
      .replace(/\.qdc$/i, '')
      .trim() || 'Imported codebook';
  try {
    const qdc = readQdcFile(file);
    return await withDatabase(async (connection) => {
      await prepareDatabase(connection);
      const imported = await importQdc(
        codebookModels(connection),
        { name: name.slice(0, 120), id: options.id ?? '', qdc },
        'command line',
      );
      await record(connection, {
        actor: 'command line',
        action: 'codebook.import',
        target: imported.codebook,
        detail: { codes: imported.codes, warnings: imported.warnings.length },
      });
      return imported;
    });
  } catch (error) {
    if (error instanceof QdcRefusedError || error instanceof ConflictError)
      throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}
