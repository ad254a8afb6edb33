import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { definitionsDir, useTestApp } from './helpers/app.js';
import { addUser, postForm, seedResponses, signIn } from './helpers/office.js';
import { base, view } from './helpers/workbench.js';

/**
 * A lead shares a question out between three analysts with an overlap for agreement, the analysts
 * code what they were given, and every progress figure is checked against the hand count.
 */

const testApp = useTestApp();
const setup = '/lead/questions/professionals/drivers_text';
let lead: request.Agent;
let coders: { name: string; id: string; agent: request.Agent }[];

beforeAll(async () => {
  await addUser(testApp, 'lead@review.example', 'lead');
  lead = await signIn(testApp.app, 'lead@review.example');
  coders = [];
  for (const name of ['ana', 'ben', 'cat']) {
    const { id } = await addUser(testApp, `${name}@review.example`, 'analyst');
    coders.push({ name, id, agent: await signIn(testApp.app, `${name}@review.example`) });
  }
  await seedResponses(
    testApp,
    'professionals',
    Array.from({ length: 30 }, (_, index) => ({
      role: index % 3 === 0 ? 'barrister' : 'social-worker',
      country: index < 10 ? 'wales' : 'england',
      quote_consent: 'yes',
      drivers_text: `Answer number ${index + 1} about caseloads and thresholds.`,
    })),
  );
});

/** The answer the workbench shows when opened from "Choose what to code", or undefined when finished. */
async function nextAnswer(agent: request.Agent): Promise<string | undefined> {
  const page = await agent.get(`${base}?${view}`);
  return /action="\/work\/professionals\/drivers_text\/([a-f0-9]{24})\/no-code"/.exec(page.text)?.[1];
}

/** Codes every answer the workbench offers, the way an analyst goes through them; returns how many. */
async function codeUntilFinished(agent: request.Agent, code: string): Promise<number> {
  let coded = 0;
  for (let responseId = await nextAnswer(agent); responseId; responseId = await nextAnswer(agent)) {
    const saved = await postForm(agent, `${base}/${responseId}/codes`, { code, present: '1', view }, `${base}?${view}`);
    expect(saved.status).toBe(303);
    if (++coded > 40) throw new Error('The workbench kept offering answers');
  }
  return coded;
}

const progressLine = async () =>
  /<strong>(\d+) of (\d+)<\/strong> answers coded by at least one analyst; (\d+) by two or more/
    .exec((await lead.get(setup)).text)
    ?.slice(1)
    .map(Number);

