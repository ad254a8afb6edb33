import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { postForm, seedResponses } from './helpers/office.js';
import { answerForms, base, signInTeam, view } from './helpers/workbench.js';

/** Code by search: find answers, untick the wrong ones, code the rest in one step, undo it as one. */

const testApp = useTestApp();
let ids: string[];
let ana: ReturnType<typeof request.agent>;
let ben: ReturnType<typeof request.agent>;
let anaId: string;
const { setCode, noCode } = answerForms(() => ids);
const search = `${base}/search`;

const texts = [
  'Court delays mean the 26-week timetable slips and families wait.', // 0
  'Delays in the court and a shortage of judges.', // 1
  'Agency staff everywhere, nobody stays.', // 2
  'Legal aid cuts: parents meet their solicitor on the day.', // 3
  'The court delayed the final hearing twice.', // 4
  'Caseloads are far too high.', // 5
];

beforeAll(async () => {
  const team = await signInTeam(testApp);
  ({ ana, ben, anaId } = team);
  ids = await seedResponses(
    testApp,
    'professionals',
    texts.map((drivers_text) => ({ role: 'social-worker', country: 'england', quote_consent: 'yes', drivers_text })),
  );
});

const codingsOf = async (coderId: string, codeId: string) =>
  (
    await testApp.connection
      .collection('codingevents')
      .find({ coderId, codeId }, { sort: { at: 1, _id: 1 } })
      .toArray()
  ).reduce((state, event) => {
    const id = String(event.responseId);
    if (event.present) state.add(id);
    else state.delete(id);
    return state;
  }, new Set<string>());
const indexesOf = (set: Set<string>) => [...set].map((id) => ids.indexOf(id)).sort();

const apply = (agent: ReturnType<typeof request.agent>, responseIds: string[], code: string, q = 'delay') =>
  postForm(agent, `${search}/apply`, { codebook: 'care-crisis-drivers', q, code, responseIds }, `${search}?${view}`);
const undo = (agent: ReturnType<typeof request.agent>, batch: string) =>
  postForm(agent, `${search}/undo`, { codebook: 'care-crisis-drivers', q: 'delay', batch }, `${search}?${view}`);
const batchOf = (location: string) => new URL(location, 'http://x').searchParams.get('done') ?? '';

