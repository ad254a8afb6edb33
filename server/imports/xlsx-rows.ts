import { SaxesParser } from 'saxes';
import { UnreadableFileError } from './encoding.js';
import type { FileRow, RowSource } from './rows.js';
import { SharedStrings } from './shared-strings.js';
import { asArray, cellFormats, MAIN_NS, parseXml } from './xlsx-styles.js';
import { entryChunks, zipEntries, type ZipEntry } from './zip-entries.js';

const RELS_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
/** Excel's last column is XFD (16,384): a cell reference beyond it is not a worksheet's. */
const MAX_COLUMNS = 16_384;
/** One cell's text, and all the shared strings together: past these the file is refused, not read into memory. */
export const MAX_CELL_CHARACTERS = 1_000_000;
const MAX_SHARED_STRING_CHARACTERS = 300_000_000;

interface Workbook {
  sheet: ZipEntry;
  sharedStrings: SharedStrings;
  dateStyles: Set<number>;
  percentStyles: Set<number>;
  date1904: boolean;
}

/**
 * The first sheet of an .xlsx workbook, row by row, with cells as the text a person sees: dates as
 * ISO dates (with the time when there is one), whole numbers without ".0". The sheet is streamed; only
 * the shared strings are held, as Excel keeps them apart from the sheet.
 */
export function xlsxRows(file: string): RowSource {
  return {
    async *rows() {
      const workbook = await openWorkbook(file);
      try {
        yield* sheetRows(file, workbook);
      } finally {
        workbook.sharedStrings.close();
      }
    },
  };
}

async function openWorkbook(file: string): Promise<Workbook> {
  const entries = await zipEntries(file);
  const workbookXml = await readSmallEntry(file, entries, 'xl/workbook.xml');
  if (!workbookXml) throw new UnreadableFileError('The file is not an .xlsx workbook (it has no xl/workbook.xml).');
  const workbook = parseXml(workbookXml);
  const firstSheet = workbook.getElementsByTagNameNS(MAIN_NS, 'sheet')[0];
  const relationId = firstSheet?.getAttributeNS(RELS_NS, 'id');
  if (!relationId) throw new UnreadableFileError('The workbook has no sheets.');
  const rels = parseXml((await readSmallEntry(file, entries, 'xl/_rels/workbook.xml.rels')) ?? '<Relationships/>');
  const relation = [...asArray(rels.getElementsByTagName('Relationship'))].find(
    (element) => element.getAttribute('Id') === relationId,
  );
  const target = relation?.getAttribute('Target') ?? '';
  const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  const sheet = entries.get(sheetPath);
  if (!sheet) throw new UnreadableFileError("The workbook's first sheet is missing from the file.");
  const properties = workbook.getElementsByTagNameNS(MAIN_NS, 'workbookPr')[0];
  const date1904 = ['1', 'true'].includes(properties?.getAttribute('date1904') ?? '');
  const stylesXml = await readSmallEntry(file, entries, 'xl/styles.xml');
  const { dateStyles, percentStyles } = cellFormats(stylesXml);
  const stringsEntry = entries.get('xl/sharedStrings.xml');
  const sharedStrings = stringsEntry ? await readSharedStrings(file, stringsEntry) : new SharedStrings();
  return { sheet, sharedStrings, dateStyles, percentStyles, date1904 };
}

async function readSmallEntry(file: string, entries: Map<string, ZipEntry>, name: string): Promise<string | undefined> {
  const entry = entries.get(name);
  if (!entry) return undefined;
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of entryChunks(file, entry)) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

const tooLong = () =>
  new UnreadableFileError(
    `A cell of the workbook holds more than ${MAX_CELL_CHARACTERS.toLocaleString('en-GB')} characters: no survey answer is that long.`,
  );

async function readSharedStrings(file: string, entry: ZipEntry): Promise<SharedStrings> {
  const strings = new SharedStrings();
  const parser = new SaxesParser();
  let current: string | undefined;
  let inText = false;
  let depthInPhonetic = 0;
  parser.on('opentag', (tag) => {
    if (local(tag.name) === 'si') current = '';
    else if (local(tag.name) === 'rPh') depthInPhonetic += 1;
    else if (local(tag.name) === 't' && depthInPhonetic === 0) inText = true;
  });
  let total = 0;
  parser.on('text', (text) => {
    if (!inText || current === undefined) return;
    current += text;
    total += text.length;
    if (current.length > MAX_CELL_CHARACTERS) throw tooLong();
    if (total > MAX_SHARED_STRING_CHARACTERS) {
      throw new UnreadableFileError(
        'The workbook holds more text than an export of 100,000 long answers: it cannot be imported.',
      );
    }
  });
  parser.on('closetag', (tag) => {
    if (local(tag.name) === 't') inText = false;
    else if (local(tag.name) === 'rPh') depthInPhonetic -= 1;
    else if (local(tag.name) === 'si') {
      strings.add(current ?? '');
      current = undefined;
    }
  });
  try {
    await feed(parser, entryChunks(file, entry));
    strings.finish();
  } catch (error) {
    strings.close();
    throw error;
  }
  return strings;
}

