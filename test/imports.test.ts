import { beforeEach, describe, expect, it } from 'vitest';
import { importedSurveyModel } from '../server/imports/model.js';
import { previewExport } from '../server/imports/preview.js';
import { importAnswers, type ImportRequest } from '../server/imports/service.js';
import { loadSurveys, type MutableSurveyRegistry } from '../server/surveys/registry.js';
import { definitionsDir, useTestApp } from './helpers/app.js';
import { sampleExport } from './helpers/imports.js';

const testApp = useTestApp();
let registry: MutableSurveyRegistry;
beforeEach(() => {
  registry = new Map(loadSurveys(definitionsDir));
});

const run = (request: Omit<ImportRequest, 'by' | 'title'> & { title?: string }) =>
  importAnswers({ connection: testApp.connection, registry }, {
    title: 'Imported',
    by: 'test',
    ...request,
  } as ImportRequest);

const columnStarting = async (file: string, start: string) =>
  (await previewExport(file)).columns.find((column) => column.name.startsWith(start))!.name;

describe('genuine exports from survey tools, read where they are', () => {
  const cases: [string, string, number, (file: string) => Promise<string> | string][] = [
    ['qualtrics-3row-qualtRics-sample.csv', 'qualtrics', 1, () => 'QID2_TEXT'],
    ['qualtrics-2row-legacy-qualtRics-sample.csv', 'qualtrics-legacy', 1, () => 'Q2'],
    ['qualtrics-3row-2020-QualtricsTools-dummy.csv', 'qualtrics', 61, () => 'Q3'],
    ['surveymonkey-2row-538-midwest.csv', 'surveymonkey', 2778, (file) => columnStarting(file, 'In your own words')],
    [
      'surveymonkey-2row-538-religion.csv',
      'surveymonkey',
      1039,
      () => 'What is your present religion, if any? - None of these',
    ],
    [
      'surveymonkey-2row-538-starwars-cp1252.csv',
      'surveymonkey',
      1186,
      (file) => columnStarting(file, 'Do you consider yourself to be a fan of the Expanded'),
    ],
    ['googleforms-1row-autistica-turing.csv', 'one-row', 42, (file) => columnStarting(file, 'Q1:')],
    [
      'googleforms-1row-rcommunity-2019-es.xlsx',
      'one-row',
      338,
      (file) => columnStarting(file, '¿Cuál crees que es el mayor obstáculo'),
    ],
  ];
  it.each(cases)(
    '%s: layout %s, %i respondents, and 0 new the second time',
    async (name, layout, respondents, textColumn) => {
      const file = sampleExport(name);
      const surveyId = `s-${name
        .replace(/\.\w+$/, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 55)}`;
      const request = { surveyId, file, text: [await textColumn(file)], attributes: [] };
      const first = await run(request);
      expect(first).toMatchObject({ survey: surveyId, layout, rows: respondents, imported: respondents, skipped: 0 });
      expect(await testApp.responses.countDocuments({ surveyId })).toBe(respondents);
      expect((await run(request)).imported).toBe(0);
    },
  );

  it('keeps the two identical SurveyMonkey respondents of the religion survey apart', async () => {
    const file = sampleExport('surveymonkey-2row-538-religion.csv');
    const summary = await run({
      surveyId: 'religion-twice',
      file,
      text: ['What is your present religion, if any? - None of these'],
      attributes: ['What is your gender?'],
    });
    expect(summary.imported).toBe(1039);
  });

  it('reads the Windows-1252 header of the Star Wars export as the characters it holds, never U+FFFD', async () => {
    const preview = await previewExport(sampleExport('surveymonkey-2row-538-starwars-cp1252.csv'));
    expect(preview.encoding).toBe('windows-1252');
    const names = preview.columns.map((column) => column.name).join('\n');
    expect(names).toContain('Expanded Universe?Œæ');
    expect(names).not.toContain('\uFFFD');
  });

  it("refuses the personal columns of a German Qualtrics export by the tool's ids, not the English labels", async () => {
    const file = sampleExport('qualtrics-3row-qualtRics-sample.csv');
    for (const column of [
      'IPAddress',
      'IP-Adresse',
      'Breitengrad des Standorts',
      'RecipientEmail',
      'locationLongitude',
    ]) {
      await expect(run({ surveyId: 'refused', file, text: ['Q2'], attributes: [column] })).rejects.toThrow(
        /personal data/,
      );
    }
    expect(await testApp.responses.countDocuments({ surveyId: 'refused' })).toBe(0);
    expect(await importedSurveyModel(testApp.connection).countDocuments({ _id: 'refused' })).toBe(0);
  });

  it('reads the Google Sheets workbook\'s dates as dates and whole numbers without ".0"', async () => {
    const preview = await previewExport(sampleExport('googleforms-1row-rcommunity-2019-es.xlsx'));
    expect(
      preview.columns
        .filter((column) => column.name.startsWith('¿Qué opción refleja mejor'))
        .map((column) => column.name),
    ).toEqual([
      '¿Qué opción refleja mejor la razón principal por la que aprendiste R?',
      '¿Qué opción refleja mejor la razón principal por la que aprendiste R? (2)',
    ]);
    const timestamp = preview.columns.findIndex((column) => column.name === 'Timestamp');
    expect(preview.firstRows[0]![timestamp]).toMatch(/^2019-12-13 12:02:3\d$/);
    const year = preview.columns.findIndex((column) => column.name === '¿En qué año comenzaste a aprender R?');
    const years = preview.firstRows.map((row) => row[year]).filter(Boolean);
    for (const value of years) expect(value).toMatch(/^\d{4}$/);
  });
});
