import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { postForm, seedResponses } from './helpers/office.js';
import { answerForms, base, noCodePressed, openComparison, signInTeam, view } from './helpers/workbench.js';

/**
 * The coding findings of the trust review, each reproduced through the app as analysts use it:
 * shared-out work, "no code applies", repeated requests, simultaneous analysts, merges.
 */

const testApp = useTestApp();
let ids: string[];
let ana: request.Agent;
let ben: request.Agent;
let admin: request.Agent;
let anaId: string;

const texts = [
  'Caseloads are far too high and the system is overloaded.',
  'Too many referrals and not enough workers to cope.',
  'Teams are stretched thin, demand outstrips capacity.',
  'Services are overwhelmed by the volume of cases.',
];

beforeAll(async () => {
  ({ ana, ben, admin, anaId } = await signInTeam(testApp));
  ids = await seedResponses(
    testApp,
    'professionals',
    texts.map((drivers_text, index) => ({
      role: index < 2 ? 'barrister' : 'social-worker',
      country: 'england',
      quote_consent: 'yes',
      drivers_text,
    })),
  );
});

const { at, setCode, noCode } = answerForms(() => ids);
const themes = async () => (await ana.get(`/reports/professionals/themes/drivers_text?${view}&format=json`)).body;

describe('counting when analysts share out the answers', () => {
  it('counts every coded answer in full: A codes 1-2, B codes 3-4, all with System overload, gives 4 of 4', async () => {
    for (const index of [0, 1]) await setCode(ana, index, 'system-overload');
    for (const index of [2, 3]) await setCode(ben, index, 'system-overload');
    const json = await themes();
    expect(json.coverage).toEqual({ answers: 4, coded: 4, reconciled: 0, provisional: false });
    expect(json.rows[0]).toMatchObject({ codeId: 'system-overload', count: 4, percent: 100 });
    const report = await ana.get('/reports/professionals/report');
    expect(report.text).toContain('4 of 4 answers coded (0 reconciled).');
    expect(report.text).toMatch(
      /System overload<\/h4>\s*<p class="theme-figure"><strong>4<\/strong> \(100 per cent of 4 coded answers\)/,
    );
  });

  it('uses the report coder where they coded, and the other coder elsewhere', async () => {
    // Ben now codes answer 1 differently from Ana; with Ana as report coder, her codes count there.
    await postForm(
      admin,
      '/lead/questions/professionals/drivers_text',
      { mode: 'independent', reportCoder: anaId },
      '/admin',
    );
    await setCode(ben, 0, 'workforce');
    await setCode(ben, 0, 'system-overload', false);
    const json = await themes();
    expect(json.reportCoder).toBe(anaId);
    expect(json.rows.find((row: { codeId: string }) => row.codeId === 'system-overload').count).toBe(4);
    expect(json.rows.find((row: { codeId: string }) => row.codeId === 'workforce').count).toBe(0);
    await setCode(ben, 0, 'workforce', false);
    await setCode(ben, 0, 'system-overload');
  });
});

describe('"no code applies"', () => {
  it('is a decision: counted as coded, in progress, in agreement, and in the disagreement list', async () => {
    const decided = await noCode(ana, 2);
    expect(decided.status).toBe(303);
    const page = await ana.get(at(2));
    expect(noCodePressed(page.text)).toBe(true);
    expect(page.text).toContain('Coded 3 of 4');

    // Coding independently, Ana sees the figures but not Ben's codes; the lead sees both.
    const figures = (await ana.get(`/reports/professionals/agreement/drivers_text?${view}&format=json`)).body;
    expect(figures.disagreementCount).toBe(1);
    expect(figures.disagreements).toEqual([]);
    const agreement = (await admin.get(`/reports/professionals/agreement/drivers_text?${view}&format=json`)).body;
    expect(agreement.units).toBe(2);
    const disagreement = agreement.disagreements.find((entry: { responseId: string }) => entry.responseId === ids[2]);
    expect(disagreement.byCoder).toEqual(
      expect.arrayContaining([
        { coder: 'ana@review.example', codes: [] },
        { coder: 'ben@review.example', codes: ['system-overload'] },
      ]),
    );
    expect(
      agreement.perCode.find((code: { codeId: string }) => code.codeId === 'system-overload').percentAgreement,
    ).toBe(50);

    const reconcile = await admin.get(`/lead/reconcile/professionals/drivers_text?${view}`);
    expect(reconcile.text).toContain(texts[2]);
    const coded = (await admin.get(`/admin/exports/professionals/drivers_text/codings.csv?${view}`)).text;
    expect(coded).toContain(
      `${ids[2]},professionals,drivers_text,care-crisis-drivers,,No code applies,ana@review.example`,
    );
  });

  it('is replaced by a code, and a code by it', async () => {
    await setCode(ana, 2, 'workforce');
    let page = await ana.get(at(2));
    expect(noCodePressed(page.text)).toBe(false);
    await noCode(ana, 2);
    page = await ana.get(at(2));
    expect(page.text).not.toMatch(
      /class="code-button is-on" aria-pressed="true"[^>]*>\s*<kbd>\d<\/kbd>\s*<span class="code-name">Workforce/,
    );
    expect(noCodePressed(page.text)).toBe(true);
  });

  it('counts in the theme base as a coded answer with no theme', async () => {
    const json = await themes();
    expect(json.coverage.coded).toBe(4);
    // Answer 3 is Ana's "no code applies" (she is the report coder), so 3 of 4 carry System overload.
    expect(json.rows[0]).toMatchObject({ codeId: 'system-overload', count: 3, percent: 75 });
  });
});

