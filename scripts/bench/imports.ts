import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { projectRoot } from '../../server/config.js';
import { startFerretDb } from '../../server/db/ferretdb.js';
import { answerText, random } from './dataset.js';

const SIZES = (process.env.BENCH_IMPORT_SIZES ?? '10000,100000').split(',').map(Number);
const ROLES = ['Social worker', 'Team manager', 'Foster carer', 'Other (please specify)', 'Lawyer'];
const REGIONS = ['North East', 'North West', 'London', 'South West', 'Wales'];

const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

/** A SurveyMonkey-style export: metadata and personal columns, two header rows, long answers. */
function writeCsv(file: string, rows: number): void {
  const next = random(42);
  const out = fs.openSync(file, 'w');
  const header = [
    'Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,What is your role?,,Region,What would help you most in your work?',
    ',,,,,,Response,Other (please specify),Response,Open-Ended Response',
  ];
  fs.writeSync(out, `\uFEFF${header.join('\r\n')}\r\n`);
  let buffer = '';
  for (let row = 0; row < rows; row += 1) {
    const role = ROLES[Math.floor(next() * ROLES.length)]!;
    const cells = [
      String(100000000 + row),
      '42',
      '2024-03-01 10:00:00',
      '2024-03-01 10:12:00',
      `10.0.${row % 250}.${row % 200}`,
      `person${row}@example.org`,
      role,
      role.startsWith('Other') ? 'Kinship carer' : '',
      REGIONS[Math.floor(next() * REGIONS.length)]!,
      answerText(next),
    ];
    buffer += `${cells.map(quote).join(',')}\r\n`;
    if (buffer.length > 1 << 20) {
      fs.writeSync(out, buffer);
      buffer = '';
    }
  }
  fs.writeSync(out, buffer);
  fs.closeSync(out);
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The same rows as a Google Sheets .xlsx: shared strings after the sheet, a date cell per row, no <dimension>. */
function writeXlsx(file: string, rows: number): void {
  const next = random(42);
  const strings: string[] = [];
  const cell = (ref: string, text: string) => {
    strings.push(text);
    return `<c r="${ref}" t="s"><v>${strings.length - 1}</v></c>`;
  };
  const header = [
    'Timestamp',
    'Email Address',
    'What is your role?',
    'Region',
    'What would help you most in your work?',
    'What is your role? - Other (please specify)',
  ];
  const sheet: string[] = [
    `<row r="1">${header.map((text, index) => cell(`${String.fromCharCode(65 + index)}1`, text)).join('')}</row>`,
  ];
  for (let row = 0; row < rows; row += 1) {
    const r = row + 2;
    const role = ROLES[Math.floor(next() * ROLES.length)]!;
    sheet.push(
      `<row r="${r}"><c r="A${r}" s="1"><v>${45292 + row / 1000}</v></c>${cell(`B${r}`, `person${row}@example.org`)}${cell(`C${r}`, role)}${cell(`D${r}`, REGIONS[Math.floor(next() * REGIONS.length)]!)}${cell(`E${r}`, answerText(next))}${role.startsWith('Other') ? cell(`F${r}`, 'Kinship carer') : ''}</row>`,
    );
  }
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  fs.writeFileSync(
    file,
    zipSync({
      'xl/worksheets/sheet1.xml': strToU8(
        `<worksheet xmlns="${main}"><sheetData>${sheet.join('')}</sheetData></worksheet>`,
      ),
      'xl/sharedStrings.xml': strToU8(
        `<sst xmlns="${main}">${strings.map((text) => `<si><t>${escapeXml(text)}</t></si>`).join('')}</sst>`,
      ),
      'xl/styles.xml': strToU8(
        `<styleSheet xmlns="${main}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22"/></cellXfs></styleSheet>`,
      ),
      'xl/workbook.xml': strToU8(
        `<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="Form Responses 1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
    }),
  );
}

function runImport(uri: string, file: string, surveyId: string): Record<string, number> {
  const child = spawnSync(
    path.join(projectRoot, 'node_modules', '.bin', 'tsx'),
    ['scripts/bench/import-child.ts', uri, file, surveyId],
    {
      cwd: projectRoot,
      encoding: 'utf8',
    },
  );
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}

/** Import rate and the importing process's peak memory, at each size: memory should not grow with rows. */
export async function benchImports(): Promise<void> {
  for (const size of SIZES) {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
    const file = path.join(directory, 'export.csv');
    writeCsv(file, size);
    const database = await startFerretDb({ dataDir: directory });
    try {
      const uri = `${database.uri}bench_import`;
      const first = runImport(uri, file, 'bench');
      const again = runImport(uri, file, 'bench');
      const megabytes = fs.statSync(file).size / 1024 / 1024;
      const workbook = path.join(directory, 'export.xlsx');
      writeXlsx(workbook, size);
      const fromXlsx = runImport(uri, workbook, 'bench-xlsx');
      console.log(
        `import XLSX ${size.toLocaleString('en-GB')} rows (${(fs.statSync(workbook).size / 1024 / 1024).toFixed(0)} MB zipped): ${fromXlsx.imported} stored in ${fromXlsx.seconds!.toFixed(1)} s = ${Math.round(fromXlsx.rows! / fromXlsx.seconds!)} rows/s, peak memory ${fromXlsx.peakMb!.toFixed(0)} MB`,
      );
      console.log(
        `import CSV ${size.toLocaleString('en-GB')} rows (${megabytes.toFixed(0)} MB): ${first.imported} stored in ${first.seconds!.toFixed(1)} s = ${Math.round(first.rows! / first.seconds!)} rows/s, peak memory ${first.peakMb!.toFixed(0)} MB; again: ${again.imported} new in ${again.seconds!.toFixed(1)} s, peak ${again.peakMb!.toFixed(0)} MB`,
      );
    } finally {
      await database.stop();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  }
}
