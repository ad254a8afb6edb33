import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { postForm, seedResponses } from './helpers/office.js';
import { answerForms, base, signInTeam, view } from './helpers/workbench.js';

/** Undoing an older code-by-search step must not take off what a later step or decision gave. */

const testApp = useTestApp();
let ids: string[];
let ana: request.Agent;
let anaId: string;
const { setCode } = answerForms(() => ids);
const search = `${base}/search`;

beforeAll(async () => {
  ({ ana, anaId } = await signInTeam(testApp));
  ids = await seedResponses(
    testApp,
    'professionals',
    ['Court delays mean the timetable slips.', 'Delays in the court and a shortage of judges.'].map((drivers_text) => ({
      role: 'social-worker',
      country: 'england',
      quote_consent: 'yes',
      drivers_text,
    })),
  );
});

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

describe('undoing an older step', () => {
  it('leaves the code a later step gave, after the analyst took the older step’s off in between', async () => {
    const first = batchOf((await apply([ids[0]!], 'workforce')).headers.location!);
    await setCode(ana, 0, 'workforce', false);
    const second = batchOf((await apply([ids[0]!], 'workforce')).headers.location!);
    expect(second).not.toBe('');
    expect(await codingsOf(anaId)).toEqual(['0:workforce']);
    await undo(first);
    expect(await codingsOf(anaId)).toEqual(['0:workforce']);
    await undo(second);
    expect(await codingsOf(anaId)).toEqual([]);
  });

  it('leaves the code the analyst gave again by hand after taking the step’s off', async () => {
    const step = batchOf((await apply([ids[1]!], 'workforce')).headers.location!);
    await setCode(ana, 1, 'workforce', false);
    await setCode(ana, 1, 'workforce', true);
    await undo(step);
    expect(await codingsOf(anaId)).toEqual(['1:workforce']);
  });
});
