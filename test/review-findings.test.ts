import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { appOn, useTestApp } from './helpers/app.js';
import { postForm, seedResponses, signIn } from './helpers/office.js';
import { answerForms, base, noCodePressed, signInTeam, view } from './helpers/workbench.js';

/** Defects an outside tester found by playing a team of analysts, each reproduced here first. */
const testApp = useTestApp();
let ids: string[];
let ana: request.Agent;
let ben: request.Agent;
let admin: request.Agent;

beforeAll(async () => {
  ({ ana, ben, admin } = await signInTeam(testApp));
  ids = await seedResponses(
    testApp,
    'professionals',
    Array.from({ length: 12 }, (_, i) => ({
      role: 'barrister',
      country: i % 2 ? 'wales' : 'england',
      quote_consent: 'yes',
      drivers_text: `Answer number ${i}.`,
    })),
  );
});

const { at, setCode } = answerForms(() => ids);
const reconcile = (index: number, codes: string[]) =>
  postForm(
    admin,
    `/lead/reconcile/professionals/drivers_text/${ids[index]}`,
    { codebook: 'care-crisis-drivers', codes },
    '/admin',
  );
const themes = async () => (await ana.get(`/reports/professionals/themes/drivers_text?${view}&format=json`)).body;
const count = (json: { rows: { codeId: string; count: number }[] }, codeId: string) =>
  json.rows.find((row) => row.codeId === codeId)!.count;

describe('reconciliation', () => {
  it('records a final coding with no code at all when no box is ticked', async () => {
    await setCode(ana, 0, 'austerity');
    await postForm(ben, `${base}/${ids[0]}/no-code`, { present: '1', view }, at(0));
    const saved = await reconcile(0, []);
    expect(saved.status).toBe(303);
    const json = await themes();
    expect(json.coverage.reconciled).toBe(1);
    expect(count(json, 'austerity')).toBe(0);
  });

  it('drops a final code that was merged away when the answer is reconciled again', async () => {
    await reconcile(1, ['austerity', 'risk-aversion']);
    await postForm(
      admin,
      '/codebooks/care-crisis-drivers/merge',
      { from: 'risk-aversion', into: 'changing-awareness' },
      '/codebooks/care-crisis-drivers',
    );
    expect(count(await themes(), 'changing-awareness')).toBe(1);
    await reconcile(1, ['austerity']);
    const json = await themes();
    expect(count(json, 'changing-awareness')).toBe(0);
    expect(count(json, 'austerity')).toBe(1);
  });
});

describe('a page loaded before a merge', () => {
  it('still takes off the code it shows, under the id it had then', async () => {
    await setCode(ana, 2, 'workforce');
    await postForm(
      admin,
      '/codebooks/care-crisis-drivers/merge',
      { from: 'workforce', into: 'system-overload' },
      '/codebooks/care-crisis-drivers',
    );
    const stale = await setCode(ana, 2, 'workforce', false);
    expect(stale.status).toBe(303);
    expect((await ana.get(at(2))).text).not.toMatch(/class="code-button is-on"/);
  });
});

describe('two clicks at the same moment', () => {
  it('read the same in this process and in a fresh one rebuilt from the log', async () => {
    for (const index of [3, 4, 5, 6, 7, 8, 9, 10]) {
      await Promise.all([
        postForm(ana, `${base}/${ids[index]}/no-code`, { present: '1', view }, at(index)),
        setCode(ana, index, 'austerity'),
        setCode(ana, index, 'austerity', index % 2 === 0),
      ]);
    }
    const fresh = await signIn(appOn(testApp.connection), 'ana@review.example');
    for (const index of [3, 4, 5, 6, 7, 8, 9, 10]) {
      const state = (html: string) => ({
        noCode: noCodePressed(html),
        austerity: /class="code-button is-on" aria-pressed="true"[^>]*>\s*<kbd>2<\/kbd>/.test(html),
      });
      const live = state((await ana.get(at(index))).text);
      const rebuilt = state((await fresh.get(at(index))).text);
      expect(rebuilt, `answer ${index}`).toEqual(live);
      expect(live.noCode && live.austerity, `answer ${index}`).toBe(false);
    }
  });
});

describe('closed questions filtered by the question itself', () => {
  it('give the filtered question the filtered base, never a negative "did not answer"', async () => {
    const json = (await ana.get('/reports/professionals/questions?format=json&country=england')).body;
    const country = json.distributions.find((d: { id: string }) => d.id === 'country');
    expect(json.total).toBe(6);
    expect(country).toMatchObject({ base: 6, notAnswered: 0, notAsked: 0 });
    for (const distribution of json.distributions)
      expect(distribution.notAnswered, distribution.id).toBeGreaterThanOrEqual(0);
  });
});

describe('survey dates', () => {
  it('accept a survey open for one day', async () => {
    const saved = await postForm(
      admin,
      '/admin/surveys/family/dates',
      { opens: '2026-11-25', closes: '2026-11-25' },
      '/admin',
    );
    expect(saved.status).toBe(303);
  });
});