describe('assignments and progress', () => {
  it('shares 30 answers out between three analysts with a 20% overlap, and every figure adds up', async () => {
    const assigned = await postForm(
      lead,
      `${setup}/assignments`,
      { coders: coders.map((coder) => coder.id), scope: 'all', split: 'share', overlap: '20' },
      setup,
    );
    expect(assigned.status).toBe(303);
    const page = (await lead.get(`${setup}?saved=assignment`)).text;
    expect(page).toContain('Assignment added.');
    expect(page).toMatch(/Shared out in turn, 20% also to the next coder<\/td>\s*<td class="num">30<\/td>/);

    // 30 answers dealt in turn (10 each), and 6 of them (every fifth) also to the next coder: 12 each.
    for (const { agent } of coders) expect((await agent.get('/work')).text).toContain('You: <strong>0 of 12</strong>');
    expect(await progressLine()).toEqual([0, 30, 0]);

    const [ana, ben, cat] = coders as [(typeof coders)[0], (typeof coders)[0], (typeof coders)[0]];
    expect(await codeUntilFinished(ana.agent, 'austerity')).toBe(12);
    const finished = await ana.agent.get(`${base}?${view}`);
    expect(finished.text).toContain('Finished: every answer assigned to you is coded');
    expect(finished.text).not.toContain('id="answer-text"');
    expect(await progressLine()).toEqual([12, 30, 0]);
    // Nobody else has started: 18 answers are uncoded by anyone.
    expect((await ben.agent.get(`${base}?${view}&uncoded=anyone`)).text).toContain('Answer 1 of 18');

    expect(await codeUntilFinished(ben.agent, 'workforce')).toBe(12);
    // Ana and Ben share 2 overlap answers (the 10th and 25th), so 22 are coded, 2 of them twice.
    expect(await progressLine()).toEqual([22, 30, 2]);
    expect(await codeUntilFinished(cat.agent, 'austerity')).toBe(12);
    expect(await progressLine()).toEqual([30, 30, 6]);

    const setupPage = (await lead.get(setup)).text;
    for (const { name } of coders) expect(setupPage).toContain(`${name}@review.example: 12 of 12`);
    // Ana and Cat agree on their shared answers, Ben disagrees with both: 4 disagreements.
    expect(setupPage).toContain('Reconcile (4 to do)');
  });

  it('assigns by country and by a range of answer numbers, and refuses an empty or reversed scope', async () => {
    const [ana] = coders;
    await postForm(
      lead,
      `${setup}/assignments`,
      { coders: ana!.id, scope: 'country', country: 'wales', split: 'each' },
      setup,
    );
    await postForm(
      lead,
      `${setup}/assignments`,
      { coders: ana!.id, scope: 'range', from: '28', to: '30', split: 'each' },
      setup,
    );
    const page = (await lead.get(setup)).text;
    expect(page).toMatch(/Country: Wales<\/td>\s*<td>Each codes every answer<\/td>\s*<td class="num">10<\/td>/);
    expect(page).toMatch(/Answers 28 to 30<\/td>\s*<td>Each codes every answer<\/td>\s*<td class="num">3<\/td>/);
    const reversed = await postForm(
      lead,
      `${setup}/assignments`,
      { coders: ana!.id, scope: 'range', from: '9', to: '2', split: 'each' },
      setup,
    );
    expect(reversed.status).toBe(400);
    expect(reversed.text).toContain('The first answer number must not be after the last.');
    const nobody = await postForm(lead, `${setup}/assignments`, { scope: 'all', split: 'each' }, setup);
    expect(nobody.status).toBe(400);
    expect(nobody.text).toContain('Choose at least one analyst');
    const nonesuch = await postForm(
      lead,
      `${setup}/assignments`,
      { coders: ana!.id, scope: 'group', group: 'nonesuch', split: 'each' },
      setup,
    );
    expect(nonesuch.status).toBe(400);
    expect(nonesuch.text).toContain('Choose a kind of respondent or a country from the list.');
    const stranger = await postForm(
      lead,
      `${setup}/assignments`,
      { coders: 'f'.repeat(24), scope: 'all', split: 'each' },
      setup,
    );
    expect(stranger.status).toBe(400);

    // Removing rules takes the answers back.
    const ruleIds = [...page.matchAll(/assignments\/([a-f0-9]{12})\/remove/g)].map((match) => match[1]!);
    expect(ruleIds).toHaveLength(3);
    for (const ruleId of ruleIds.slice(1)) {
      expect((await postForm(lead, `${setup}/assignments/${ruleId}/remove`, {}, setup)).status).toBe(303);
    }
    const again = await postForm(lead, `${setup}/assignments/${ruleIds[1]}/remove`, {}, setup);
    expect(again.status).toBe(404);
    expect((await lead.get(setup)).text.match(/assignments\/[a-f0-9]{12}\/remove/g)).toHaveLength(1);
  });

  it('keeps set-up to leads: analysts are refused on the router, whatever the spelling', async () => {
    const [ana] = coders;
    expect((await ana!.agent.get(setup)).status).toBe(403);
    const refused = await postForm(ana!.agent, `${setup}/assignments`, {
      coders: ana!.id,
      scope: 'all',
      split: 'each',
    });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Choose what to code');
    for (const spelling of [
      setup.toUpperCase(),
      setup.replace('/lead', '/Lead'),
      `/${setup}`,
      setup.replace('/lead', '/%6cead'),
    ])
      expect((await ana!.agent.get(spelling)).status, spelling).toBe(404);
    const saved = await postForm(lead, setup, { codebook: 'care-crisis-drivers', mode: 'independent' }, setup);
    expect(saved.headers.location).toBe(`${setup}?saved=settings#settings`);
    expect((await lead.get(`${setup}?saved=settings`)).text).toContain('Settings saved.');
  });
});