describe('searching the answers', () => {
  it('finds every form of a word and marks it in each answer', async () => {
    const page = await ana.get(`${search}?${view}&q=delay`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('3 answers match');
    expect(page.text).toContain('<mark class="search-match">Delays</mark>');
    expect(page.text).toContain('<mark class="search-match">delayed</mark>');
    expect(page.text).not.toContain('Agency staff');
    // The box takes no more than the page reads (a longer search would be dropped unseen).
    expect(page.text).toContain('name="q" value="delay" maxlength="500"');
    // Every hit is ticked to start with.
    expect(page.text.match(/name="responseIds" value="[a-f0-9]{24}" checked/g)).toHaveLength(3);
  });

  it('finds a phrase in quotes exactly, and needs every word', async () => {
    const phrase = await ana.get(`${search}?${view}&q=${encodeURIComponent('"legal aid"')}`);
    expect(phrase.text).toContain('1 answer matches');
    expect(phrase.text).toContain('<mark class="search-match">Legal aid</mark>');
    const both = await ana.get(`${search}?${view}&q=${encodeURIComponent('court judges')}`);
    expect(both.text).toContain('1 answer matches');
    expect(both.text).toContain('shortage of');
  });

  it('says so when nothing matches, on a question with answers and on one without', async () => {
    expect((await ana.get(`${search}?${view}&q=${encodeURIComponent('"no such phrase"')}`)).text).toContain(
      'No answers match',
    );
    const empty = await ana.get('/work/family/help_needed_text/search?q=help');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('No answers match');
    // An answer of another question is not something to be "similar to".
    expect((await ana.get(`/work/family/help_needed_text/search?like=${ids[0]}`)).status).toBe(404);
  });

  it('lists the answers most like a given one, closest first', async () => {
    const page = await ana.get(`${search}?${view}&like=${ids[0]}`);
    expect(page.text).toContain('Answers similar to this one');
    const listed = [...page.text.matchAll(/name="responseIds" value="([a-f0-9]{24})"/g)].map((m) => ids.indexOf(m[1]!));
    expect(listed).not.toContain(0);
    expect(listed).not.toContain(5);
    // The two other answers about court delays come first.
    expect(listed.slice(0, 2).sort()).toEqual([1, 4]);
  });
});

describe('applying a code to the ticked answers', () => {
  it("records the analyst's codings for the ticked answers only, and undoes them as one step", async () => {
    await setCode(ana, 4, 'system-overload'); // already coded before the step: the undo must leave it
    await noCode(ana, 1); // "no code applies" is replaced by the step, and comes back on undo
    const applied = await apply(ana, [ids[0]!, ids[1]!, ids[4]!], 'system-overload');
    expect(applied.status).toBe(303);
    const batch = batchOf(applied.headers.location!);
    expect(batch).not.toBe('');
    expect(indexesOf(await codingsOf(anaId, 'system-overload'))).toEqual([0, 1, 4]);
    expect(indexesOf(await codingsOf(anaId, '_none'))).toEqual([]);

    const page = await ana.get(applied.headers.location!);
    expect(page.text).toContain('You gave “System overload” to 2 answers.');
    expect(page.text).toContain('Undo this step');

    const undone = await undo(ana, batch);
    expect(undone.status).toBe(303);
    expect(indexesOf(await codingsOf(anaId, 'system-overload'))).toEqual([4]);
    expect(indexesOf(await codingsOf(anaId, '_none'))).toEqual([1]);
    expect((await ana.get(undone.headers.location!)).text).toContain(
      'Undone: “System overload” taken off the 2 answers',
    );

    // A replayed undo, or two at once, change nothing more.
    const events = await testApp.connection.collection('codingevents').countDocuments();
    const again = await Promise.all([undo(ana, batch), undo(ana, batch)]);
    expect(again.map((response) => response.status)).toEqual([303, 303]);
    expect(await testApp.connection.collection('codingevents').countDocuments()).toBe(events);
  });

  it('lists an answer in one step only when the same step is sent twice at once', async () => {
    const both = await Promise.all([
      apply(ana, [ids[3]!], 'austerity', 'legal'),
      apply(ana, [ids[3]!], 'austerity', 'legal'),
    ]);
    expect(both.map((response) => response.status)).toEqual([303, 303]);
    const steps = await testApp.connection.collection('codebatches').find({ codeId: 'austerity' }).toArray();
    expect(steps.flatMap((step) => step.responseIds as string[])).toEqual([ids[3]]);
    expect(both.filter((response) => response.headers.location!.includes('unchanged=1'))).toHaveLength(1);
  });

  it('refuses a step with nothing ticked, an unknown code or a foreign answer, and codes nothing', async () => {
    const before = await testApp.connection.collection('codingevents').countDocuments();
    const none = await apply(ana, [], 'workforce');
    expect(none.status).toBe(400);
    expect(none.text).toContain('Tick at least one answer');
    expect((await apply(ana, [ids[2]!], 'no-such-code')).status).toBe(400);
    expect((await apply(ana, [ids[2]!, '0123456789abcdef01234567'], 'workforce')).status).toBe(400);
    expect(await testApp.connection.collection('codingevents').countDocuments()).toBe(before);
  });
});

describe('independent coding', () => {
  it("never shows a colleague's codes in the search, and keeps each analyst's steps to them", async () => {
    await setCode(ben, 2, 'workforce');
    const anaSees = await ana.get(`${search}?${view}&q=agency`);
    expect(anaSees.text).toContain('Not coded by you');
    expect(anaSees.text).not.toContain('Your codes: Workforce');
    const benSees = await ben.get(`${search}?${view}&q=agency`);
    expect(benSees.text).toContain('Your codes: Workforce and training');

    const applied = await apply(ben, [ids[5]!], 'system-overload', 'caseloads');
    const batch = batchOf(applied.headers.location!);
    expect(indexesOf(await codingsOf(anaId, 'system-overload'))).not.toContain(5);
    // Ana cannot see or undo Ben's step.
    expect((await undo(ana, batch)).status).toBe(404);
    const anaPage = await ana.get(`${search}?${view}&q=caseloads&done=${batch}`);
    expect(anaPage.text).not.toContain('Undo this step');
    expect(anaPage.text).toContain('Not coded by you');
  });

  it('is for signed-in analysts only, however the address is written', async () => {
    const anonymous = request(testApp.app);
    for (const path of [
      `${search}?${view}&q=court`,
      `/WORK/professionals/drivers_text/SEARCH?${view}&q=court`,
      `${base}//search?q=court`,
    ]) {
      const response = await anonymous.get(path);
      expect(response.text).not.toContain('search-match');
      expect([302, 303, 401, 403, 404]).toContain(response.status);
    }
  });
});
