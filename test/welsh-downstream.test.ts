import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { appOn, useTestApp } from './helpers/app.js';
import { addUser, seedCodings, seedResponses, signIn } from './helpers/office.js';

/** Answers given in Welsh, downstream: marked in the workbench, no English guesses, a language breakdown. */

const testApp = useTestApp();
let ids: string[];
let analyst: request.Agent;
let coderId: string;
const base = '/work/professionals/drivers_text';
const at = (index: number) => `${base}?codebook=care-crisis-drivers&at=${ids[index]}`;

beforeAll(async () => {
  coderId = (await addUser(testApp, 'ana@review.example', 'analyst')).id;
  ids = await seedResponses(testApp, 'professionals', [
    { role: 'social-worker', country: 'wales', quote_consent: 'yes', drivers_text: 'Caseloads and fear of blame.' },
    {
      role: 'social-worker',
      country: 'wales',
      quote_consent: 'yes',
      drivers_text: 'Mae tlodi a thoriadau i gymorth cynnar yn gwthio teuluoedd i argyfwng.',
    },
    {
      role: 'barrister',
      country: 'wales',
      quote_consent: 'no',
      drivers_text: 'Llwythi achosion uchel a throsiant staff.',
    },
  ]);
  await testApp.responses.updateMany({ _id: { $in: [ids[1], ids[2]] } }, { $set: { language: 'cy' } });
  await seedCodings(testApp, [
    { responseId: ids[0]!, coderId, codeId: 'workforce' },
    { responseId: ids[1]!, coderId, codeId: 'austerity' },
    { responseId: ids[2]!, coderId, codeId: 'workforce' },
  ]);
  analyst = await signIn(testApp.app, 'ana@review.example');
});

describe('Welsh answers in the workbench and the outputs', () => {
  it('marks an answer written in Welsh, and only that one', async () => {
    const welsh = await analyst.get(at(1));
    expect(welsh.status).toBe(200);
    expect(welsh.text).toContain('<span class="tag" lang="cy">Cymraeg</span>');
    expect(welsh.text).toMatch(
      /<blockquote class="answer-text" id="answer-text" tabindex="-1" lang="cy"[^>]*>Mae tlodi/,
    );
    const english = await analyst.get(at(0));
    expect(english.text).not.toContain('lang="cy">Cymraeg</span>');
    expect(english.text).toMatch(/<blockquote class="answer-text" id="answer-text" tabindex="-1" data-response/);
  });

  it('says plainly that suggestions work on English answers only, instead of guessing on a Welsh one', async () => {
    const withSuggestions = appOn(testApp.connection, {
      suggestions: { suggest: async () => [{ codeId: 'workforce', score: 0.9, because: ['staff'] }] },
    });
    const agent = await signIn(withSuggestions, 'ana@review.example');
    const english = await agent.get(at(0));
    expect(english.text).toContain('data-suggestion="1"');
    const welsh = await agent.get(at(2));
    expect(welsh.text).toContain(
      'Suggestions work on English answers only: this answer is in Welsh, so none are offered.',
    );
    expect(welsh.text).not.toContain('data-suggestion="1"');
    expect(welsh.text).not.toContain('Because: staff');
  });

  it('breaks the themes down by the language the answers were given in', async () => {
    const page = await analyst.get('/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers');
    expect(page.text).toContain('<option value="language" >Language answered in</option>');
    const json = (
      await analyst.get(
        '/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&by=language&format=json',
      )
    ).body;
    expect(json.crossTab.breakdown).toEqual({ id: 'language', label: 'Language answered in' });
    expect(json.crossTab.columns.map((c: { id: string; base: number }) => [c.id, c.base])).toEqual([
      ['en', 1],
      ['cy', 2],
    ]);
    expect(json.crossTab.counts.workforce).toEqual([1, 1]);
    expect(json.crossTab.counts.austerity).toEqual([0, 1]);
  });

  it('counts who answered in each language in the respondent profile, drafts excluded', async () => {
    await testApp.responses.create({
      surveyId: 'professionals',
      surveyVersion: 1,
      tokenHash: 'welsh-draft',
      status: 'draft',
      language: 'cy',
      answers: { consent: 'yes' },
    });
    const json = (await analyst.get('/reports/professionals/profile?format=json')).body;
    const language = json.distributions.find((d: { id: string }) => d.id === 'language');
    expect(language).toMatchObject({ title: 'Language answered in', base: 3, notAsked: 0, notAnswered: 0 });
    expect(language.rows.map((row: { label: string; count: number }) => [row.label, row.count])).toEqual([
      ['English', 1],
      ['Welsh (Cymraeg)', 2],
    ]);
    const page = await analyst.get('/reports/professionals/profile');
    expect(page.text).toContain('Language answered in');
  });
});
