import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupAnswers } from '../server/autocode/themes.js';
import type { Unit } from '../server/coding/read-model.js';
import { useTestApp } from './helpers/app.js';
import { postForm, seedResponses, signInLeadAndAnalyst } from './helpers/office.js';
import { base, view } from './helpers/workbench.js';

/**
 * The drivers codebook has no code for the pandemic. Answers about it, among answers the codebook
 * does fit and a scatter of others, must come out as a group whose distinctive words name it.
 */
const pandemic = [
  'Lockdown hid so much. Families were isolated for months during the pandemic with no school to notice.',
  'The pandemic and lockdown: nobody saw the children, so problems built up behind closed doors.',
  'Covid lockdown left parents isolated and struggling, and referrals came flooding in afterwards.',
  'After the pandemic the lockdown backlog of hidden harm arrived all at once.',
  'During lockdown schools were closed and the pandemic stopped home visits.',
  'Covid meant lockdown after lockdown; by the time the pandemic eased, families were in crisis.',
];
const fitted = [
  'Caseloads are overwhelming and the system is overloaded.',
  'Austerity and funding cuts closed early help.',
  'A blame culture makes managers risk averse.',
  'Newly qualified workers are inexperienced and poorly trained.',
  'Agency staff and inexperienced social workers everywhere.',
  'Funding cuts and austerity have gutted family support.',
];
const scattered = [
  'Grandparents are stepping back from helping.',
  'Too many forms and meetings about meetings.',
  'The weather was awful that winter and the buses stopped.',
  'Television programmes give a distorted picture of what we do.',
  'Teenagers arguing with stepparents about phones.',
  'Nobody reads the chronology before a conference.',
];

const testApp = useTestApp();
let ids: string[];
let lead: ReturnType<typeof request.agent>;
let analyst: ReturnType<typeof request.agent>;
const themes = '/lead/themes/professionals/drivers_text';

beforeAll(async () => {
  ({ lead, analyst } = await signInLeadAndAnalyst(testApp));
  ids = await seedResponses(
    testApp,
    'professionals',
    [...fitted, ...pandemic, ...scattered].map((drivers_text) => ({
      role: 'social-worker',
      country: 'england',
      quote_consent: 'yes',
      drivers_text,
    })),
  );
});

const groupOf = (html: string, word: string) =>
  [...html.matchAll(/<section class="theme-group"[\s\S]*?<\/section>/g)]
    .map((m) => m[0])
    .find((section) => {
      const words = /class="theme-words">([^<]*)</.exec(section)?.[1] ?? '';
      return words.includes(word);
    });

describe('emerging themes', () => {
  it('groups the answers no code fits, and the group names the missing theme', async () => {
    const page = await lead.get(`${themes}?${view}`);
    expect(page.status).toBe(200);
    const group = groupOf(page.text, 'lockdown') ?? groupOf(page.text, 'pandemic');
    expect(group).toBeDefined();
    const words = /class="theme-words">([^<]*)</.exec(group!)![1]!;
    expect(words).toMatch(/lockdown/);
    expect(words).toMatch(/pandemic/);
    // Three examples, all from the pandemic answers.
    const examples = [...group!.matchAll(/<blockquote class="answer-text">([^<]*)<\/blockquote>/g)].map((m) => m[1]!);
    expect(examples).toHaveLength(3);
    for (const example of examples) expect(pandemic.map((text) => text.replace(/'/g, '&#39;'))).toContain(example);
    // Answers the codebook fits are not offered as a theme.
    expect(page.text).not.toContain('Caseloads are overwhelming');
  });

  it('gives the same groups for the same answers', () => {
    const units: Unit[] = [...pandemic, ...scattered].map((text, index) => ({
      responseId: String(index).padStart(24, '0'),
      text,
      quoteConsent: true,
      index,
    }));
    const first = groupAnswers(units);
    const again = groupAnswers(units.map((unit) => ({ ...unit })));
    expect(again.map((group) => [group.fingerprint, group.words])).toEqual(
      first.map((group) => [group.fingerprint, group.words]),
    );
  });

  it("turns a group into a new code in one step, suggested on the group's answers", async () => {
    const page = await lead.get(`${themes}?${view}`);
    const group = groupOf(page.text, 'lockdown')!;
    const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(group)![1]!;
    const created = await postForm(
      lead,
      `${themes}/codes`,
      {
        codebook: 'care-crisis-drivers',
        fingerprint,
        name: 'Public health emergency',
        definition: 'Answers about that time.',
      },
      `${themes}?${view}`,
    );
    expect(created.status).toBe(303);
    expect(created.headers.location).toContain('created=public-health-emergency');
    expect((await lead.get(created.headers.location!)).text).toContain('“Public health emergency” is now a code');
    // The same page naming a code the codebook came with announces nothing.
    const shipped = await lead.get(`${themes}?${view}&created=austerity`);
    expect(shipped.status).toBe(200);
    expect(shipped.text).not.toContain('is now a code');

    // The group's answers are now suggested the new code in the workbench, for any analyst.
    const answer = ids[fitted.length + 3]!;
    const workbench = await analyst.get(`${base}?${view}&at=${answer}`);
    expect(workbench.text).toMatch(/data-suggestion="1"[\s\S]*?Public health emergency <span class="hint">/);

    // The same form again (its answers now fit a code, so the group is gone): the code already
    // made from it is the answer, and no second code is made.
    const replay = await postForm(
      lead,
      `${themes}/codes`,
      { codebook: 'care-crisis-drivers', fingerprint, name: 'The pandemic again' },
      `${themes}?${view}`,
    );
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toBe(created.headers.location);
    expect(await testApp.connection.collection('codes').countDocuments({ name: /pandemic/i })).toBe(0);
  });

  it('says there are no groups for a question nobody has answered, and refuses a made-up group', async () => {
    const empty = await lead.get('/lead/themes/family/help_needed_text');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('0 answers to this question have no code');
    expect(empty.text).toContain('Too few answers are left outside the codebook to group.');
    const madeUp = await postForm(
      lead,
      '/lead/themes/family/help_needed_text/codes',
      { fingerprint: 'AAAAAAAAAAAAAAAA', name: 'Nothing' },
      '/lead/themes/family/help_needed_text',
    );
    expect(madeUp.status).toBe(409);
    const badName = await postForm(
      lead,
      `${themes}/codes`,
      { fingerprint: 'AAAAAAAAAAAAAAAA', name: '' },
      `${themes}?${view}`,
    );
    expect(badName.status).toBe(400);
    expect(badName.text).toContain('Enter a name for the code');
  });

  it('is for leads: an analyst may not see or change it', async () => {
    expect((await analyst.get(`${themes}?${view}`)).status).toBe(403);
    const post = await postForm(analyst, `${themes}/codes`, { fingerprint: 'AAAAAAAAAAAAAAAA', name: 'x' }, '/work');
    expect(post.status).toBe(403);
  });
});
