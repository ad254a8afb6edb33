import { spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../server/config.js';
import { importedSurveyModel } from '../server/imports/model.js';
import { ImportRefusedError, importAnswers, type ImportRequest } from '../server/imports/service.js';
import { loadSurveys, type MutableSurveyRegistry } from '../server/surveys/registry.js';
import { definitionsDir, useTestApp } from './helpers/app.js';
import { writeFixture, xlsxFixture } from './helpers/imports.js';

const testApp = useTestApp();
let registry: MutableSurveyRegistry;
beforeEach(() => {
  registry = new Map(loadSurveys(definitionsDir));
});

const run = (request: Omit<ImportRequest, 'by' | 'title'> & { title?: string }) =>
  importAnswers({ connection: testApp.connection, registry }, { title: 'Imported', by: 'test', ...request });

/** Every document of every collection, as text: where an unchosen column's values must never be. */
async function wholeDatabase(): Promise<string> {
  const parts: string[] = [];
  for (const { name } of await testApp.connection.db!.listCollections().toArray()) {
    parts.push(JSON.stringify(await testApp.connection.db!.collection(name).find().toArray()));
  }
  return parts.join('\n');
}

const answersOf = async (surveyId: string) =>
  (await testApp.responses.find({ surveyId }).sort({ _id: 1 }).lean()).map(
    (response) => response.answers as Record<string, string>,
  );

// SurveyMonkey: metadata block, a blank question cell over each sub-column, an "Other" write-in,
// a repeated question, a BOM, CRLF between records and LF inside an answer, no final newline.
const surveyMonkey = [
  '\uFEFFRespondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,What is your role?,,What would help most?,Any other comments?,Any other comments?',
  ',,,,,,,,Response,Other (please specify),Open-Ended Response,Open-Ended Response,Open-Ended Response',
  '1001,55,2024-01-02,2024-01-02,203.0.113.9,jo@example.org,Jo,Bloggs,Social worker,,"Fewer forms, more ""time"" with families",first comment,',
  '1002,55,2024-01-03,2024-01-03,203.0.113.10,sam@example.org,Sam,Hill,Other (please specify),Kinship carer,"Line one\nline two",,second comment',
  '1003,55,2024-01-04,2024-01-04,203.0.113.11,al@example.org,Al,Dee,Manager,,Stable teams,,',
].join('\r\n');

describe('a SurveyMonkey export with everything at once', () => {
  const file = writeFixture('monkey.csv', surveyMonkey);
  const request = {
    surveyId: 'monkey',
    file,
    text: ['What would help most?', 'What is your role? - Other (please specify)'],
    attributes: ['What is your role?'],
  };

  it('stores the chosen columns of each respondent and names every other column as dropped', async () => {
    const summary = await run(request);
    expect(summary).toEqual({
      survey: 'monkey',
      layout: 'surveymonkey',
      rows: 3,
      imported: 3,
      skipped: 0,
      dropped: [
        'Respondent ID',
        'Collector ID',
        'Start Date',
        'End Date',
        'IP Address',
        'Email Address',
        'First Name',
        'Last Name',
        'Any other comments?',
        'Any other comments? (2)',
      ],
      errors: [],
    });
    const answers = await answersOf('monkey');
    expect(answers.map((entry) => entry.what_would_help_most)).toEqual([
      'Fewer forms, more "time" with families',
      'Line one\nline two',
      'Stable teams',
    ]);
    expect(answers[1]!.what_is_your_role_other_please_specify).toBe('Kinship carer');
  });

  it('adds nobody the second time, and no value of an unchosen column is anywhere in the database', async () => {
    expect((await run(request)).imported).toBe(0);
    const everything = await wholeDatabase();
    for (const value of [
      '203.0.113.9',
      'jo@example.org',
      'Bloggs',
      'first comment',
      'second comment',
      '2024-01-02',
      '1001',
    ]) {
      expect(everything).not.toContain(value);
    }
  });

  it('refuses a personal column even when chosen, and stores nothing', async () => {
    await expect(run({ ...request, surveyId: 'monkey-ip', attributes: ['IP Address'] })).rejects.toThrow(
      ImportRefusedError,
    );
    await expect(run({ ...request, surveyId: 'monkey-email', text: ['Email Address'] })).rejects.toThrow(
      /personal data/,
    );
    expect(await testApp.responses.countDocuments({ surveyId: /^monkey-/ })).toBe(0);
  });

  it('keeps the last respondent of a file without a final newline, and the header rows are never respondents', async () => {
    const answers = await answersOf('monkey');
    expect(answers).toHaveLength(3);
    expect(JSON.stringify(answers)).not.toContain('Open-Ended Response');
  });
});

describe('Qualtrics, Google Forms, Windows-1252 and XLSX', () => {
  it('reads a Qualtrics file whose ImportId row is single-quoted, naming columns by id or text with stray spaces', async () => {
    const file = writeFixture(
      'qualtrics.csv',
      [
        'ResponseId,IPAddress,RecipientEmail,Q1,QID3_TEXT',
        'Response ID,IP-Adresse,E-Mail des Empfängers,Your\u00a0role ,What\u00a0would  help?',
        "{'ImportId': '_recordId'},{'ImportId': 'ipAddress'},{'ImportId': 'recipientEmail'},{'ImportId': 'QID1'},{'ImportId': 'QID3_TEXT'}",
        'R_1,198.51.100.1,x@example.org,Lead,More time',
        'R_2,198.51.100.2,y@example.org,Worker,Less paperwork',
        '',
      ].join('\n'),
    );
    const summary = await run({ surveyId: 'qualtrics', file, text: ['qid3_text'], attributes: ['Your role'] });
    expect(summary).toMatchObject({
      layout: 'qualtrics',
      rows: 2,
      imported: 2,
      dropped: ['Response ID', 'IP-Adresse', 'E-Mail des Empfängers'],
    });
    await expect(
      run({ surveyId: 'qualtrics-2', file, text: ['What would help?'], attributes: ['RecipientEmail'] }),
    ).rejects.toThrow(/personal data/);
    expect(await wholeDatabase()).not.toContain('198.51.100.1');
  });

  it('keeps two identical Google Forms rows as two respondents and makes repeated and empty headers unique', async () => {
    const file = writeFixture(
      'google.csv',
      [
        'Timestamp,Your answer,Your answer,,Comment',
        '1/2/2024 10:00:00,Same,x,y,Same words',
        '1/2/2024 10:00:00,Same,x,y,Same words',
        '1/3/2024 11:00:00,Other,x,y,Same words',
      ].join('\r\n'),
    );
    const summary = await run({
      surveyId: 'google',
      file,
      text: ['Comment', 'Your answer (2)'],
      attributes: ['Column 4'],
    });
    expect(summary).toMatchObject({ layout: 'one-row', rows: 3, imported: 3, dropped: ['Timestamp', 'Your answer'] });
    expect(
      (await run({ surveyId: 'google', file, text: ['Comment', 'Your answer (2)'], attributes: ['Column 4'] }))
        .imported,
    ).toBe(0);
  });

  it('converts a Windows-1252 file, header included, and never stores U+FFFD', async () => {
    const text = 'Caf\xe9 question \x92quoted\x92,Role\r\nIt\x92s the caf\xe9,Lead\r\n';
    const file = writeFixture('legacy.csv', Buffer.from(text, 'latin1'));
    const summary = await run({ surveyId: 'cp1252', file, text: ['Café question ’quoted’'], attributes: ['Role'] });
    expect(summary.imported).toBe(1);
    const [answers] = await answersOf('cp1252');
    expect(Object.values(answers!)).toContain('It’s the café');
    expect(await wholeDatabase()).not.toContain('\uFFFD');
  });

  it('reads an XLSX with date cells and numbers as a person sees them', async () => {
    const file = writeFixture(
      'form.xlsx',
      xlsxFixture([
        ['Timestamp', 'Year you qualified', 'What would help?'],
        [{ date: 45292.5 }, { number: 2018 }, 'Supervision'],
        [{ date: 45293.25 }, { number: 2020 }, 'Smaller caseloads'],
        [{ date: 45294 }, null, 'Time'],
      ]),
    );
    const summary = await run({
      surveyId: 'xlsx',
      file,
      text: ['What would help?'],
      attributes: ['Year you qualified'],
    });
    expect(summary).toMatchObject({ layout: 'one-row', rows: 3, imported: 3 });
    const survey = registry.get('xlsx')!;
    const year = survey.question('year_you_qualified');
    expect(year && 'choices' in year ? year.choices.map((choice) => choice.label.en) : []).toEqual(['2018', '2020']);
    expect(await wholeDatabase()).not.toContain('2024-01-01');
  });

  it('reports a bad row by its number and skips it; a file broken before its end stores nothing', async () => {
    const withBadRow = writeFixture('bad-row.csv', 'Answer,Role\nfine,Lead\ntoo,many,cells,here\nalso fine,Worker');
    const summary = await run({ surveyId: 'bad-row', file: withBadRow, text: ['Answer'], attributes: [] });
    expect(summary).toMatchObject({
      rows: 2,
      imported: 2,
      skipped: 1,
      errors: [{ row: 3, message: 'has 4 cells; the header has 2' }],
    });

    const broken = writeFixture('broken.csv', 'Answer,Role\nfine,Lead\n"never closed,Worker\nmore,rows\n');
    await expect(run({ surveyId: 'broken', file: broken, text: ['Answer'], attributes: [] })).rejects.toThrow(
      ImportRefusedError,
    );
    expect(await testApp.responses.countDocuments({ surveyId: 'broken' })).toBe(0);
    expect(await importedSurveyModel(testApp.connection).countDocuments({ _id: 'broken' })).toBe(0);
  });

  it("refuses an unknown column, a hosted survey's id, and an attribute with too many values", async () => {
    const file = writeFixture(
      'plain.csv',
      ['Answer,Id-ish', ...Array.from({ length: 70 }, (_, index) => `a${index},v${index}`)].join('\n'),
    );
    await expect(run({ surveyId: 'plain', file, text: ['No such column'], attributes: [] })).rejects.toThrow(
      'There is no column "No such column"',
    );
    await expect(run({ surveyId: 'professionals', file, text: ['Answer'], attributes: [] })).rejects.toThrow(
      /platform's own surveys/,
    );
    await expect(run({ surveyId: 'plain', file, text: ['Answer'], attributes: ['Id-ish'] })).rejects.toThrow(
      /more than 60 different values/,
    );
    expect(await testApp.responses.countDocuments({ surveyId: 'plain' })).toBe(0);
  });
});

describe('npm run cli -- import', () => {
  const cli = (...args: string[]) =>
    spawnSync('npm', ['run', '--silent', 'cli', '--', 'import', ...args], {
      cwd: projectRoot,
      encoding: 'utf8',
      env: { ...process.env, MONGODB_URI: `${inject('mongoUri').replace(/\/$/, '')}/${testApp.connection.name}` },
    });
  const file = writeFixture('cli.csv', 'Respondent ID,What would help?,Region\n1,Time,North\n2,Staff,South\n');

  // Each call starts a process that compiles the CLI and connects: slow on a busy machine.
  it('prints one JSON line and exits 0; the same file again imports 0', { timeout: 120_000 }, () => {
    const args = [
      '--survey',
      'cli',
      '--title',
      'From the CLI',
      '--file',
      file,
      '--text',
      'What would help?',
      '--attribute',
      'Region',
    ];
    const first = cli(...args);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(first.stdout)).toEqual({
      survey: 'cli',
      layout: 'one-row',
      rows: 2,
      imported: 2,
      skipped: 0,
      dropped: ['Respondent ID'],
      errors: [],
    });
    expect(JSON.parse(cli(...args).stdout)).toMatchObject({ rows: 2, imported: 0 });
    // The imported survey is exported from the command line like a hosted one.
    const project = spawnSync(
      'npm',
      ['run', '--silent', 'cli', '--', 'project', '--survey', 'cli', '--format', 'qdpx'],
      {
        cwd: projectRoot,
        env: { ...process.env, MONGODB_URI: `${inject('mongoUri').replace(/\/$/, '')}/${testApp.connection.name}` },
      },
    );
    expect(project.status, project.stderr.toString()).toBe(0);
    expect(project.stdout.subarray(0, 2).toString()).toBe('PK');
  });

  it('exits 2 for an unknown column, a personal column and an unreadable file', { timeout: 180_000 }, () => {
    expect(cli('--survey', 'cli-2', '--title', 'T', '--file', file, '--text', 'Nope').status).toBe(2);
    const personal = writeFixture('personal.csv', 'Email Address,Answer\na@b.org,x\n');
    const refused = cli(
      '--survey',
      'cli-3',
      '--title',
      'T',
      '--file',
      personal,
      '--text',
      'Answer',
      '--attribute',
      'Email Address',
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/personal data/);
    const notZip = writeFixture('fake.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect(cli('--survey', 'cli-4', '--title', 'T', '--file', notZip, '--text', 'Answer').status).toBe(2);
    expect(cli('--survey', 'cli-5', '--title', 'T', '--file', '/no/such/file.csv', '--text', 'Answer').status).toBe(2);
  });
});

describe('importing again, and twice at once', () => {
  const header = 'Respondent ID,What would help?\n';
  it('adds only the respondents a later export has that an earlier one did not', async () => {
    const earlier = writeFixture('earlier.csv', `${header}1,Time\n2,Staff\n`);
    const later = writeFixture('later.csv', `${header}1,Time\n2,Staff\n3,Training\n`);
    expect(
      (await run({ surveyId: 'growing', file: earlier, text: ['What would help?'], attributes: [] })).imported,
    ).toBe(2);
    expect(await run({ surveyId: 'growing', file: later, text: ['What would help?'], attributes: [] })).toMatchObject({
      rows: 3,
      imported: 1,
    });
    expect(await testApp.responses.countDocuments({ surveyId: 'growing' })).toBe(3);
  });

  it('stores each respondent once when the same file is imported by two people at the same moment', async () => {
    const rows = Array.from({ length: 1200 }, (_, index) => `${index + 1},answer ${index % 7}`).join('\n');
    const file = writeFixture('race.csv', `${header}${rows}`);
    const request = { surveyId: 'race', file, text: ['What would help?'], attributes: [] };
    const [first, second] = await Promise.all([run(request), run(request)]);
    expect(first.imported + second.imported).toBe(1200);
    expect(await testApp.responses.countDocuments({ surveyId: 'race' })).toBe(1200);
  });

  it('reports a respondent id that appears twice in one file by its row, and keeps the first', async () => {
    const file = writeFixture('twice.csv', `${header}7,First\n8,Other\n7,Second\n`);
    const summary = await run({ surveyId: 'twice', file, text: ['What would help?'], attributes: [] });
    expect(summary).toMatchObject({
      rows: 2,
      imported: 2,
      skipped: 1,
      errors: [{ row: 4, message: 'respondent id "7" appears again' }],
    });
    expect((await answersOf('twice')).map((answers) => answers.what_would_help)).toEqual(['First', 'Other']);
  });
});
