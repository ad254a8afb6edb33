import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { addUser, postForm, seedCodings, seedResponses, signIn } from './helpers/office.js';
import { answerForms, view } from './helpers/workbench.js';

/**
 * A group made a code must be suggested on the group's answers, also on a question where the
 * analysts have coded hundreds of answers already (when emerging themes are looked for): the
 * engine has learned so much of the other codes that the new code's words alone no longer do.
 */

const weather = [
  'The weather was awful that winter and the buses stopped.',
  'Winter weather closed the roads and the buses.',
  'Snow and bad weather every winter, buses cancelled.',
  'The buses never run in winter weather out here.',
];
const scattered = [
  'Grandparents are stepping back from helping.',
  'Too many forms and meetings about meetings.',
  'Television programmes give a distorted picture of what we do.',
  'Teenagers arguing with stepparents about phones.',
];
const topics: [string, string[]][] = [
  ['system-overload', ['Caseloads are far too high', 'We are overwhelmed and stretched', 'Too many cases per worker']],
  ['austerity', ['Funding cuts closed early help', 'Austerity gutted family support', 'Poverty and benefit cuts']],
  ['workforce', ['Agency staff everywhere', 'Newly qualified workers lack supervision', 'Staff turnover is high']],
  ['risk-aversion', ['Managers are risk averse', 'A blame culture', 'Fear of getting it wrong']],
];
const LEARNED = 400;

const testApp = useTestApp();
let lead: request.Agent;
let ana: request.Agent;
let ben: request.Agent;
let ids: string[];
const themes = '/lead/themes/professionals/drivers_text';
const { at, setCode, noCode } = answerForms(() => ids);

beforeAll(async () => {
  await addUser(testApp, 'lea@review.example', 'lead');
  const anaUser = await addUser(testApp, 'ana@review.example', 'analyst');
  await addUser(testApp, 'ben@review.example', 'analyst');
  lead = await signIn(testApp.app, 'lea@review.example');
  ana = await signIn(testApp.app, 'ana@review.example');
  ben = await signIn(testApp.app, 'ben@review.example');
  const learned = Array.from({ length: LEARNED }, (_, i) => {
    const [code, texts] = topics[i % 4]!;
    return { code, text: `${texts[i % 3]}, and ${topics[(i + 1) % 4]![1][(i + 2) % 3]!.toLowerCase()} (${i}).` };
  });
  ids = await seedResponses(
    testApp,
    'professionals',
    [...weather, ...scattered, ...learned.map((answer) => answer.text)].map((drivers_text) => ({
      role: 'social-worker',
      country: 'england',
      quote_consent: 'yes',
      drivers_text,
    })),
  );
  const first = weather.length + scattered.length;
  await seedCodings(
    testApp,
    learned.map((answer, i) => ({ responseId: ids[first + i]!, coderId: anaUser.id, codeId: answer.code })),
  );
});

/** The confident suggestions on an answer, best first. */
const suggested = async (agent: request.Agent, index: number) => {
  const html = (await agent.get(at(index))).text;
  const list = /<ul class="plain-list suggestions" aria-labelledby="suggestions-heading">[\s\S]*?<\/ul>/.exec(
    html,
  )?.[0];
  return [...(list ?? '').matchAll(/<span class="code-name">([^<]*?) <span class="hint">/g)].map((m) => m[1]);
};

describe('a new code from a group, on a question already much coded', () => {
  it("is suggested first on every one of the group's answers, to every analyst", async () => {
    const page = (await lead.get(`${themes}?${view}`)).text;
    const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(page)![1]!;
    expect(page).toContain('buses, weather, winter');
    const made = await postForm(
      lead,
      `${themes}/codes`,
      { codebook: 'care-crisis-drivers', fingerprint, name: 'Weather' },
      `${themes}?${view}`,
    );
    expect(made.status).toBe(303);
    for (const agent of [ana, ben])
      for (let index = 0; index < weather.length; index++) expect((await suggested(agent, index))[0]).toBe('Weather');
  });

  it('is still suggested to a colleague after one analyst decided otherwise, under independent coding', async () => {
    // Ana's engine learns her decisions on these answers instead of the group's code...
    await setCode(ana, 0, 'austerity');
    await noCode(ana, 1);
    await setCode(ana, 2, 'workforce');
    expect((await suggested(ana, 3))[0]).toBe('Weather');
    // Ben's engine, under independent coding, never learns Ana's decisions.
    for (let index = 0; index < weather.length; index++) expect((await suggested(ben, index))[0]).toBe('Weather');
  });

  it('is suggested as the code it became after a lead merges it into another, at least as a guess', async () => {
    const merged = await postForm(
      lead,
      '/codebooks/care-crisis-drivers/merge',
      { from: 'weather', into: 'changing-awareness' },
      '/codebooks/care-crisis-drivers',
    );
    expect(merged.status).toBe(303);
    // Its answers are now examples of the code it became: the engine's first guess there, on the
    // group's words (the merged code's words are no longer any code's terms, so it is a guess).
    for (let index = 0; index < weather.length; index++) {
      const html = (await ben.get(at(index))).text;
      expect(
        /<span class="code-name">([^<]*?) <span class="hint">/.exec(html.split('suggestions-heading')[1]!)?.[1],
      ).toBe('Changing awareness');
      expect(/Because: ([^<]*)/.exec(html)?.[1]).toMatch(/winter|weather|buses/);
    }
  });
});
