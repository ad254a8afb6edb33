import { EJSON } from 'bson';
import { unzipSync, strFromU8 } from 'fflate';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineSuggestions } from '../server/autocode/service.js';
import { codebookModels } from '../server/codebooks/model.js';
import { getCodebook } from '../server/codebooks/service.js';
import { codingModels, FINAL_CODER } from '../server/coding/model.js';
import { CodingReadModel } from '../server/coding/read-model.js';
import { ChangeCounters } from '../server/db/change-counter.js';
import { loadSurveys } from '../server/surveys/registry.js';
import { responseReference } from '../server/surveys/responses/reference.js';
import { definitionsDir, useTestApp } from './helpers/app.js';
import { addUser, postForm, seedCodings, seedResponses, signIn } from './helpers/office.js';
import { Respondent } from './helpers/respondent.js';
import { answerForms, base, openComparison, signInTeam, view, type Team } from './helpers/workbench.js';
import { careExperiencedAnswers, professionalsAnswers } from './fixtures/answers.js';

/** Erasing one response on request: nothing of it is left anywhere, and every output is as if it was never sent. */

const testApp = useTestApp();
let team: Team;
let lead: request.Agent;
let ids: string[];
let erasedId: string;
let reference: string;
let erasedToken: string;
const erasedText = 'Nobody at the Ashworth Road office returned my calls for eleven weeks.';
const { at, setCode } = answerForms(() => ids);

/** Every download and output a user could take, by URL, with anything that changes by itself (times) blanked. */
const outputs = [
  '/admin/exports/professionals/responses.csv',
  '/admin/exports/professionals/responses.json',
  '/admin/exports/professionals/drivers_text/codings.csv',
  '/admin/quotes/professionals/drivers_text',
  '/reports/professionals/themes/drivers_text?format=json',
  '/reports/professionals/themes/drivers_text?format=csv',
  '/reports/professionals/quotes/drivers_text?format=json',
  '/reports/professionals/agreement/drivers_text?format=json',
  '/reports/professionals/cooccurrence/drivers_text?format=json',
  '/reports/professionals/profile?format=json',
  '/reports/professionals/monitoring?format=json',
];
async function takeOutputs(): Promise<Record<string, string>> {
  const taken: Record<string, string> = {};
  for (const url of outputs) {
    const response = await team.admin.get(url);
    expect(response.status, url).toBe(200);
    taken[url] = response.text.replace(/"(generated|at|updatedAt)":"[^"]*"/g, '"$1":""');
  }
  const project = await team.admin
    .get('/admin/exports/professionals/project.qdpx')
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  const files = unzipSync(new Uint8Array(project.body as Buffer));
  taken.qdpx = Object.entries(files)
    .filter(([name]) => name.endsWith('.qde') || name.endsWith('.txt'))
    .map(([name, data]) => `${name.replace(/[0-9a-f-]{36}/g, 'guid')}:${strFromU8(data)}`)
    .sort()
    .join('\n');
  return taken;
}

async function everything(): Promise<Record<string, string>> {
  const db = testApp.connection.db!;
  const all: Record<string, string> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray())
    all[name] = EJSON.stringify(await db.collection(name).find({}).toArray(), { relaxed: false });
  return all;
}

let before: Record<string, string>;

