import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { csrfFrom, postForm, seedResponses } from './helpers/office.js';
import { base, openComparison, signInTeam, view, type Team } from './helpers/workbench.js';

/** The workbench script's requests: the same forms, asking for the answer's new state as JSON. */
const testApp = useTestApp();
let ids: string[];
let team: Team;

beforeAll(async () => {
  team = await signInTeam(testApp);
  ids = await seedResponses(testApp, 'professionals', [
    { role: 'barrister', country: 'england', quote_consent: 'yes', drivers_text: 'Cuts to early help and poverty.' },
    { role: 'social-worker', country: 'wales', quote_consent: 'no', drivers_text: 'Caseloads are too high.' },
    { role: 'social-worker', country: 'england', quote_consent: 'yes', drivers_text: 'Fear of blame.' },
  ]);
});

const at = (index: number) => `${base}?${view}&at=${ids[index]}`;

/** Posts an answer form as the workbench script does: its fields, its token, `Accept: application/json`. */
async function postJson(agent: request.Agent, index: number, action: string, fields: Record<string, string>) {
  const page = await agent.get(at(index));
  return agent
    .post(`${base}/${ids[index]}/${action}`)
    .set('Accept', 'application/json')
    .type('form')
    .send(new URLSearchParams({ _csrf: csrfFrom(page.text), view, ...fields }).toString());
}

const events = () => testApp.connection.collection('codingevents').find({}).toArray();

