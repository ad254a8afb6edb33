import crypto from 'node:crypto';
import type { FileColumn } from './layout.js';
import type { FileRow } from './rows.js';
import { isBlank, type OpenedFile } from './source.js';

/**
 * The stable key of each respondent row: the file's respondent id where it has one, otherwise a hash
 * of the whole row and how many identical rows came before it, so identical respondents stay apart.
 */
class RowKeys {
  private readonly seenHashes = new Map<string, number>();
  private readonly seenIds = new Set<string>();

  constructor(private readonly idColumn: FileColumn | undefined) {}

  keyOf(row: FileRow): { key: string } | { error: string } {
    const id = this.idColumn ? (row.cells[this.idColumn.index] ?? '').trim() : '';
    if (id) {
      // A short digest, not the id itself: 100,000 ids then take a few megabytes.
      const seen = crypto.createHash('sha256').update(id).digest('base64').slice(0, 12);
      if (this.seenIds.has(seen)) return { error: `respondent id "${id.slice(0, 40)}" appears again` };
      this.seenIds.add(seen);
      return { key: `id:${id}` };
    }
    const hash = crypto.createHash('sha256').update(row.cells.join('\u0000')).digest('hex');
    const seen = hash.slice(0, 16);
    const occurrence = (this.seenHashes.get(seen) ?? 0) + 1;
    this.seenHashes.set(seen, occurrence);
    return { key: `row:${hash}:${occurrence}` };
  }
}

/** Every respondent row after the header rows, with its key, or why it is skipped. */
export async function* respondentRows(
  opened: OpenedFile,
  onBadRow: (row: number, message: string) => void,
): AsyncGenerator<{ row: FileRow; key: string }> {
  const width = opened.header.columns.length;
  const keys = new RowKeys(opened.header.columns.find((column) => column.respondentId));
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
    const keyed = keys.keyOf(row);
    if ('error' in keyed) {
      onBadRow(row.number, keyed.error);
      continue;
    }
    yield { row, key: keyed.key };
  }
}
