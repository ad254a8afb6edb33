import { beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { addCode } from '../server/codebooks/edits.js';
import { codebookModels } from '../server/codebooks/model.js';
import { useTestApp } from './helpers/app.js';
import { addUser, csrfFrom, postForm, seedResponses, signIn } from './helpers/office.js';
import { base, view } from './helpers/workbench.js';

/** Found by an outside tester: changes to one codebook sent at the same moment. */

const testApp = useTestApp();
const book = '/codebooks/care-crisis-drivers';
let lead: request.Agent;
let other: request.Agent;

beforeAll(async () => {
  await addUser(testApp, 'lead@review.example', 'lead');
  await addUser(testApp, 'other@review.example', 'lead');
  lead = await signIn(testApp.app, 'lead@review.example');
  other = await signIn(testApp.app, 'other@review.example');
});

const codes = () => testApp.connection.collection('codes').find({ codebookId: 'care-crisis-drivers' }).toArray();

async function sendAll(requests: { agent: request.Agent; url: string; fields: Record<string, string> }[]) {
  const tokens = new Map<request.Agent, string>();
  for (const { agent } of requests) if (!tokens.has(agent)) tokens.set(agent, csrfFrom((await agent.get(book)).text));
  return Promise.all(
    requests.map(({ agent, url, fields }) =>
      agent
        .post(url)
        .type('form')
        .send({ ...fields, _csrf: tokens.get(agent)! }),
    ),
  );
}

describe('simultaneous codebook changes', () => {
  it('never merges two codes into each other', async () => {
    const responses = await sendAll([
      { agent: lead, url: `${book}/merge`, fields: { from: 'austerity', into: 'workforce' } },
      { agent: other, url: `${book}/merge`, fields: { from: 'workforce', into: 'austerity' } },
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([303, 409]);
    const merged = (await codes()).filter((code) => code.mergedInto);
    expect(merged).toHaveLength(1);
    const [survivor] = (await codes()).filter((code) => code.codeId === merged[0]!.mergedInto);
    expect(survivor!.retired).toBe(false);
  });

  it('gives sub-codes added at once under one parent different numbers', async () => {
    const responses = await sendAll(
      ['One', 'Two', 'Three'].map((name, index) => ({
        agent: index % 2 ? other : lead,
        url: `${book}/codes`,
        fields: { name: `Sub-code ${name}`, definition: 'A test sub-code.', parent: 'system-overload' },
      })),
    );
    expect(responses.map((response) => response.status)).toEqual([303, 303, 303]);
    const keys = (await codes()).filter((code) => code.parentId === 'system-overload').map((code) => code.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(3);
  });

  it('numbers sub-codes apart even when several processes add them at the same moment', async () => {
    // The service called directly and all at once: no process's one-at-a-time queue in between.
    // (Under a code the merge test above leaves alone, whichever of its two merges won.)
    const models = codebookModels(testApp.connection);
    const fields = (name: string) => ({
      name,
      definition: 'A test sub-code.',
      include: '',
      exclude: '',
      colour: '#505a5f',
      parent: 'cultural-competency',
    });
    const added = await Promise.all(
      ['P1', 'P2', 'P3', 'P4'].map((name) => addCode(models, 'care-crisis-drivers', fields(name), 'test')),
    );
    expect(new Set(added.map((code) => code.key)).size).toBe(4);
  });

  it('leaves a code where it is when an edit sends no parent (large codebooks have no parent list)', async () => {
    const sub = (await codes()).find((code) => code.parentId === 'system-overload')!;
    const edited = await postForm(
      lead,
      `${book}/codes/${sub.codeId}`,
      { name: 'Renamed sub-code', definition: 'Still nested.' },
      book,
    );
    expect(edited.status).toBe(303);
    const after = (await codes()).find((code) => code.codeId === sub.codeId)!;
    expect(after).toMatchObject({ name: 'Renamed sub-code', parentId: 'system-overload', key: sub.key });
  });

  it('refuses to move or retire a code that was merged away', async () => {
    const merged = (await codes()).find((code) => code.mergedInto)!;
    const moved = await postForm(
      lead,
      `${book}/codes/${merged.codeId}`,
      { name: merged.name, definition: merged.definition, parent: 'system-overload' },
      book,
    );
    expect(moved.status).toBe(400);
    expect(moved.text).toContain('was merged into another code: undo the merge to change it');
    expect((await postForm(lead, `${book}/codes/${merged.codeId}/retire`, {}, book)).status).toBe(400);
  });
});

describe('coding a passage by its words', () => {
  it('works as a browser sends the form, with the offset fields empty', async () => {
    await addUser(testApp, 'ana@review.example', 'analyst');
    const ana = await signIn(testApp.app, 'ana@review.example');
    const [id] = await seedResponses(testApp, 'professionals', [
      { role: 'social-worker', country: 'england', quote_consent: 'yes', drivers_text: 'Caseloads are too high.' },
    ]);
    const saved = await postForm(
      ana,
      `${base}/${id}/spans`,
      { code: 'system-overload', start: '', end: '', words: 'Caseloads', view },
      `${base}?${view}&at=${id}`,
    );
    expect(saved.status).toBe(303);
    const stored = await testApp.connection
      .collection('codingevents')
      .findOne({ responseId: id, coderId: { $ne: 'final' } });
    expect(stored).toMatchObject({ codeId: 'system-overload', start: 0, end: 9, present: true });
  });
});
