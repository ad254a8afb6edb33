/** One record of an export: its number in the file (1 = the first header row) and its cells as text. */
export interface FileRow {
  number: number;
  cells: string[];
}

/** A file's records, read again from the start each time `rows` is called (the import reads twice). */
export interface RowSource {
  rows(onBadRow: (row: number, message: string) => void): AsyncGenerator<FileRow>;
}
