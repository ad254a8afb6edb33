import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../server/config.js';
import { loadCodebookFiles } from '../server/codebooks/files.js';
import { loadSignposting } from '../server/help/signposting.js';
import { loadSurveys } from '../server/surveys/registry.js';
import { definitionsDir } from './helpers/app.js';
import { runToExit } from './helpers/process.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a deliberately broken copy of the JSON
function definitionsWith(change: (professionals: any) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'survey-defs-'));
  const professionals = JSON.parse(fs.readFileSync(path.join(definitionsDir, 'professionals.json'), 'utf8'));
  change(professionals);
  fs.writeFileSync(path.join(dir, 'professionals.json'), JSON.stringify(professionals));
  return dir;
}

describe('survey definitions', () => {
  it('holds the three instruments with the question ids of the brief', () => {
    const surveys = loadSurveys(definitionsDir);
    const ids = (id: string) => surveys.get(id)!.questions.map((question) => question.id);
    expect(ids('professionals')).toEqual([
      'consent',
      'role',
      'country',
      'experience',
      'region',
      'trend',
      'drivers',
      'drivers_text',
      'partnership_norm',
      'partnership_meaning',
      'barriers_exist',
      'barriers_text',
      'promoters_text',
      'change_text',
      'quote_consent',
    ]);
    expect(ids('family')).toEqual([
      'consent',
      'relationship',
      'carer',
      'country',
      'involvement',
      'early_help',
      'listened_to',
      'fgc_offered',
      'advice',
      'help_needed_text',
      'worked_well_text',
      'change_text',
      'quote_consent',
    ]);
    expect(ids('care-experienced')).toEqual([
      'consent',
      'age_band',
      'years_in_care',
      'placements',
      'country',
      'listened_text',
      'family_text',
      'change_text',
      'quote_consent',
    ]);
    const careExperienced = surveys.get('care-experienced')!;
    expect(careExperienced.questions.filter((question) => question.required).map((question) => question.id)).toEqual([
      'consent',
    ]);
  });

  it('names the file and the field of a broken definition', () => {
    const dir = definitionsWith((survey) => {
      survey.pages[1].questions[0].choices[2].label = { cy: 'Uwch reolwr' };
    });
    expect(() => loadSurveys(dir)).toThrow(
      /professionals\.json: invalid survey definition\n\s+at pages\[1\]\(about-you\)\.questions\[0\]\(role\)\.choices\[2\]\.label\.en/,
    );
  });

  it('refuses a condition that looks forward, an unknown type and a duplicate id', () => {
    const forward = definitionsWith((survey) => {
      survey.pages[1].questions[1].showIf = { question: 'quote_consent', is: ['yes'] };
    });
    expect(() => loadSurveys(forward)).toThrow(
      /questions\[1\]\(country\)\.showIf\.question: "quote_consent" must be a question on an earlier page/,
    );
    const badType = definitionsWith((survey) => {
      survey.pages[2].questions[0].type = 'dropdown';
    });
    expect(() => loadSurveys(badType)).toThrow(/pages\[2\]\(region\)\.questions\[0\]\(region\)\.type/);
    const duplicate = definitionsWith((survey) => {
      survey.pages[7].questions[0].id = 'role';
    });
    expect(() => loadSurveys(duplicate)).toThrow(/duplicate question id "role"/);
  });

  it('stops the app at start-up with a message naming the file', async () => {
    const dir = definitionsWith((survey) => {
      delete survey.version;
    });
    const { code, output } = await runToExit({ SURVEYS_DIR: dir, MONGODB_URI: 'mongodb://127.0.0.1:1/never-used' });
    expect(code).toBe(1);
    expect(output).toContain(`Could not start: ${path.join(dir, 'professionals.json')}: invalid survey definition`);
    expect(output).toContain('at version:');
    expect(output).not.toMatch(/\n\s+at .*\.ts:\d+/);
  }, 60_000);
});

describe('the other data files', () => {
  it('names the file and the code of a broken codebook', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codebooks-'));
    const codebook = JSON.parse(
      fs.readFileSync(path.join(projectRoot, 'coding-schemes', 'care-crisis-drivers.json'), 'utf8'),
    );
    delete codebook.codes[0].definition;
    fs.writeFileSync(path.join(dir, 'care-crisis-drivers.json'), JSON.stringify(codebook));
    expect(() => loadCodebookFiles(dir)).toThrow(
      /care-crisis-drivers\.json: invalid codebook\n\s+at codes\[0\]\(system-overload\)\.definition/,
    );
  });

  it('names the file of signposting that is not JSON', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'signposting-')), 'signposting.json');
    fs.writeFileSync(file, '{"emergency": ');
    expect(() => loadSignposting(file)).toThrow(/signposting\.json: not valid JSON/);
  });
});

describe('the command line', () => {
  it('lists the surveys as JSON', () => {
    const output = execFileSync('npm', ['run', '--silent', 'cli', '--', 'surveys'], {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    const surveys = JSON.parse(output);
    const openNow = (id: string) => loadSurveys(definitionsDir).get(id)!.isOpen(new Date());
    expect(surveys).toEqual([
      {
        id: 'care-experienced',
        title: 'Care-experienced adults survey',
        questions: 9,
        open: openNow('care-experienced'),
      },
      { id: 'family', title: 'Family members survey', questions: 13, open: openNow('family') },
      {
        id: 'professionals',
        title: 'Professionals survey: the rise in care proceedings',
        questions: 15,
        open: openNow('professionals'),
      },
    ]);
    expect(surveys.every((survey: { open: unknown }) => typeof survey.open === 'boolean')).toBe(true);
  }, 30_000);
});
