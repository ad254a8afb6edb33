import { layoutNames, type FileColumn } from './layout.js';
import { isBlank, openExport } from './source.js';

export interface ImportPreview {
  format: 'csv' | 'xlsx';
  encoding?: string;
  layout: string;
  layoutName: string;
  columns: FileColumn[];
  /** The first respondents' cells, with personal columns' values withheld. */
  firstRows: string[][];
}

const SHOWN_ROWS = 5;
const SHOWN_CHARACTERS = 80;

/** What the admin sees before confirming: the layout found, the columns, the first few respondents. */
export async function previewExport(file: string): Promise<ImportPreview> {
  const opened = await openExport(file);
  const { columns, headerRows, layout } = opened.header;
  const firstRows: string[][] = [];
  let headersLeft = headerRows;
  for await (const row of opened.source.rows(() => undefined)) {
    if (isBlank(row)) continue;
    if (headersLeft > 0) {
      headersLeft -= 1;
      continue;
    }
    firstRows.push(
      columns.map((column) => {
        if (column.personal) return '(personal: not shown)';
        const cell = row.cells[column.index] ?? '';
        return cell.length > SHOWN_CHARACTERS ? `${cell.slice(0, SHOWN_CHARACTERS)}…` : cell;
      }),
    );
    if (firstRows.length === SHOWN_ROWS) break;
  }
  return {
    format: opened.format,
    ...(opened.encoding ? { encoding: opened.encoding } : {}),
    layout,
    layoutName: layoutNames[layout],
    columns,
    firstRows,
  };
}