async function feed(parser: SaxesParser, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  const decoder = new TextDecoder();
  try {
    for await (const chunk of chunks) {
      parser.write(decoder.decode(chunk, { stream: true }));
    }
    parser.write(decoder.decode());
    parser.close();
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(`The .xlsx workbook could not be read: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** A tag's name without its namespace prefix. */
function local(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** "BC12" -> 54 (0-based column index). */
function columnIndex(reference: string): number {
  let index = 0;
  for (const letter of reference.match(/^[A-Z]+/)?.[0] ?? '') index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

async function* sheetRows(file: string, workbook: Workbook): AsyncGenerator<FileRow> {
  const parser = new SaxesParser();
  const ready: FileRow[] = [];
  let row: string[] = [];
  let rowNumber = 0;
  let nextColumn = 0;
  let cell: { column: number; type: string; style: number; value: string } | undefined;
  let collecting = false;
  let depthInPhonetic = 0;
  parser.on('opentag', (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    if (local(tag.name) === 'row') {
      rowNumber = attributes.r ? Number(attributes.r) : rowNumber + 1;
      row = [];
      nextColumn = 0;
    } else if (local(tag.name) === 'c') {
      const column = attributes.r ? columnIndex(attributes.r) : nextColumn;
      if (column < 0 || column >= MAX_COLUMNS) {
        throw new UnreadableFileError(
          `The workbook has a cell beyond Excel's last column (at ${String(attributes.r).slice(0, 12)}).`,
        );
      }
      cell = { column, type: attributes.t ?? 'n', style: Number(attributes.s ?? 0), value: '' };
    } else if (local(tag.name) === 'rPh') depthInPhonetic += 1;
    else if ((local(tag.name) === 'v' || local(tag.name) === 't') && cell && depthInPhonetic === 0) collecting = true;
  });
  parser.on('text', (text) => {
    if (!collecting || !cell) return;
    cell.value += text;
    if (cell.value.length > MAX_CELL_CHARACTERS) throw tooLong();
  });
  parser.on('closetag', (tag) => {
    if (local(tag.name) === 'v' || local(tag.name) === 't') collecting = false;
    else if (local(tag.name) === 'rPh') depthInPhonetic -= 1;
    else if (local(tag.name) === 'c' && cell) {
      while (row.length < cell.column) row.push('');
      row[cell.column] = cellText(cell, workbook);
      nextColumn = cell.column + 1;
      cell = undefined;
    } else if (local(tag.name) === 'row') ready.push({ number: rowNumber, cells: row });
  });
  const chunks = entryChunks(file, workbook.sheet);
  const decoder = new TextDecoder();
  try {
    for await (const chunk of chunks) {
      parser.write(decoder.decode(chunk, { stream: true }));
      while (ready.length > 0) yield ready.shift()!;
    }
    parser.write(decoder.decode());
    parser.close();
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(`The .xlsx workbook could not be read: ${(error as Error).message.split('\n')[0]}`);
  }
  while (ready.length > 0) yield ready.shift()!;
}

function cellText(cell: { type: string; style: number; value: string }, workbook: Workbook): string {
  switch (cell.type) {
    case 's':
      return workbook.sharedStrings.get(Number(cell.value));
    case 'inlineStr':
    case 'str':
    case 'e':
      return cell.value;
    case 'b':
      return cell.value === '1' ? 'TRUE' : 'FALSE';
    case 'd':
      return cell.value
        .replace('T', ' ')
        .replace(/(\.\d+)?Z?$/, '')
        .replace(/ 00:00:00$/, '');
    default: {
      if (cell.value === '') return '';
      const number = Number(cell.value);
      if (!Number.isFinite(number)) return cell.value;
      if (workbook.dateStyles.has(cell.style)) return serialDate(number, workbook.date1904);
      if (workbook.percentStyles.has(cell.style)) return `${Number((number * 100).toPrecision(12))}%`;
      return String(number);
    }
  }
}

/** An Excel date serial as "2019-11-05" or "2019-11-05 14:03:27"; a time alone (under one day) as "14:30:00". */
function serialDate(serial: number, date1904: boolean): string {
  if (serial >= 0 && serial < 1) {
    const seconds = Math.round(serial * 86_400);
    return new Date(seconds * 1000).toISOString().slice(11, 19);
  }
  const days = date1904 ? serial + 1462 : serial;
  const milliseconds = Math.round((days - 25569) * 86_400) * 1000;
  const iso = new Date(milliseconds).toISOString();
  const [date, time] = [iso.slice(0, 10), iso.slice(11, 19)];
  return Number.isInteger(serial) || time === '00:00:00' ? date : `${date} ${time}`;
}