describe('repeated and simultaneous requests', () => {
  it('leaves a code on when the same "code on" form is sent twice, and off when "off" is sent twice', async () => {
    await setCode(ana, 3, 'austerity');
    await setCode(ana, 3, 'austerity');
    expect((await ana.get(at(3))).text).toMatch(
      /class="code-button is-on" aria-pressed="true"[^>]*>\s*<kbd>2<\/kbd>\s*<span class="code-name">Austerity/,
    );
    await Promise.all([setCode(ana, 3, 'austerity', false), setCode(ana, 3, 'austerity', false)]);
    expect((await ana.get(at(3))).text).not.toMatch(
      /class="code-button is-on" aria-pressed="true"[^>]*>\s*<kbd>2<\/kbd>/,
    );
  });

  it('keeps a star on when "star" is sent twice, and each analyst\'s star is their own', async () => {
    const star = (agent: request.Agent, starred: string) =>
      postForm(agent, `${base}/${ids[0]}/star`, { starred, view }, at(0));
    await Promise.all([star(ana, '1'), star(ana, '1'), star(ben, '1')]);
    const stored = await testApp.connection.collection('quotes').findOne({ responseId: ids[0] });
    expect(stored?.starredBy).toHaveLength(2);
    await star(ben, '0');
    await star(ben, '0');
    expect((await ana.get(at(0))).text).toContain('★ Unstar quote');
  });

  it('keeps both of two redactions sent at the same moment by two analysts', async () => {
    const redact = (agent: request.Agent, words: string) =>
      postForm(agent, `${base}/${ids[0]}/redactions`, { words, confirm: '1', view }, at(0));
    const results = await Promise.all([redact(ana, 'Caseloads'), redact(ben, 'system')]);
    expect(results.map((result) => result.status)).toEqual([303, 303]);
    const stored = await testApp.connection.collection('quotes').findOne({ responseId: ids[0] });
    expect([...(stored?.redacted ?? [])].sort()).toEqual(['Caseloads', 'system']);
  });
});

describe('redaction', () => {
  it('shows every occurrence before saving, then hides each one in the quotes export, in any letter case', async () => {
    await openComparison(testApp);
    const [id] = await seedResponses(testApp, 'professionals', [
      {
        role: 'barrister',
        country: 'england',
        quote_consent: 'yes',
        drivers_text: 'Jane waited a year. Nobody helped Jane, and JANE gave up.',
      },
    ]);
    const from = `${base}?${view}&at=${id}`;
    await postForm(ana, `${base}/${id}/star`, { starred: '1', view }, from);
    const preview = await postForm(ana, `${base}/${id}/redactions`, { words: 'Jane', view }, from);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('appears <strong>3</strong> times');
    expect(preview.text.match(/<mark class="redacted">/g)).toHaveLength(3);
    expect(await testApp.connection.collection('quotes').findOne({ responseId: id, redacted: 'Jane' })).toBeNull();

    const saved = await postForm(ana, `${base}/${id}/redactions`, { words: 'Jane', confirm: '1', view }, from);
    expect(saved.status).toBe(303);
    await postForm(ana, `${base}/${id}/codes`, { code: 'system-overload', present: '1', view }, from);
    const csv = (await admin.get(`/admin/quotes/professionals/drivers_text?${view}`)).text;
    expect(csv).toContain('[redacted] waited a year. Nobody helped [redacted], and [redacted] gave up.');
    expect(csv.toLowerCase()).not.toContain('jane');
    const reportCsv = (await ana.get(`/reports/professionals/quotes/drivers_text?${view}&format=csv`)).text;
    expect(reportCsv).toContain('[redacted] waited a year.');
    expect(reportCsv.toLowerCase()).not.toContain('jane');
    await openComparison(testApp, false);
  });

  it('says so, and saves nothing, when the words are not in the answer', async () => {
    const response = await postForm(ana, `${base}/${ids[0]}/redactions`, { words: 'Leeds', view }, at(0));
    expect(response.status).toBe(400);
    expect(response.text).toContain('is not in this answer');
  });
});

describe('a passage coded before a merge', () => {
  it('can still be removed after its code is merged into another', async () => {
    const text = texts[1]!;
    const start = text.indexOf('not enough workers');
    await postForm(
      ana,
      `${base}/${ids[1]}/spans`,
      { code: 'workforce', start: String(start), end: String(start + 18), view },
      at(1),
    );
    const merged = await postForm(
      admin,
      '/codebooks/care-crisis-drivers/merge',
      { from: 'workforce', into: 'system-overload' },
      '/codebooks/care-crisis-drivers',
    );
    expect(merged.status).toBe(303);
    let page = await ana.get(at(1));
    expect(page.text).toContain('<strong>System overload</strong>: “not enough workers”');
    // The page's Remove form names the surviving code: the passage is stored under the merged one.
    const removed = await postForm(
      ana,
      `${base}/${ids[1]}/spans`,
      { code: 'system-overload', start: String(start), end: String(start + 18), remove: '1', view },
      at(1),
    );
    expect(removed.status).toBe(303);
    page = await ana.get(at(1));
    expect(page.text).not.toContain('“not enough workers”');
    const events = await testApp.connection.collection('codingevents').find({ responseId: ids[1], start }).toArray();
    expect(events.map((event) => [event.codeId, event.present])).toEqual([
      ['workforce', true],
      ['workforce', false],
    ]);
  });
});
