import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config.js';
import { readDataFile } from '../data-files.js';
import { codebookFileSchema, type CodebookFile } from './schema.js';

export const codingSchemesDir = path.join(projectRoot, 'coding-schemes');

/** Reads the codebook files in coding-schemes/; a broken file is reported with its name and field. */
export function loadCodebookFiles(dir = codingSchemesDir): Map<string, CodebookFile> {
  const books = new Map<string, CodebookFile>();
  for (const name of fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    const file = path.join(dir, name);
    const codebook = readDataFile(file, codebookFileSchema, 'codebook');
    if (codebook.id !== path.basename(name, '.json'))
      throw new Error(`${file}: id "${codebook.id}" must match the file name`);
    books.set(codebook.id, codebook);
  }
  return books;
}

/** A code of a file as the app keeps it (without the place it is stored under). */
export function codeFieldsOf(code: CodebookFile['codes'][number]) {
  return {
    codeId: code.id,
    name: code.name,
    definition: code.definition,
    include: code.include,
    exclude: code.exclude,
    colour: code.colour,
    parentId: code.parent,
    terms: code.terms,
  };
}

export function loadCodebookFile(id: string, dir = codingSchemesDir): CodebookFile | undefined {
  return loadCodebookFiles(dir).get(id);
}