beforeAll(async () => {
  team = await signInTeam(testApp);
  await addUser(testApp, 'lea@review.example', 'lead');
  lead = await signIn(testApp.app, 'lea@review.example');
  await openComparison(testApp);
  ids = await seedResponses(
    testApp,
    'professionals',
    ['Caseloads are too high.', 'Poverty and housing costs.'].map((text, index) => ({
      role: index === 0 ? 'barrister' : 'social-worker',
      country: 'england',
      quote_consent: 'yes',
      drivers_text: text,
    })),
  );
  await seedCodings(testApp, [
    { responseId: ids[0]!, coderId: team.anaId, codeId: 'austerity' },
    { responseId: ids[1]!, coderId: team.anaId, codeId: 'risk-aversion' },
  ]);
  expect((await postForm(team.ana, `${base}/${ids[0]}/star`, { starred: '1', view }, at(0))).status).toBe(303);
  // Every output as it stands, before the response to be erased arrives.
  before = await takeOutputs();

  const respondent = new Respondent(testApp.app, 'professionals');
  await respondent.start();
  await respondent.complete({
    ...professionalsAnswers,
    'the-rise': { ...professionalsAnswers['the-rise']!, drivers_text: erasedText },
  });
  const thanks = await request(testApp.app).get(`/s/professionals/r/${respondent.token}/done`);
  reference = /id="response-reference">[^<]*<strong class="reference">([0-9A-Z-]+)<\/strong>/.exec(thanks.text)![1]!;
  erasedId = respondent.token.slice(0, 24);
  erasedToken = respondent.token;
  expect(reference).toBe(responseReference(erasedId));
  ids.push(erasedId);

  // Coded by two analysts who disagree, reconciled, with memos, stars and a redaction.
  await setCode(team.ana, 2, 'austerity');
  await setCode(team.ben, 2, 'risk-aversion');
  await postForm(team.ana, `${base}/${erasedId}/memo`, { memo: 'Ashworth Road again', view }, at(2));
  await postForm(team.ben, `${base}/${erasedId}/memo`, { memo: 'Long wait', view }, at(2));
  await postForm(team.ana, `${base}/${erasedId}/star`, { starred: '1', view }, at(2));
  await postForm(team.ana, `${base}/${erasedId}/redactions`, { words: 'Ashworth Road', confirm: '1', view }, at(2));
  // Coded by search too, the step keeps the answer's id for its undo.
  const searched = await postForm(
    team.ben,
    `${base}/search/apply`,
    { codebook: 'care-crisis-drivers', q: 'weeks', code: 'workforce', responseIds: [erasedId] },
    `${base}/search?${view}`,
  );
  expect(searched.status).toBe(303);
  const reconciled = await postForm(
    lead,
    `/lead/reconcile/professionals/drivers_text/${erasedId}`,
    { codebook: 'care-crisis-drivers', codes: 'austerity' },
    `/lead/reconcile/professionals/drivers_text?${view}`,
  );
  expect(reconciled.status).toBe(303);
  // The outputs now hold it (and the app's in-memory read model has it).
  const during = await takeOutputs();
  expect(during['/admin/exports/professionals/responses.csv']).toContain('eleven weeks');
  expect(JSON.stringify(during)).toContain(erasedId);
});

