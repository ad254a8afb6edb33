import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { decodedText, UnreadableFileError, type FileEncoding } from './encoding.js';
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
          record_delimiter: ['\r\n', '\n', '\r'],
          // A record past this is not a survey respondent: reported and skipped, never held whole.
          max_record_size: 2_000_000,
          info: true,
        }),
      );
      let unfinished: number | undefined;
      parser.on('skip', (error: CsvError) => {
        const row = Number(error.records ?? 0) + 1;
        // A quote still open at the end means the file was cut short: nothing after it can be trusted.
        if (error.code === 'CSV_QUOTE_NOT_CLOSED') unfinished = row;
        else onBadRow(row, error.message);
      });
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) {
        yield { number: info.records, cells: record };
      }
      if (unfinished !== undefined) {
        throw new UnreadableFileError(
          `The file ends inside a quoted answer that starts at row ${unfinished}: it may have been cut short. Export it again.`,
        );
      }
    },
  };
}
