import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { postForm, seedResponses } from './helpers/office.js';
import { answerForms, base, signInTeam, view } from './helpers/workbench.js';

/** Undoing a code-by-search step after the answers or the codebook changed. */

const testApp = useTestApp();
let ids: string[];
let ana: request.Agent;
let admin: request.Agent;
let anaId: string;
const { setCode, noCode } = answerForms(() => ids);
const search = `${base}/search`;

beforeAll(async () => {
  ({ ana, admin, anaId } = await signInTeam(testApp));
  ids = await seedResponses(
    testApp,
    'professionals',
    [
      'Court delays mean the 26-week timetable slips.',
      'Delays in the court and a shortage of judges.',
      'The court delayed the final hearing twice.',
      'Delay upon delay: the family waited a year.',
    ].map((drivers_text) => ({ role: 'social-worker', country: 'england', quote_consent: 'yes', drivers_text })),
  );
});

/** Ana's live codings, as `answer:code`, replayed from the event log. */
const codingsOf = async (coderId: string) => {
  const events = await testApp.connection
    .collection('codingevents')
    .find({ coderId }, { sort: { at: 1, _id: 1 } })
    .toArray();
  const live = new Set<string>();
  for (const event of events) {
    const key = `${ids.indexOf(String(event.responseId))}:${event.codeId}`;
    if (event.present) live.add(key);
    else live.delete(key);
  }
  return [...live].sort();
};
const apply = (responseIds: string[], code: string) =>
  postForm(
    ana,
    `${search}/apply`,
    { codebook: 'care-crisis-drivers', q: 'delay', code, responseIds },
    `${search}?${view}`,
  );
const undo = (batch: string) =>
  postForm(ana, `${search}/undo`, { codebook: 'care-crisis-drivers', q: 'delay', batch }, `${search}?${view}`);
const batchOf = (location: string) => new URL(location, 'http://x').searchParams.get('done') ?? '';
const notice = async (location: string) => /Undone:[^<]*/.exec((await ana.get(location)).text)?.[0];

describe('undoing a step', () => {
  it('says how many answers it took the code off when the analyst had taken it off some meanwhile', async () => {
    const applied = await apply([ids[0]!, ids[1]!, ids[2]!], 'workforce');
    await setCode(ana, 0, 'workforce', false);
    await setCode(ana, 1, 'workforce', false);
    const undone = await undo(batchOf(applied.headers.location!));
    expect(await codingsOf(anaId)).toEqual([]);
    expect(await notice(undone.headers.location!)).toBe(
      'Undone: “Workforce and training” taken off 1 of the 3 answers it was given to in that step; you had already taken it off the others.',
    );
  });

  it('takes the step’s codings off after its code was merged into another, and keeps what the analyst had before', async () => {
    await setCode(ana, 3, 'austerity'); // the survivor, on an answer of the step, before the step
    await noCode(ana, 2); // replaced by the step, and back after the undo
    const applied = await apply([ids[1]!, ids[2]!, ids[3]!], 'risk-aversion');
    expect(await codingsOf(anaId)).toEqual(['1:risk-aversion', '2:risk-aversion', '3:austerity', '3:risk-aversion']);
    const merged = await postForm(
      admin,
      '/codebooks/care-crisis-drivers/merge',
      { from: 'risk-aversion', into: 'austerity' },
      '/codebooks/care-crisis-drivers',
    );
    expect(merged.status).toBe(303);

    const undone = await undo(batchOf(applied.headers.location!));
    expect(undone.status).toBe(303);
    expect(await codingsOf(anaId)).toEqual(['2:_none', '3:austerity']);
    expect(await notice(undone.headers.location!)).toBe(
      'Undone: “Fear, blame and risk aversion” taken off the 3 answers it was given to in that step.',
    );
    const page = await ana.get(`${search}?${view}&q=delay`);
    expect(page.text).not.toContain('Your codes: Austerity, cuts and deprivation, ');
    expect(page.text).toContain('You decided no code applies');
  });
});