describe('erasing a response on request', () => {
  it('shows the reference on the thank-you page, and finds the response by it however it is typed', async () => {
    const typed = reference.toLowerCase().replace('-', ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    const page = await team.admin.get(`/admin/erase?ref=${encodeURIComponent(typed)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Response ${reference}`);
    expect(page.text).toContain(erasedId);
    expect(page.text).toMatch(/([5-9]|1[0-9]) coding records, 2 memos, 1 quote record/);
    expect(page.text).not.toContain('eleven weeks');
    const byId = await team.admin.get(`/admin/erase?ref=${erasedId}`);
    expect(byId.text).toContain(`Response ${reference}`);
    expect((await team.admin.get('/admin/erase?ref=ZZZZ-ZZZZ')).status).toBe(404);
    expect((await team.admin.get('/admin/erase?ref=not a reference')).status).toBe(400);
  });

  it('is for admins only, and needs the confirmation ticked', async () => {
    expect((await lead.get(`/admin/erase?ref=${reference}`)).status).toBe(403);
    expect((await postForm(lead, `/admin/erase/${erasedId}`, { confirm: '1' }, '/work')).status).toBe(403);
    const unconfirmed = await postForm(team.admin, `/admin/erase/${erasedId}`, {}, '/admin/erase');
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('Tick the box to confirm the erasure.');
    expect(await testApp.responses.countDocuments({ _id: erasedId })).toBe(1);
  });

  it('leaves no trace of the response in any collection, and every output is as if it was never sent', async () => {
    const erased = await postForm(team.admin, `/admin/erase/${erasedId}`, { confirm: '1' }, '/admin/erase');
    expect(erased.status).toBe(303);
    expect(erased.headers.location).toBe(`/admin/erase?erased=${reference}`);
    expect((await team.admin.get(erased.headers.location as string)).text).toContain('Erased.');

    const stored = await everything();
    for (const [name, text] of Object.entries(stored)) {
      expect(text, name).not.toContain('eleven weeks');
      expect(text, name).not.toContain('Ashworth');
      // The trail keeps the reference and the id (not personal data), for a restore to erase it again.
      if (name !== 'auditentries') expect(text, name).not.toContain(reference);
      if (name !== 'auditentries') expect(text, name).not.toContain(erasedId);
    }
    const audit = await testApp.connection.collection('auditentries').findOne({ action: 'response.erased' });
    expect(audit).toMatchObject({
      actor: 'admin@review.example',
      target: reference,
      detail: { survey: 'professionals', response: erasedId },
    });

    expect(await takeOutputs()).toEqual(before);
    const workbench = await team.ana.get(`${base}?${view}`);
    expect(workbench.text).not.toContain('eleven weeks');
    expect((await team.ana.get(at(2))).text).not.toContain('eleven weeks');

    // The respondent's link no longer opens anything; erasing again finds nothing.
    expect((await request(testApp.app).get(`/s/professionals/r/${erasedToken}/done`)).status).toBe(404);
    expect((await postForm(team.admin, `/admin/erase/${erasedId}`, { confirm: '1' }, '/admin/erase')).status).toBe(404);
  });
});

describe('a respondent deleting their own draft', () => {
  it('deletes the unsent answers from the private link, and the link stops working', async () => {
    const respondent = new Respondent(testApp.app, 'care-experienced');
    await respondent.start();
    const saved = await respondent.answer(careExperiencedAnswers['about-you']!, 'save');
    const savedPage = await request(testApp.app).get(saved);
    const deleteUrl = `/s/care-experienced/r/${respondent.token}/delete`;
    expect(savedPage.text).toContain(`href="${deleteUrl}"`);
    const confirm = await request(testApp.app).get(deleteUrl);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Delete your answers?');
    expect(confirm.headers['set-cookie']).toBeUndefined();
    const id = respondent.token.slice(0, 24);
    expect(await testApp.responses.countDocuments({ _id: id })).toBe(1);

    const deleted = await request(testApp.app).post(deleteUrl).type('form').send('');
    expect(deleted.status).toBe(200);
    expect(deleted.text).toContain('Your answers have been deleted');
    expect(await testApp.responses.countDocuments({ _id: id })).toBe(0);
    expect((await request(testApp.app).get(`/s/care-experienced/r/${respondent.token}`)).status).toBe(404);
    expect((await request(testApp.app).post(deleteUrl).type('form').send('')).status).toBe(404);
  });

  it('refuses a wrong secret, and never deletes sent answers from the link', async () => {
    const respondent = new Respondent(testApp.app, 'care-experienced');
    await respondent.start();
    const forged = `/s/care-experienced/r/${respondent.token.slice(0, 25)}${'A'.repeat(32)}/delete`;
    expect((await request(testApp.app).post(forged).type('form').send('')).status).toBe(404);
    await respondent.complete(careExperiencedAnswers);
    const url = `/s/care-experienced/r/${respondent.token}/delete`;
    const refused = await request(testApp.app).post(url).type('form').send('');
    expect(refused.text).toContain('These answers have been sent');
    expect(await testApp.responses.countDocuments({ _id: respondent.token.slice(0, 24) })).toBe(1);
  });
});

describe('the suggestion engine after an erasure', () => {
  it('forgets what it learned from the erased answer, when its question is read again', async () => {
    const surveys = loadSurveys(definitionsDir);
    const survey = surveys.get('professionals')!;
    const counters = new ChangeCounters(testApp.connection);
    const readModel = new CodingReadModel({
      responses: testApp.responses,
      coding: codingModels(testApp.connection),
      counters,
    });
    const engine = new EngineSuggestions(readModel, surveys);
    readModel.onChange((change) => engine.learnChange(change));
    const codebook = await getCodebook(codebookModels(testApp.connection), 'care-crisis-drivers');
    const [id] = await seedResponses(testApp, 'professionals', [
      { role: 'barrister', country: 'england', quote_consent: 'yes', drivers_text: 'Zanzibarian quokkas everywhere.' },
    ]);
    await seedCodings(testApp, [{ responseId: id!, coderId: FINAL_CODER, codeId: 'risk-aversion' }]);
    const ask = async () => {
      await readModel.get(survey, 'drivers_text', 'care-crisis-drivers');
      const answer = { surveyId: 'professionals', questionId: 'drivers_text', responseId: 'other', independent: true };
      const suggestions = await engine.suggest({
        codebook,
        text: 'Zanzibarian quokkas',
        limit: 5,
        coderId: team.anaId,
        answer,
      });
      return suggestions.flatMap((suggestion) => suggestion.because).join(' ');
    };
    expect(await ask()).toMatch(/zanzibar|quokka/);
    const erased = await postForm(team.admin, `/admin/erase/${id}`, { confirm: '1' }, '/admin/erase');
    expect(erased.status).toBe(303);
    expect(await ask()).not.toMatch(/zanzibar|quokka/);
  });
});
