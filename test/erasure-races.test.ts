import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChangeCounters } from '../server/db/change-counter.js';
import { codingModels } from '../server/coding/model.js';
import { CodingReadModel } from '../server/coding/read-model.js';
import { responseModel } from '../server/surveys/responses/model.js';
import type { Survey } from '../server/surveys/registry.js';
import { useTestApp } from './helpers/app.js';
import { csrfFrom, postForm, seedCodings, seedResponses } from './helpers/office.js';
import { answerForms, base, openComparison, signInTeam, view, type Team } from './helpers/workbench.js';

const testApp = useTestApp();

function readModel(): CodingReadModel {
  const { connection } = testApp;
  return new CodingReadModel({
    responses: responseModel(connection),
    coding: codingModels(connection),
    counters: new ChangeCounters(connection),
  });
}
let team: Team;
let ids: string[];
const { at } = answerForms(() => ids);

beforeAll(async () => {
  team = await signInTeam(testApp);
  await openComparison(testApp);
  ids = await seedResponses(
    testApp,
    'professionals',
    ['Caseloads are too high.', 'Poverty and housing costs.', 'Secret story about Ashworth Road.'].map((text) => ({
      role: 'social-worker',
      country: 'england',
      quote_consent: 'yes',
      drivers_text: text,
    })),
  );
  await seedCodings(testApp, [{ responseId: ids[0]!, coderId: team.anaId, codeId: 'austerity' }]);
});

describe('coding racing an erasure', () => {
  it('leaves no coding, memo or star for the erased answer when an analyst is coding it at the same time', async () => {
    const victim = ids[2]!;
    // The analyst has the answer open: a csrf token from that page.
    const page = await team.ana.get(at(2));
    expect(page.status).toBe(200);
    const csrf = csrfFrom(page.text);
    const adminPage = await team.admin.get('/admin/erase');
    const adminCsrf = csrfFrom(adminPage.text);
    const codes = ['austerity', 'risk-aversion', 'workforce'];
    const posts: Promise<request.Response>[] = [];
    for (let i = 0; i < 30; i++) {
      posts.push(
        team.ana
          .post(`${base}/${victim}/codes`)
          .type('form')
          .send(new URLSearchParams({ _csrf: csrf, code: codes[i % 3]!, present: i % 2 ? '0' : '1', view }).toString())
          .then((r) => r),
      );
      posts.push(
        team.ana
          .post(`${base}/${victim}/memo`)
          .type('form')
          .send(new URLSearchParams({ _csrf: csrf, memo: `memo ${i} Ashworth`, view }).toString())
          .then((r) => r),
      );
      if (i === 10)
        posts.push(
          team.admin
            .post(`/admin/erase/${victim}`)
            .type('form')
            .send(new URLSearchParams({ _csrf: adminCsrf, confirm: '1' }).toString())
            .then((r) => r),
        );
    }
    const results = await Promise.all(posts);
    expect(results.every((r) => r.status === 303 || r.status === 404)).toBe(true);
    expect(await testApp.responses.countDocuments({ _id: victim })).toBe(0);
    const db = testApp.connection.db!;
    const leftovers: Record<string, number> = {};
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      const docs = await db.collection(name).find({}).toArray();
      const n = docs.filter((d) => JSON.stringify(d).includes(victim) || JSON.stringify(d).includes('Ashworth')).length;
      if (n > 0 && name !== 'auditentries') leftovers[name] = n;
    }
    expect(leftovers).toEqual({});
    // And the coded-answers export does not list it.
    const codings = await team.admin.get('/admin/exports/professionals/drivers_text/codings.csv');
    expect(codings.text).not.toContain(victim);
  });

  it('a coding posted after the erasure (stale page) is refused and stores nothing', async () => {
    const victim = ids[1]!;
    const page = await team.ana.get(at(1));
    const csrf = csrfFrom(page.text);
    const erased = await postForm(team.admin, `/admin/erase/${victim}`, { confirm: '1' }, '/admin/erase');
    expect(erased.status).toBe(303);
    const late = await team.ana
      .post(`${base}/${victim}/memo`)
      .type('form')
      .send(new URLSearchParams({ _csrf: csrf, memo: 'late memo', view }).toString());
    const lateStar = await team.ana
      .post(`${base}/${victim}/star`)
      .type('form')
      .send(new URLSearchParams({ _csrf: csrf, starred: '1', view }).toString());
    expect([late.status, lateStar.status]).toEqual([404, 404]);
    const db = testApp.connection.db!;
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (name === 'auditentries') continue;
      const docs = await db.collection(name).find({}).toArray();
      expect(JSON.stringify(docs), name).not.toContain(victim);
    }
  });

  it('records an erasure confirmed several times at once only once, by the call that deleted it', async () => {
    const [id] = await seedResponses(testApp, 'professionals', [
      { role: 'social-worker', country: 'england', quote_consent: 'yes', drivers_text: 'twice' },
    ]);
    const trail = testApp.connection.collection('auditentries');
    const before = await trail.countDocuments({ action: 'response.erased' });
    const csrf = csrfFrom((await team.admin.get('/admin/erase')).text);
    const send = () =>
      team.admin
        .post(`/admin/erase/${id}`)
        .type('form')
        .send(new URLSearchParams({ _csrf: csrf, confirm: '1' }).toString());
    await Promise.all([send(), send(), send()]);
    expect(await testApp.responses.countDocuments({ _id: id })).toBe(0);
    expect(await trail.countDocuments({ action: 'response.erased' })).toBe(before + 1);
  });

  it('a coding written after the last sweep of an erasure removes itself (insert, then verify)', async () => {
    const [id] = await seedResponses(testApp, 'professionals', [
      { role: 'social-worker', country: 'england', quote_consent: 'yes', drivers_text: 'late coding' },
    ]);
    await postForm(team.admin, `/admin/erase/${id}`, { confirm: '1' }, '/admin/erase');
    expect(await testApp.responses.countDocuments({ _id: id })).toBe(0);
    // What a process that read the answer before the erasure would write now.
    const event = {
      surveyId: 'professionals',
      questionId: 'drivers_text',
      codebookId: 'professionals-drivers',
      responseId: id!,
      coderId: team.anaId,
      codeId: 'austerity',
      present: true,
    };
    await readModel().record({ id: 'professionals' } as Survey, [event]);
    expect(await codingModels(testApp.connection).events.countDocuments({ responseId: id })).toBe(0);
  });
});