describe('a question without a codebook', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'surveys-'));
  for (const file of fs.readdirSync(definitionsDir)) {
    const text = fs.readFileSync(path.join(definitionsDir, file), 'utf8');
    fs.writeFileSync(path.join(dir, file), text.replace('"codedWith": "care-crisis-drivers",', ''));
  }
  const bare = useTestApp({ surveysDir: dir });

  it('says so, instead of borrowing another codebook, until a lead chooses one', async () => {
    await addUser(bare, 'ana@review.example', 'analyst');
    await addUser(bare, 'lead@review.example', 'lead');
    const analyst = await signIn(bare.app, 'ana@review.example');
    const index = (await analyst.get('/work')).text;
    expect(index).toMatch(
      /drivers_text\)<\/span><\/h3>\s*<p><strong>No codebook chosen yet.<\/strong> A lead chooses one/,
    );
    const page = await analyst.get(base);
    expect(page.status).toBe(409);
    expect(page.text).toContain('No codebook has been chosen for &#34;drivers_text&#34; yet.');
    // Nor through the address: naming another codebook in the URL is refused for viewing and coding.
    const borrowed = await analyst.get(`${base}?${view}`);
    expect(borrowed.status).toBe(409);
    expect(borrowed.text).toContain('is not coded with the codebook &#34;care-crisis-drivers&#34;');
    const leadAgent = await signIn(bare.app, 'lead@review.example');
    await postForm(leadAgent, setup, { codebook: 'care-crisis-drivers', mode: 'independent' }, setup);
    expect((await analyst.get(base)).status).toBe(200);
  });
});

describe('an analyst with nothing assigned', () => {
  it('is told so, and "assigned to me" shows nothing rather than everything', async () => {
    await addUser(testApp, 'dan@review.example', 'analyst');
    const dan = await signIn(testApp.app, 'dan@review.example');
    const opened = (await dan.get(`${base}?${view}`)).text;
    expect(opened).toContain('No answers of this question are assigned to you: you are seeing every answer.');
    expect(opened).toContain('id="answer-text"');
    const mine = (await dan.get(`${base}?${view}&assigned=1&uncoded=all`)).text;
    expect(mine).toContain('No answers of this question are assigned to you.');
    expect(mine).toContain('No answers match');
    // Nor on a question where nothing is assigned to anyone.
    const unassigned = (await dan.get('/work/professionals/promoters_text?codebook=partnership-promoters&assigned=1'))
      .text;
    expect(unassigned).toContain('No answers of this question are assigned to you.');
  });
});

describe('roles changed by an admin', () => {
  it('confirms the change beside the account, and it is obeyed on the next click', async () => {
    await addUser(testApp, 'boss@review.example', 'admin');
    const admin = await signIn(testApp.app, 'boss@review.example');
    const cat = coders[2]!;
    expect((await cat.agent.get(setup)).status).toBe(403);
    const saved = await postForm(admin, `/admin/users/${cat.id}`, { role: 'lead' }, '/admin');
    expect(saved.headers.location).toBe(`/admin?account=${cat.id}#user-${cat.id}`);
    expect((await admin.get(saved.headers.location!)).text).toContain(
      '<strong>Saved.</strong> cat@review.example is an enabled lead.',
    );
    expect((await cat.agent.get(setup)).status).toBe(200);
    expect((await cat.agent.get('/admin')).status).toBe(403);
    await postForm(admin, `/admin/users/${cat.id}`, { role: 'analyst' }, '/admin');
    expect((await cat.agent.get(setup)).status).toBe(403);
  });
});
