import { strToU8, zipSync } from 'fflate';
import type request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { importedSurveyModel } from '../server/imports/model.js';
import { previewExport } from '../server/imports/preview.js';
import { ImportRefusedError, importAnswers, type ImportRequest } from '../server/imports/service.js';
import { loadSurveys, type MutableSurveyRegistry } from '../server/surveys/registry.js';
import { definitionsDir, useTestApp } from './helpers/app.js';
import { writeFixture } from './helpers/imports.js';
import { addUser, signIn } from './helpers/office.js';

/** What an outside tester found wrong with the import, each kept as a test. */

const testApp = useTestApp();
let registry: MutableSurveyRegistry;
beforeEach(() => {
  registry = new Map(loadSurveys(definitionsDir));
});
const run = (request: Omit<ImportRequest, 'by' | 'title'>, registryFor = registry) =>
  importAnswers(
    { connection: testApp.connection, registry: registryFor },
    { title: 'Imported', by: 'test', ...request },
  );
const answersOf = async (surveyId: string) =>
  (await testApp.responses.find({ surveyId }).sort({ _id: 1 }).lean()).map(
    (response) => response.answers as Record<string, string>,
  );

const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
/** A workbook with this sheet XML and these shared strings, and nothing else a reader could lean on. */
function workbook(
  sheet: string,
  shared: string | Uint8Array = `<sst xmlns="${main}"></sst>`,
  styles?: string,
): Uint8Array {
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return zipSync({
    'xl/worksheets/sheet1.xml': strToU8(`<worksheet xmlns="${main}"><sheetData>${sheet}</sheetData></worksheet>`),
    'xl/sharedStrings.xml': typeof shared === 'string' ? strToU8(shared) : shared,
    ...(styles ? { 'xl/styles.xml': strToU8(styles) } : {}),
    'xl/workbook.xml': strToU8(
      `<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="S" sheetId="1" r:id="rId3"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
  });
}
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

describe('workbooks built to break the reader', () => {
  it("refuses a cell beyond Excel's last column instead of filling billions of cells", async () => {
    const file = writeFixture(
      'far.xlsx',
      workbook(`<row r="1">${inline('A1', 'Answer')}${inline('ZZZZZZZ1', 'x')}</row>`),
    );
    await expect(previewExport(file)).rejects.toThrow(/beyond Excel's last column/);
    await expect(run({ surveyId: 'far', file, text: ['Answer'], attributes: [] })).rejects.toThrow(ImportRefusedError);
  });

  it('refuses a shared string of millions of characters (a zip bomb) before holding them all', async () => {
    const huge = new TextEncoder().encode(`<sst xmlns="${main}"><si><t>${'a'.repeat(3_000_000)}</t></si></sst>`);
    const file = writeFixture('bomb.xlsx', workbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', huge));
    await expect(run({ surveyId: 'bomb', file, text: ['Column 1'], attributes: [] })).rejects.toThrow(
      /more than 1,000,000 characters/,
    );
  });

  it('reads a time-only cell as a time and a percentage as a percentage', async () => {
    const styles = `<styleSheet xmlns="${main}"><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="21"/><xf numFmtId="9"/></cellXfs></styleSheet>`;
    const file = writeFixture(
      'typed.xlsx',
      workbook(
        `<row r="1">${inline('A1', 'Time')}${inline('B1', 'Share')}</row><row r="2"><c r="A2" s="1"><v>0.6041666666666666</v></c><c r="B2" s="2"><v>0.25</v></c></row>`,
        undefined,
        styles,
      ),
    );
    expect((await previewExport(file)).firstRows[0]).toEqual(['14:30:00', '25%']);
  });
});

describe('texts and bytes built to break the reader', () => {
  it('skips and reports a row whose answer is too long to be a survey answer, storing the others', async () => {
    const file = writeFixture('long.csv', `Answer\nfine\n${'x'.repeat(150_000)}\nalso fine\n`);
    const summary = await run({ surveyId: 'long', file, text: ['Answer'], attributes: [] });
    expect(summary).toMatchObject({ rows: 2, imported: 2, skipped: 1 });
    expect(summary.errors[0]).toMatchObject({
      row: 3,
      message: expect.stringMatching(/has 150,000 characters; at most 100,000/),
    });
  });

  it('refuses a damaged UTF-8 file by name instead of reading it as Windows-1252', async () => {
    const good = Buffer.from('Région,Réponse\nÎle-de-France,Très bien: café\n', 'utf8');
    const file = writeFixture('damaged.csv', Buffer.concat([good, Buffer.from([0x42, 0xff, 0x0a])]));
    await expect(run({ surveyId: 'damaged', file, text: ['Réponse'], attributes: [] })).rejects.toThrow(
      /UTF-8 with some damaged bytes/,
    );
    expect(await importedSurveyModel(testApp.connection).countDocuments({ _id: 'damaged' })).toBe(0);
  });

  it('refuses UTF-16 without a byte-order mark by name', async () => {
    const file = writeFixture('utf16.csv', Buffer.from('Answer\nhello\n', 'utf16le'));
    await expect(run({ surveyId: 'utf16', file, text: ['Answer'], attributes: [] })).rejects.toThrow(/UTF-16/);
  });

  it('reads a file whose records end in a bare CR (old Mac line endings)', async () => {
    const file = writeFixture('cr.csv', 'Answer,Role\rfirst,Lead\rsecond,Worker\r');
    expect(await run({ surveyId: 'cr', file, text: ['Answer'], attributes: ['Role'] })).toMatchObject({
      rows: 2,
      imported: 2,
    });
  });

  it('keeps an attribute whose only value slugs like the padding choice', async () => {
    const file = writeFixture('none.csv', 'Group,Answer\nNone 1,hello\nNo answer 1,world\n');
    expect((await run({ surveyId: 'padding', file, text: ['Answer'], attributes: ['Group'] })).imported).toBe(2);
  });
});

describe('headers built to break the naming and the layout', () => {
  it('names "Comment", "Comment", "Comment (2)" uniquely, so the third column chosen is the third stored', async () => {
    const file = writeFixture('comments.csv', 'Comment,Comment,Comment (2)\nfirst,SECRET internal note,third\n');
    const names = (await previewExport(file)).columns.map((column) => column.name);
    expect(new Set(names).size).toBe(3);
    await run({ surveyId: 'comments', file, text: ['Comment (2)'], attributes: [] });
    expect(JSON.stringify(await answersOf('comments'))).not.toContain('SECRET');
  });

  it('finds the personal sub-columns of a SurveyMonkey contact question, tool codes as headers, and labels in other scripts', async () => {
    const contact = writeFixture(
      'contact.csv',
      [
        'Respondent ID,Contact information,,,What would help?',
        ',Name,Email Address,Phone Number,Open-Ended Response',
        '1,Jane Doe,jane@example.org,07700 900123,More time',
      ].join('\n'),
    );
    const preview = await previewExport(contact);
    expect(preview.columns.filter((column) => column.personal).map((column) => column.name)).toEqual([
      'Contact information - Name',
      'Contact information - Email Address',
      'Contact information - Phone Number',
    ]);
    expect(JSON.stringify(preview.firstRows)).not.toContain('jane@example.org');
    const codes = writeFixture(
      'codes.csv',
      'id,ipaddr,_gps_latitude,_gps_longitude,Адрес электронной почты,メールアドレス,Comments\n1,203.0.113.7,51.5,-0.12,a@b.ru,c@d.jp,Fine\n',
    );
    const open = (await previewExport(codes)).columns.filter((column) => !column.personal && !column.respondentId);
    expect(open.map((column) => column.name)).toEqual(['Comments']);
  });

  it("does not store SurveyMonkey's sub-label row when every question is multiple-answer", async () => {
    const file = writeFixture(
      'all-multi.csv',
      [
        'Respondent ID,Collector ID,Which of these have you used?,,,Comments',
        ',,Buses,Trains,Trams,Other (please specify)',
        '1001,55,Buses,,Trams,Too crowded',
        '1002,55,,Trains,,Late again',
      ].join('\n'),
    );
    const summary = await run({
      surveyId: 'all-multi',
      file,
      text: ['Comments - Other (please specify)'],
      attributes: [],
    });
    expect(summary).toMatchObject({ layout: 'surveymonkey', rows: 2, imported: 2 });
    expect(JSON.stringify(await answersOf('all-multi'))).not.toContain('Other (please specify)');
  });

  it('keeps a one-row file one-row when its first respondent answered "Response"', async () => {
    const file = writeFixture(
      'response.csv',
      'What word describes us?,Why?\nResponse,Because\nFast,Quick\nSlow,Late\n',
    );
    expect(await run({ surveyId: 'response', file, text: ['Why?'], attributes: [] })).toMatchObject({
      layout: 'one-row',
      rows: 3,
    });
  });
});

describe('importing again and at once', () => {
  it('recognises the same respondents in a later export that has a new, still empty column', async () => {
    const earlier = writeFixture('v1.csv', 'Timestamp,Answer\n2024-01-01 10:00,one\n2024-01-02 10:00,two\n');
    const later = writeFixture(
      'v2.csv',
      'Timestamp,New question,Answer\n2024-01-01 10:00,,one\n2024-01-02 10:00,,two\n2024-01-03 10:00,,three\n',
    );
    expect((await run({ surveyId: 'versions', file: earlier, text: ['Answer'], attributes: [] })).imported).toBe(2);
    expect((await run({ surveyId: 'versions', file: later, text: ['Answer'], attributes: [] })).imported).toBe(1);
  });

  it("keeps both files' attribute values when two files are imported into one new survey at once", async () => {
    const north = writeFixture('north.csv', 'Region,Answer\nNorth,one\nNorth,two\n');
    const east = writeFixture('east.csv', 'Region,Answer\nEast,three\nEast,four\n');
    await Promise.all([
      run({ surveyId: 'both', file: north, text: ['Answer'], attributes: ['Region'] }, new Map(registry)),
      run({ surveyId: 'both', file: east, text: ['Answer'], attributes: ['Region'] }, new Map(registry)),
    ]);
    const record = await importedSurveyModel(testApp.connection).findById('both').lean();
    const region = JSON.parse(record!.definition).pages[0].questions[0] as { choices: { value: string }[] };
    const stored = (await answersOf('both')).map((answers) => answers.region);
    expect(stored).toHaveLength(4);
    for (const value of stored) expect(region.choices.map((choice) => choice.value)).toContain(value);
  });
});

describe('uploads that are not what the form sends', () => {
  it('answers a multipart body without a boundary, or cut short, with 400', async () => {
    await addUser(testApp, 'admin@example.org', 'admin');
    await addUser(testApp, 'lead@example.org', 'lead');
    for (const [email, url] of [
      ['admin@example.org', '/admin/imports/upload'],
      ['lead@example.org', '/codebooks/import/qdc-file'],
    ] as const) {
      const agent: request.Agent = await signIn(testApp.app, email);
      expect((await agent.post(url).set('Content-Type', 'multipart/form-data').send('xx')).status).toBe(400);
      const cut =
        '--XYZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nabc\r\n--XYZ\r\nContent-Disposition: form-data; name="f"; filename="a.csv"\r\n\r\nhello';
      expect((await agent.post(url).set('Content-Type', 'multipart/form-data; boundary=XYZ').send(cut)).status).toBe(
        400,
      );
    }
  });
});
