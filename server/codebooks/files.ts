import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config.js';
import { codebookFileSchema, type CodebookFile } from './schema.js';

export const codingSchemesDir = path.join(projectRoot, 'coding-schemes');

/** Reads the codebook files in coding-schemes/; a broken file is reported with its name and field. */
export function loadCodebookFiles(dir = codingSchemesDir): Map<string, CodebookFile> {
  const books = new Map<string, CodebookFile>();
  for (const name of fs.readdirSync(dir).filter((file) => file.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = codebookFileSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `  at ${issue.path.join('.')}: ${issue.message}`);
      throw new Error(`${file}: invalid codebook\n${problems.join('\n')}`);
    }
    if (parsed.data.id !== path.basename(name, '.json')) throw new Error(`${file}: id "${parsed.data.id}" must match the file name`);
    books.set(parsed.data.id, parsed.data);
  }
  return books;
}

export function loadCodebookFile(id: string, dir = codingSchemesDir): CodebookFile | undefined {
  return loadCodebookFiles(dir).get(id);
}
