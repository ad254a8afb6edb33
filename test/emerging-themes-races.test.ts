import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { addUser, postForm, seedResponses, signIn, signInLeadAndAnalyst } from './helpers/office.js';
import { answerForms, view } from './helpers/workbench.js';

/** Making a code from an emerging theme: double submits, replays and names that collide make no second code. */

const weather = [
  'The weather was awful that winter and the buses stopped.',
  'Winter weather closed the roads and the buses.',
  'Snow and bad weather every winter, buses cancelled.',
  'The buses never run in winter weather out here.',
];
const pandemic = [
  'Lockdown hid so much. Families were isolated for months during the pandemic with no school to notice.',
  'The pandemic and lockdown: nobody saw the children, so problems built up behind closed doors.',
  'During lockdown schools were closed and the pandemic stopped home visits.',
];
const scattered = [
  'Grandparents are stepping back from helping.',
  'Too many forms and meetings about meetings.',
  'Television programmes give a distorted picture of what we do.',
  'Teenagers arguing with stepparents about phones.',
];

const testApp = useTestApp();
let ids: string[];
let lead: request.Agent;
let analyst: request.Agent;
const themes = '/lead/themes/professionals/drivers_text';
const { noCode } = answerForms(() => ids);

beforeAll(async () => {
  ({ lead, analyst } = await signInLeadAndAnalyst(testApp));
  ids = await seedResponses(
    testApp,
    'professionals',
    [...weather, ...pandemic, ...scattered].map((drivers_text) => ({
      role: 'social-worker',
      country: 'england',
      quote_consent: 'yes',
      drivers_text,
    })),
  );
});

const groupWith = async (word: string) => {
  const page = (await lead.get(`${themes}?${view}`)).text;
  return [...page.matchAll(/<section class="theme-group"[\s\S]*?<\/section>/g)]
    .map((match) => match[0])
    .find((section) => (/class="theme-words">([^<]*)</.exec(section)?.[1] ?? '').includes(word));
};
const fingerprintOf = (section: string) => /name="fingerprint" value="([^"]+)"/.exec(section)![1]!;
const makeCode = (fingerprint: string, name: string) =>
  postForm(lead, `${themes}/codes`, { codebook: 'care-crisis-drivers', fingerprint, name }, `${themes}?${view}`);
const codesNamed = async (pattern: RegExp) =>
  (await testApp.connection.collection('codes').find({ codebookId: 'care-crisis-drivers' }).toArray())
    .filter((code) => pattern.test(String(code.name)))
    .map((code) => String(code.codeId));

describe('a new code from a group', () => {
  it('refuses a name an active code already has, in any letter case, and makes nothing', async () => {
    const fingerprint = fingerprintOf((await groupWith('weather'))!);
    const taken = await makeCode(fingerprint, '  system OVERLOAD ');
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('There is already a code called “System overload”');
    expect(await codesNamed(/system overload/i)).toEqual(['system-overload']);
  });

  it('makes one code when the same form is sent twice at once', async () => {
    const fingerprint = fingerprintOf((await groupWith('lockdown'))!);
    const both = await Promise.all([makeCode(fingerprint, 'Pandemic'), makeCode(fingerprint, 'Pandemic')]);
    expect(both.map((response) => response.status)).toEqual([303, 303]);
    expect(both[0]!.headers.location).toContain('created=pandemic');
    expect(both[1]!.headers.location).toBe(both[0]!.headers.location);
    expect(await codesNamed(/pandemic/i)).toEqual(['pandemic']);
  });

  it('makes one code when the form is sent again while the group\'s answers are still marked "no code applies"', async () => {
    // The analyst decided no code fits these answers, so they stay outside the codebook, and the
    // group with them, until someone codes them again.
    for (let index = 0; index < weather.length; index++) await noCode(analyst, index);
    const fingerprint = fingerprintOf((await groupWith('weather'))!);
    const first = await makeCode(fingerprint, 'Weather');
    expect(first.status).toBe(303);
    const again = await makeCode(fingerprint, 'Bad weather');
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await codesNamed(/weather/i)).toEqual(['weather']);

    const group = (await groupWith('weather'))!;
    expect(group).toContain('This group is already the code “Weather”');
    expect(group).not.toContain('name="fingerprint"');
  });

  it("keeps the group's answers on the code, and no longer an answer that has been erased", async () => {
    const code = () => testApp.connection.collection('codes').findOne({ _id: 'care-crisis-drivers/weather' as never });
    expect(((await code())?.groupAnswers as string[]).sort()).toEqual(ids.slice(0, weather.length).sort());
    await addUser(testApp, 'adm@review.example', 'admin');
    const admin = await signIn(testApp.app, 'adm@review.example');
    const erased = await postForm(admin, `/admin/erase/${ids[0]}`, { confirm: '1' }, '/admin/erase');
    expect(erased.status).toBe(303);
    expect(((await code())?.groupAnswers as string[]).sort()).toEqual(ids.slice(1, weather.length).sort());
  });
});
