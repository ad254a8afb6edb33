import crypto from 'node:crypto';
import type { FileColumn } from './layout.js';
import type { FileRow } from './rows.js';
import { isBlank, type OpenedFile } from './source.js';

/** An answer longer than this is not a survey answer: the row is reported and skipped. */
export const MAX_ANSWER_CHARACTERS = 100_000;
/** All of one respondent's kept cells together: far below MongoDB's 16 MB document limit. */
const MAX_ROW_CHARACTERS = 1_000_000;

/**
 * The stable key of each respondent row: the file's respondent id where it has one, otherwise a hash
 * of the row's filled cells, each with its column's name, and how many identical rows came before
 * it. Two identical respondents stay two, and a later export with a new (still empty) column, or
 * columns in another order, gives the same keys.
 */
class RowKeys {
  private readonly seenHashes = new Map<string, number>();
  private readonly seenIds = new Set<string>();

  constructor(
    private readonly columns: FileColumn[],
    private readonly idColumn: FileColumn | undefined,
  ) {}

  keyOf(row: FileRow): { key: string } | { error: string } {
    const id = this.idColumn ? (row.cells[this.idColumn.index] ?? '').trim() : '';
    if (id) {
      // A short digest, not the id itself: 100,000 ids then take a few megabytes.
      const seen = crypto.createHash('sha256').update(id).digest('base64').slice(0, 12);
      if (this.seenIds.has(seen)) return { error: `respondent id "${id.slice(0, 40)}" appears again` };
      this.seenIds.add(seen);
      return { key: `id:${id}` };
    }
    const filled = this.columns
      .map((column) => [column.name, row.cells[column.index] ?? ''] as const)
      .filter(([, cell]) => cell.trim() !== '')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, cell]) => `${name}\u0001${cell}`);
    const hash = crypto.createHash('sha256').update(filled.join('\u0000')).digest('hex');
    const seen = hash.slice(0, 16);
    const occurrence = (this.seenHashes.get(seen) ?? 0) + 1;
    this.seenHashes.set(seen, occurrence);
    return { key: `row:${hash}:${occurrence}` };
  }
}

/** Why the kept cells of a row cannot be stored, or undefined. */
function tooLong(row: FileRow, kept: FileColumn[]): string | undefined {
  let total = 0;
  for (const column of kept) {
    const length = (row.cells[column.index] ?? '').length;
    if (length > MAX_ANSWER_CHARACTERS) {
      return `the answer in "${column.name.slice(0, 60)}" has ${length.toLocaleString('en-GB')} characters; at most ${MAX_ANSWER_CHARACTERS.toLocaleString('en-GB')} are imported`;
    }
    total += length;
  }
  return total > MAX_ROW_CHARACTERS ? 'the chosen cells hold more than 1,000,000 characters together' : undefined;
}

/**
 * Every respondent row after the header rows, with its key, or why it is skipped. Both readings of
 * a file go through here with the same kept columns, so they skip the same rows.
 */
export async function* respondentRows(
  opened: OpenedFile,
  kept: FileColumn[],
  onBadRow: (row: number, message: string) => void,
): AsyncGenerator<{ row: FileRow; key: string }> {
  const { columns } = opened.header;
  const width = columns.length;
  const keys = new RowKeys(
    columns,
    columns.find((column) => column.respondentId),
  );
  let headersLeft = opened.header.headerRows;
  for await (const row of opened.source.rows(onBadRow)) {
    if (isBlank(row)) continue;
    if (headersLeft > 0) {
      headersLeft -= 1;
      continue;
    }
    if (row.cells.length > width && row.cells.slice(width).some((cell) => cell.trim() !== '')) {
      onBadRow(row.number, `has ${row.cells.length} cells; the header has ${width}`);
      continue;
    }
    const problem = tooLong(row, kept);
    if (problem) {
      onBadRow(row.number, problem);
      continue;
    }
    const keyed = keys.keyOf(row);
    if ('error' in keyed) {
      onBadRow(row.number, keyed.error);
      continue;
    }
    yield { row, key: keyed.key };
  }
}
