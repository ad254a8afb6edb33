import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChangeCounters, surveyCounterKey } from '../server/db/change-counter.js';
import { useTestApp } from './helpers/app.js';
import { addUser, csrfFrom, postForm, seedResponses, signIn } from './helpers/office.js';
import { answerForms, base, view } from './helpers/workbench.js';

/** Two analysts disagree on three answers; the lead empties the queue with the take-A, take-B and take-both forms. */

const testApp = useTestApp();
const queue = `/lead/reconcile/professionals/drivers_text?${view}`;
const agreement = `/reports/professionals/agreement/drivers_text?${view}`;
let lead: request.Agent;
let ana: request.Agent;
let ben: request.Agent;
let ids: string[];
const { setCode } = answerForms(() => ids);

beforeAll(async () => {
  await addUser(testApp, 'lead@review.example', 'lead');
  await addUser(testApp, 'ana@review.example', 'analyst');
  await addUser(testApp, 'ben@review.example', 'analyst');
  lead = await signIn(testApp.app, 'lead@review.example');
  ana = await signIn(testApp.app, 'ana@review.example');
  ben = await signIn(testApp.app, 'ben@review.example');
  ids = await seedResponses(
    testApp,
    'professionals',
    ['Austerity cut everything.', 'Nobody wants to hire.', 'Thresholds keep rising.', 'Both coders agree here.'].map(
      (drivers_text) => ({ role: 'social-worker', country: 'england', quote_consent: 'yes', drivers_text }),
    ),
  );
  await setCode(ana, 0, 'austerity');
  await setCode(ben, 0, 'workforce');
  await setCode(ana, 1, 'workforce');
  await setCode(ben, 1, 'system-overload');
  await setCode(ana, 2, 'system-overload');
  await setCode(ben, 2, 'risk-aversion');
  await setCode(ana, 3, 'austerity');
  await setCode(ben, 3, 'austerity');
  await postForm(
    ben,
    `${base}/${ids[0]}/memo`,
    { memo: 'Workforce, not money, on my reading.', view },
    `${base}?${view}`,
  );
});

/** Submits the form the page binds to a key, as the keyboard script does. */
async function press(page: string, key: string) {
  const form = new RegExp(
    `<form method="post" action="([^"]+)" data-queue data-take-key="${key}">([\\s\\S]*?)</form>`,
  ).exec(page);
  if (!form) throw new Error(`No form for key ${key}`);
  const fields = Object.fromEntries(
    [...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]),
  );
  return lead
    .post(form[1]!)
    .type('form')
    .send({ ...fields, _csrf: csrfFrom(page) });
}

/** The final codes of an answer: the last event for each code decides. */
async function finals(index: number): Promise<string[]> {
  const events = await testApp.connection
    .collection('codingevents')
    .find({ responseId: ids[index], coderId: 'final' })
    .sort({ at: 1, _id: 1 })
    .toArray();
  const present = new Map<string, boolean>();
  for (const event of events) present.set(event.codeId as string, event.present as boolean);
  return [...present]
    .filter(([, on]) => on)
    .map(([codeId]) => codeId)
    .sort();
}