describe('coding in place: the answer actions answer JSON when asked', () => {
  it('puts a code on and off, answering with the codes on, the answer and my progress', async () => {
    const on = await postJson(team.ana, 0, 'codes', { code: 'austerity', present: '1' });
    expect(on.status).toBe(200);
    expect(on.headers['content-type']).toMatch(/^application\/json/);
    expect(on.body).toEqual({
      responseId: ids[0],
      codes: ['austerity'],
      noCode: false,
      spans: [],
      segments: [{ text: 'Cuts to early help and poverty.', codes: [], redacted: false }],
      starred: false,
      starredByOthers: 0,
      memo: '',
      progress: { coded: 1, total: 3, assigned: false },
      page: at(0),
    });
    // The same state sent twice stays as it is.
    const again = await postJson(team.ana, 0, 'codes', { code: 'austerity', present: '1' });
    expect(again.body.codes).toEqual(['austerity']);
    const second = await postJson(team.ana, 0, 'codes', { code: 'workforce', present: '1' });
    expect([...second.body.codes].sort()).toEqual(['austerity', 'workforce']);
    const off = await postJson(team.ana, 0, 'codes', { code: 'austerity', present: '0' });
    expect(off.body.codes).toEqual(['workforce']);
    expect(off.body.progress).toEqual({ coded: 1, total: 3, assigned: false });
    const none = await postJson(team.ana, 0, 'codes', { code: 'workforce', present: '0' });
    expect(none.body.codes).toEqual([]);
    expect(none.body.progress).toEqual({ coded: 0, total: 3, assigned: false });
    // Ben's view is his own.
    const bens = await postJson(team.ben, 0, 'codes', { code: 'risk-aversion', present: '1' });
    expect(bens.body.codes).toEqual(['risk-aversion']);
    expect(bens.body.progress).toEqual({ coded: 1, total: 3, assigned: false });
    // The plain form still goes back to the page.
    const plain = await postForm(team.ana, `${base}/${ids[0]}/codes`, { code: 'austerity', present: '0', view }, at(0));
    expect(plain.status).toBe(303);
    expect(plain.headers.location).toBe(at(0));
  });

  it('records "no code applies", clearing my codes and passages, and a code clears it again', async () => {
    const span = await postJson(team.ana, 1, 'spans', { code: 'system-overload', words: 'Caseloads' });
    expect(span.body.spans).toEqual([
      { code: 'system-overload', name: 'System overload', colour: '#1d70b8', start: 0, end: 9 },
    ]);
    // The text as the page marks it: the passage, then the rest.
    expect(span.body.segments).toEqual([
      { text: 'Caseloads', codes: ['system-overload'], redacted: false },
      { text: ' are too high.', codes: [], redacted: false },
    ]);
    await postJson(team.ana, 1, 'codes', { code: 'workforce', present: '1' });
    const decided = await postJson(team.ana, 1, 'no-code', { present: '1' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ codes: [], spans: [], noCode: true, progress: { coded: 1, total: 3 } });
    const coded = await postJson(team.ana, 1, 'codes', { code: 'workforce', present: '1' });
    expect(coded.body).toMatchObject({ codes: ['workforce'], noCode: false, progress: { coded: 1, total: 3 } });
    const withdrawn = await postJson(team.ana, 2, 'no-code', { present: '1' });
    expect(withdrawn.body.progress).toEqual({ coded: 2, total: 3, assigned: false });
    expect((await postJson(team.ana, 2, 'no-code', { present: '0' })).body).toMatchObject({
      noCode: false,
      progress: { coded: 1, total: 3 },
    });
  });

  it('codes a passage by offsets and removes it, with redacted words marked in the segments', async () => {
    await postJson(team.ana, 2, 'star', { starred: '1' });
    await postForm(team.ana, `${base}/${ids[2]}/redactions`, { words: 'blame', confirm: '1', view }, at(2));
    const coded = await postJson(team.ana, 2, 'spans', { code: 'risk-aversion', start: '0', end: '7' });
    expect(coded.body.spans).toEqual([
      { code: 'risk-aversion', name: 'Fear, blame and risk aversion', colour: '#4c2c92', start: 0, end: 7 },
    ]);
    expect(coded.body.segments).toEqual([
      { text: 'Fear of', codes: ['risk-aversion'], redacted: false },
      { text: ' ', codes: [], redacted: false },
      { text: 'blame', codes: [], redacted: true },
      { text: '.', codes: [], redacted: false },
    ]);
    const removed = await postJson(team.ana, 2, 'spans', { code: 'risk-aversion', start: '0', end: '7', remove: '1' });
    expect(removed.body.spans).toEqual([]);
    expect(removed.body.segments.map((segment: { text: string }) => segment.text)).toEqual(['Fear of ', 'blame', '.']);
    const nowhere = await postJson(team.ana, 2, 'spans', { code: 'risk-aversion', words: 'courage' });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.error.message).toBe('Those words are not in the answer. Copy them exactly as they appear.');
    await postJson(team.ana, 2, 'star', { starred: '0' });
  });

  it('stars and unstars, saves a memo, and says what another coder starred only as a count', async () => {
    const starred = await postJson(team.ana, 2, 'star', { starred: '1' });
    expect(starred.body).toMatchObject({ starred: true, starredByOthers: 0 });
    const bens = await postJson(team.ben, 2, 'star', { starred: '1' });
    // Coding independently, Ben is not told that Ana starred it; once the comparison is open, he is.
    expect(bens.body).toMatchObject({ starred: true, starredByOthers: 0 });
    await openComparison(testApp);
    expect((await postJson(team.ben, 2, 'star', { starred: '1' })).body).toMatchObject({ starredByOthers: 1 });
    const unstarred = await postJson(team.ana, 2, 'star', { starred: '0' });
    expect(unstarred.body).toMatchObject({ starred: false, starredByOthers: 1 });
    await openComparison(testApp, false);
    const memo = await postJson(team.ana, 2, 'memo', { memo: '  Blame culture, not resources.  ' });
    expect(memo.body.memo).toBe('Blame culture, not resources.');
    expect((await postJson(team.ben, 2, 'memo', { memo: 'Ben’s note' })).body.memo).toBe('Ben’s note');
  });

  it('refuses in JSON, never with a redirect: an unknown code, a missing state, a star without consent', async () => {
    const before = (await events()).length;
    const unknown = await postJson(team.ana, 0, 'codes', { code: 'no-such-code', present: '1' });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.location).toBeUndefined();
    expect(unknown.body.error).toMatchObject({
      status: 400,
      message: '"no-such-code" is not an active code of What is driving the rise in care proceedings.',
    });
    const missing = await postJson(team.ana, 0, 'codes', { code: 'austerity' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues).toEqual([{ field: 'present', message: 'This was not filled in as expected.' }]);
    const noConsent = await postJson(team.ana, 1, 'star', { starred: '1' });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.error.message).toBe(
      'This respondent did not agree to be quoted, so this answer cannot be starred as a quote.',
    );
    const elsewhere = await team.ana
      .post(`${base}/${'f'.repeat(24)}/codes`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrfFrom((await team.ana.get(at(0))).text), code: 'austerity', present: '1', view });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.message).toBe('That answer is not part of this question.');
    expect((await events()).length).toBe(before);
  });

  it('still needs the CSRF token when asking for JSON, in the body or the header', async () => {
    const before = (await events()).length;
    for (const token of [undefined, 'forged-token', csrfFrom((await team.ben.get(at(0))).text)]) {
      const refused = await team.ana
        .post(`${base}/${ids[0]}/codes`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ ...(token ? { _csrf: token } : {}), code: 'austerity', present: '1', view });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('This form has expired or did not come from this site.');
    }
    const viaHeader = await team.ana
      .post(`${base}/${ids[0]}/codes`)
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', csrfFrom((await team.ana.get(at(0))).text))
      .type('form')
      .send({ code: 'austerity', present: '1', view });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body.codes).toEqual(['austerity']);
    expect((await events()).length).toBe(before + 1);
  });
});

describe('the workbench page', () => {
  it('shows each code’s definition and what to include and exclude, without hovering, and the palette key', async () => {
    const page = (await team.ana.get(at(0))).text;
    expect(page).toMatch(
      /<summary>Definition<span class="visually-hidden"> of Austerity, cuts and deprivation<\/span><\/summary>\s*<p class="code-definition">Poverty and deprivation, welfare benefit changes/,
    );
    expect(page).toMatch(/<p><strong>Include:<\/strong> Poverty; benefits and universal credit; housing;/);
    expect(page).toMatch(/<p><strong>Exclude:<\/strong> Staffing shortages not linked to funding \(use workforce\)\./);
    expect(page).toContain('<kbd>c</kbd> find any code by its number or name');
    expect(page).toContain('<p class="work-status" id="work-status" role="status"></p>');
    expect(page).toContain('<div class="work-error" id="work-error" role="alert"></div>');
  });
});
