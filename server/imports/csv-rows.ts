import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { decodedText, type FileEncoding } from './encoding.js';
import type { RowSource } from './rows.js';

/**
 * The records of a CSV file, one array of cells each, streamed. Records may end in CRLF or LF (Google
 * Sheets writes CRLF between records and bare LF inside answers); a missing final newline still ends
 * the last record. A record the parser cannot read is reported by its number and skipped.
 */
export function csvRows(file: string, encoding: FileEncoding): RowSource {
  return {
    async *rows(onBadRow) {
      const parser = Readable.from(decodedText(file, encoding)).pipe(
        parse({
          relax_column_count: true,
          relax_quotes: true,
          skip_records_with_error: true,
          record_delimiter: ['\r\n', '\n'],
          info: true,
        }),
      );
      parser.on('skip', (error: CsvError) => onBadRow(Number(error.records ?? 0) + 1, error.message));
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) {
        yield { number: info.records, cells: record };
      }
    },
  };
}
