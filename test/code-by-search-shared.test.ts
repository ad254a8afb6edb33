import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { postForm, seedResponses } from './helpers/office.js';
import { answerForms, base, signInTeam, view } from './helpers/workbench.js';

/** Code by search when two analysts share a question's answers out, and when they code independently. */

const testApp = useTestApp();
let ids: string[];
let ana: request.Agent;
let ben: request.Agent;
let admin: request.Agent;
const { setCode, noCode } = answerForms(() => ids);
const search = `${base}/search?${view}&q=court`;
const setup = '/lead/questions/professionals/drivers_text';

beforeAll(async () => {
  ({ ana, ben, admin } = await signInTeam(testApp));
  ids = await seedResponses(
    testApp,
    'professionals',
    ['Court delays everywhere.', 'The court is slow.', 'Court hearings adjourned again.'].map((drivers_text) => ({
      role: 'social-worker',
      country: 'england',
      quote_consent: 'yes',
      drivers_text,
    })),
  );
  await setCode(ben, 0, 'workforce');
  await setCode(ben, 0, 'austerity');
  await noCode(ben, 1);
});

const mode = (value: 'shared' | 'independent') =>
  postForm(admin, setup, { codebook: 'care-crisis-drivers', mode: value }, setup);
const hintsOf = (html: string) =>
  [...html.matchAll(/<li class="search-hit">[\s\S]*?<p class="hint">([\s\S]*?)<\/p>/g)].map((match) =>
    match[1]!
      .replace(/\s+/g, ' ')
      .replace(/ · <a[\s\S]*$/, '')
      .trim(),
  );

describe('code by search and colleagues’ codes', () => {
  it('shows each colleague’s codes under shared coding, as the workbench does', async () => {
    expect((await mode('shared')).status).toBe(303);
    const page = await ana.get(search);
    expect(hintsOf(page.text)).toEqual([
      'Not coded by you · A colleague: Workforce and training, Austerity, cuts and deprivation',
      'Not coded by you · A colleague: no code applies',
      'Not coded by you',
    ]);
    expect(page.text).toContain('a ticked answer a colleague has coded gets your code as well');
  });

  it('never shows them under independent coding', async () => {
    expect((await mode('independent')).status).toBe(303);
    const page = await ana.get(search);
    expect(hintsOf(page.text)).toEqual(['Not coded by you', 'Not coded by you', 'Not coded by you']);
    expect(page.text).not.toContain('A colleague');
  });
});
