import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
      console.log(
        `import CSV ${size.toLocaleString('en-GB')} rows (${megabytes.toFixed(0)} MB): ${first.imported} stored in ${first.seconds!.toFixed(1)} s = ${Math.round(first.rows! / first.seconds!)} rows/s, peak memory ${first.peakMb!.toFixed(0)} MB; again: ${again.imported} new in ${again.seconds!.toFixed(1)} s, peak ${again.peakMb!.toFixed(0)} MB`,
      );
    } finally {
      await database.stop();
      fs.rmSync(directory, { recursive: true, force: true });
    }
  }
}
