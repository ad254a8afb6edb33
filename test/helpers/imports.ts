import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { projectRoot } from '../../server/config.js';

/**
 * The genuine exports in the shared samples folder, read where they are (never copied into the
 * repository): SAMPLES_DIR, else ../shared/samples beside the repository, else /work/shared/samples.
 */
export function sampleExport(name: string): string {
  const candidates = [
    process.env.SAMPLES_DIR,
    path.resolve(projectRoot, '..', 'shared', 'samples'),
    '/work/shared/samples',
  ].filter((entry): entry is string => Boolean(entry));
  for (const directory of candidates) {
    const file = path.join(directory, 'survey-exports', name);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`The genuine export ${name} was not found in ${candidates.join(', ')}: set SAMPLES_DIR.`);
}

/** A file written for one test, in a folder of its own. */
export function writeFixture(name: string, content: string | Uint8Array): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'import-fixture-'));
  const file = path.join(directory, name);
  fs.writeFileSync(file, content);
  return file;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A small .xlsx as Google Sheets writes one: shared strings stored after the sheet, no <dimension>,
 * dates as serial numbers with a date style (style 1), whole numbers as numbers (style 0).
 * Cells: a string, or { date: serial } or { number: n }.
 */
export function xlsxFixture(rows: (string | { date: number } | { number: number } | null)[][]): Uint8Array {
  const strings: string[] = [];
  const letters = (index: number) => {
    let name = '';
    for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    return name;
  };
  const sheetRows = rows
    .map((row, rowIndex) => {
      const cells = row
        .map((cell, columnIndex) => {
          if (cell === null) return '';
          const ref = `${letters(columnIndex)}${rowIndex + 1}`;
          if (typeof cell === 'string') {
            strings.push(cell);
            return `<c r="${ref}" t="s"><v>${strings.length - 1}</v></c>`;
          }
          if ('date' in cell) return `<c r="${ref}" s="1"><v>${cell.date}</v></c>`;
          return `<c r="${ref}" s="0"><v>${cell.number}</v></c>`;
        })
        .join('');
      return `<row r="${rowIndex + 1}">${cells}</row>`;
    })
    .join('');
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    ),
    'xl/worksheets/sheet1.xml': strToU8(
      `<?xml version="1.0"?><worksheet xmlns="${main}"><sheetData>${sheetRows}</sheetData></worksheet>`,
    ),
    'xl/styles.xml': strToU8(
      `<?xml version="1.0"?><styleSheet xmlns="${main}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>`,
    ),
    'xl/sharedStrings.xml': strToU8(
      `<?xml version="1.0"?><sst xmlns="${main}">${strings.map((text) => `<si><t xml:space="preserve">${escapeXml(text)}</t></si>`).join('')}</sst>`,
    ),
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0"?><workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="Form Responses 1" sheetId="1" r:id="rId3"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
  });
}
