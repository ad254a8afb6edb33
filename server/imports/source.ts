import fs from 'node:fs/promises';
import { csvRows } from './csv-rows.js';
import { detectEncoding, type FileEncoding } from './encoding.js';
import { cleanName, detectLayout, readHeader, type FileHeader } from './layout.js';
import type { FileRow, RowSource } from './rows.js';
import { xlsxRows } from './xlsx-rows.js';

export interface OpenedFile {
  format: 'csv' | 'xlsx';
  encoding?: FileEncoding;
  header: FileHeader;
  source: RowSource;
}

/** An .xlsx is a zip archive: its first bytes say so whatever the file is called. */
async function isZip(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const start = Buffer.alloc(4);
    await handle.read(start, 0, 4, 0);
    return start.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

/** A row with nothing in any cell: a blank line, never a respondent. */
export function isBlank(row: FileRow): boolean {
  return row.cells.every((cell) => cleanName(cell) === '');
}

/** Opens an export: its format, encoding, layout and columns, from the first three non-blank rows. */
export async function openExport(file: string): Promise<OpenedFile> {
  const zipped = await isZip(file);
  const encoding = zipped ? undefined : await detectEncoding(file);
  const source = zipped ? xlsxRows(file) : csvRows(file, encoding!);
  const top: string[][] = [];
  for await (const row of source.rows(() => undefined)) {
    if (isBlank(row) && top.length === 0) continue;
    top.push(row.cells);
    if (top.length === 3) break;
  }
  const header = readHeader(top, detectLayout(top));
  return { format: zipped ? 'xlsx' : 'csv', ...(encoding ? { encoding } : {}), header, source };
}