describe('the reconciliation queue', () => {
  it('marks an answer written in Welsh lang="cy" on the queue and in the agreement report', async () => {
    await testApp.responses.updateOne({ _id: ids[0] }, { $set: { language: 'cy' } });
    await new ChangeCounters(testApp.connection).bump(surveyCounterKey('professionals'));
    try {
      const page = (await lead.get(`${queue}&at=${ids[0]}`)).text;
      expect(page).toContain('<blockquote class="answer-text" lang="cy">Austerity cut everything.</blockquote>');
      const report = (await lead.get(agreement)).text;
      expect(report).toContain('<td class="answer-cell"><span lang="cy">Austerity cut everything.</span>');
      expect(report).toContain('<td class="answer-cell">Nobody wants to hire.');
    } finally {
      await testApp.responses.updateOne({ _id: ids[0] }, { $set: { language: 'en' } });
      await new ChangeCounters(testApp.connection).bump(surveyCounterKey('professionals'));
    }
  });

  it('shows an analyst coding independently the figures but not the other coder’s codes, until the lead opens the comparison', async () => {
    const hidden = (await ana.get(agreement)).text;
    expect(hidden).toContain('Disagreements to reconcile (3)');
    expect(hidden).toContain('you see the figures, but not your colleagues');
    expect(hidden).not.toContain('ben@review.example:');
    expect((await ana.get(`${agreement}&format=json`)).body.disagreements).toEqual([]);
    expect((await ana.get(queue)).status).toBe(403);

    const leadView = (await lead.get(agreement)).text;
    expect(
      leadView.match(/href="\/lead\/reconcile\/professionals\/drivers_text\?codebook=care-crisis-drivers&amp;at=/g),
    ).toHaveLength(3);

    await postForm(
      lead,
      '/lead/questions/professionals/drivers_text',
      { mode: 'independent', comparisonOpen: '1' },
      '/work',
    );
    expect((await ana.get(agreement)).text).toContain('<strong>ben@review.example:</strong> Workforce and training');
    await postForm(lead, '/lead/questions/professionals/drivers_text', { mode: 'independent' }, '/work');
  });

  it('is emptied one disagreement at a time by taking A’s, B’s or both coders’ codes', async () => {
    let page = (await lead.get(queue)).text;
    expect(page).toContain(
      '<strong>3</strong> disagreements left to reconcile; 0 of 3 reconciled. 4 answers were coded by two coders or more.',
    );
    expect(page).toContain('Disagreement 1 of 3');
    expect(page).toContain('Austerity cut everything.');
    expect(page).toMatch(/A: ana@review.example<\/h3>\s*<ul><li>Austerity, cuts and deprivation<\/li><\/ul>/);
    expect(page).toContain('<strong>Memo:</strong> Workforce, not money, on my reading.');
    // The final-coding boxes say who chose each code.
    expect(page).toMatch(/Workforce and training <span class="hint">\(B\)<\/span>/);

    let response = await press(page, 'b');
    expect(response.status).toBe(303);
    page = (await lead.get(response.headers.location!)).text;
    expect(page).toContain('Answer 1 reconciled.');
    expect(page).toContain('Disagreement 1 of 2');
    expect(page).toContain('Nobody wants to hire.');

    response = await press(page, 'a');
    page = (await lead.get(response.headers.location!)).text;
    expect(page).toContain('Thresholds keep rising.');
    response = await press(page, 'u');
    page = (await lead.get(response.headers.location!)).text;
    expect(page).toContain('<strong>0</strong> disagreements left to reconcile; 3 of 3 reconciled.');
    expect(page).toContain('All 3 disagreements have a final coding.');
    expect(page).not.toContain('data-take-key');

    expect(await finals(0)).toEqual(['workforce']);
    expect(await finals(1)).toEqual(['workforce']);
    expect(await finals(2)).toEqual(['risk-aversion', 'system-overload']);
    const themes = (await lead.get(`/reports/professionals/themes/drivers_text?${view}&format=json`)).body;
    expect(themes.coverage).toMatchObject({ answers: 4, coded: 4, reconciled: 3 });
  });

  it('filters by code, revisits a reconciled answer, and says honestly when nothing is left', async () => {
    const filtered = (await lead.get(`${queue}&code=austerity`)).text;
    expect(filtered).toContain('Every disagreement involving this code has a final coding.');
    const again = (await lead.get(`${queue}&at=${ids[0]}`)).text;
    expect(again).toContain('Answer 1 (reconciled)');
    expect(again).toMatch(/id="f-workforce" name="codes" value="workforce" checked/);
    const wrong = await postForm(
      lead,
      `/lead/reconcile/professionals/drivers_text/${ids[3]}`,
      { codebook: 'care-crisis-drivers', take: 'f'.repeat(24) },
      queue,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('That coder has not coded this answer.');
  });
});

describe('what outside testers found', () => {
  it('keeps quotes, filed under colleagues’ codes, from an analyst coding independently', async () => {
    await postForm(ben, `${base}/${ids[1]}/star`, { starred: '1', view }, `${base}?${view}`);
    const page = (await ana.get(`/reports/professionals/quotes/drivers_text?${view}`)).text;
    expect(page).toContain('This question is coded independently.');
    expect(page).not.toContain('Nobody wants to hire.');
    expect((await ana.get(`/reports/professionals/quotes/drivers_text?${view}&format=json`)).body).toEqual([]);
    const report = (await ana.get('/reports/professionals/report')).text;
    expect(report).toContain('Quotes are left out for you while this question is coded independently');
    expect(report).not.toContain('‘Nobody wants to hire.’');
    expect((await lead.get(`/reports/professionals/quotes/drivers_text?${view}`)).text).toContain(
      'Nobody wants to hire.',
    );
  });

  it('says when an answer asked for is not a disagreement, or no disagreement involves a code', async () => {
    const agreed = (await lead.get(`${queue}&at=${ids[3]}`)).text;
    expect(agreed).toContain('Answer 4 is not a disagreement now:');
    expect((await lead.get(`${queue}&code=cultural-competency`)).text).toContain('No disagreement involves this code.');
  });

  it('refuses to take a coder’s codes when one has been retired since, instead of dropping it', async () => {
    const [id] = await seedResponses(testApp, 'professionals', [
      { role: 'social-worker', country: 'england', quote_consent: 'yes', drivers_text: 'A fifth answer.' },
    ]);
    const fifth = `${base}?${view}&at=${id}`;
    await postForm(ana, `${base}/${id}/codes`, { code: 'austerity', present: '1', view }, fifth);
    await postForm(ben, `${base}/${id}/codes`, { code: 'cultural-competency', present: '1', view }, fifth);
    await postForm(
      lead,
      '/codebooks/care-crisis-drivers/codes/cultural-competency/retire',
      {},
      '/codebooks/care-crisis-drivers',
    );
    const page = (await lead.get(`${queue}&at=${id}`)).text;
    expect(page).toContain('Cultural competency (retired)');
    const take = await press(page, 'b');
    expect(take.status).toBe(400);
    expect(take.text).toContain('These codes have been retired since they were given: Cultural competency.');
    expect(
      await testApp.connection.collection('codingevents').countDocuments({ responseId: id, coderId: 'final' }),
    ).toBe(0);
    await postForm(
      lead,
      '/codebooks/care-crisis-drivers/codes/cultural-competency/retire',
      { restore: '1' },
      '/codebooks/care-crisis-drivers',
    );
  });
});
