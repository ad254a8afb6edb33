import mongoose from 'mongoose';
import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { addUser, postForm, seedCodings, seedResponses, signIn } from './helpers/office.js';
import { openComparison } from './helpers/workbench.js';

/**
 * The review team's path, on a dataset whose every figure is worked out by hand below:
 * eight professionals (roles chosen to fall in the role groups as the brief sets them out), two
 * drafts stopped on different pages, codings on the open question with passages.
 */
const people: Record<string, string | string[]>[] = [
  { role: 'social-worker', country: 'england', region: 'london', trend: 'increased', drivers: ['poverty'] },
  {
    role: 'team-manager',
    country: 'england',
    region: 'london',
    trend: 'increased',
    drivers: ['poverty', 'early-help-cuts'],
  },
  { role: 'senior-manager', country: 'wales', trend: 'increased', drivers: ['poverty'] },
  { role: 'independent-reviewing-officer', country: 'england', region: 'north-east', trend: 'same', drivers: [] },
  { role: 'barrister', country: 'england', region: 'london', trend: 'increased', drivers: ['early-help-cuts'] },
  { role: 'barrister', country: 'wales', trend: 'decreased', drivers: ['poverty'] },
  { role: 'judge-or-magistrate', country: 'england', trend: 'increased', drivers: ['poverty'] },
  { role: 'police', country: 'wales', drivers: ['poverty'] },
];
const rows: Record<string, string | string[]>[] = people.map((row, i) => ({
  ...row,
  quote_consent: 'yes',
  drivers_text: `Answer ${i}: caseloads are high and Jane Smith waited a year for help.`,
}));

const testApp = useTestApp();
let ids: string[];
let analyst: request.Agent;
let coder: string;

beforeAll(async () => {
  coder = (await addUser(testApp, 'analyst@review.example', 'analyst')).id;
  await addUser(testApp, 'admin@review.example', 'admin');
  ids = await seedResponses(testApp, 'professionals', rows);
  // These tests read quotes as analysts: the lead has opened the comparison.
  await openComparison(testApp);
  await testApp.responses.insertMany([
    {
      _id: new mongoose.Types.ObjectId(),
      surveyId: 'professionals',
      surveyVersion: 1,
      tokenHash: 'd1',
      status: 'draft',
      answers: { consent: 'yes' },
      finishedPages: ['consent'],
    },
    {
      _id: new mongoose.Types.ObjectId(),
      surveyId: 'professionals',
      surveyVersion: 1,
      tokenHash: 'd2',
      status: 'draft',
      answers: { consent: 'yes' },
      finishedPages: ['consent'],
    },
    {
      _id: new mongoose.Types.ObjectId(),
      surveyId: 'professionals',
      surveyVersion: 1,
      tokenHash: 'd3',
      status: 'draft',
      answers: { consent: 'yes', role: 'barrister', country: 'wales' },
      finishedPages: ['consent', 'about-you'],
    },
  ]);
  const text = String(rows[0]!.drivers_text);
  const start = text.indexOf('caseloads are high');
  await seedCodings(testApp, [
    // Social work (4) carry system overload, legal (2) austerity; answer 0 as a passage.
    { responseId: ids[0]!, coderId: coder, codeId: 'system-overload', start, end: start + 'caseloads are high'.length },
    ...[1, 2, 3].map((i) => ({ responseId: ids[i]!, coderId: coder, codeId: 'system-overload' })),
    ...[4, 5].map((i) => ({ responseId: ids[i]!, coderId: coder, codeId: 'austerity' })),
    { responseId: ids[6]!, coderId: coder, codeId: 'austerity' },
  ]);
  analyst = await signIn(testApp.app, 'analyst@review.example');
});

describe('response monitoring', () => {
  it('counts submitted and part-completed surveys, and where each draft stopped', async () => {
    const json = (await analyst.get('/reports/professionals/monitoring?format=json')).body;
    expect(json).toMatchObject({ submitted: 8, inProgress: 3 });
    expect(json.completionRate).toBeCloseTo((100 * 8) / 11, 5);
    const stopped = Object.fromEntries(
      json.dropOff.map((page: { pageId: string; stopped: number }) => [page.pageId, page.stopped]),
    );
    expect(stopped).toMatchObject({ consent: 0, 'about-you': 2, 'the-rise': 1, region: 0 });
    expect(json.byNation.find((row: { value: string }) => row.value === 'wales')).toMatchObject({
      submitted: 3,
      inProgress: 1,
    });
    expect(json.byLanguage).toEqual([{ value: 'en', label: 'English', submitted: 8, inProgress: 3 }]);
    const page = await analyst.get('/reports/professionals/monitoring');
    expect(page.text).not.toContain('Jane Smith');
    expect(page.text).toContain('Open: takes answers until the end of 31 December 2027.');
  });
});

describe('groupings and small bases', () => {
  it('puts roles in their groups in the cross-tab, and withholds percentages under a base of 5', async () => {
    const json = (
      await analyst.get(
        '/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&by=role-group&format=json',
      )
    ).body;
    expect(json.crossTab.breakdown).toEqual({ id: 'role-group', label: 'Role group' });
    const column = (id: string) => json.crossTab.columns.findIndex((c: { id: string }) => c.id === id);
    expect(json.crossTab.columns[column('social-work')]).toMatchObject({ base: 4, suppressed: true });
    expect(json.crossTab.columns[column('legal')]).toMatchObject({ base: 2, suppressed: true });
    expect(json.crossTab.counts['system-overload'][column('social-work')]).toBe(4);
    expect(json.crossTab.counts.austerity[column('legal')]).toBe(2);
    expect(json.crossTab.counts.austerity[column('judiciary')]).toBe(1);
    const csv = (
      await analyst.get(
        '/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&by=role-group&format=csv',
      )
    ).text;
    expect(csv.split('\r\n')[0]).toContain('Social work: count,Social work: column %');
    expect(csv).toContain('base 4 under 5');
    const page = await analyst.get(
      '/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&by=role-group',
    );
    expect(page.text).toContain('Broken down by: Role group');
    expect(page.text).toContain('Columns marked * have fewer than 5 coded answers');
  });

  it('shows each breakdown under its own name, and the role groups in the respondent profile', async () => {
    const profile = (await analyst.get('/reports/professionals/profile?format=json')).body;
    const groups = profile.distributions.find((d: { id: string }) => d.id === 'role-group');
    expect(groups.title).toBe('Role group');
    expect(
      Object.fromEntries(groups.rows.map((row: { value: string; count: number }) => [row.value, row.count])),
    ).toMatchObject({ 'social-work': 4, legal: 2, judiciary: 1, 'other-professionals': 1, cafcass: 0 });
    const page = await analyst.get('/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers');
    expect(page.text).toMatch(/<option value="role-group"\s*>Role group<\/option>/);
    expect(page.text).toMatch(/<option value="country"\s*>Where do you mainly work\?<\/option>/);
  });
});

describe('charts ready for a report', () => {
  it('sorts bars by size, keeps a scale in its own order, and offers each chart as SVG and PNG', async () => {
    const json = (await analyst.get('/reports/professionals/questions?format=json')).body;
    const page = await analyst.get('/reports/professionals/questions');
    const trendBars = [...page.text.matchAll(/<g><text[^>]*text-anchor="end"><tspan[^>]*>([^<]+)<\/tspan>/g)].map(
      (match) => match[1],
    );
    // trend: increased 5, same 1, decreased 1, don't know 0 (largest first, ties in question order).
    expect(trendBars.slice(trendBars.indexOf('Increased'), trendBars.indexOf('Increased') + 3)).toEqual([
      'Increased',
      'Stayed about the same',
      'Decreased',
    ]);
    expect(json.distributions.find((d: { id: string }) => d.id === 'trend').ordered).toBe(false);
    const svg = await analyst.get('/reports/professionals/questions?chart=chart-trend&format=svg').buffer(true);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    const file = Buffer.from(svg.body as Buffer).toString('utf8');
    expect(file).toContain('<text x="8" y="22" font-size="16" font-weight="bold">');
    expect(file).toContain('Base: 7 respondents who answered; 1 asked did not answer.');
    const png = await analyst.get('/reports/professionals/questions?chart=chart-trend&format=png').buffer(true);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    expect((await analyst.get('/reports/professionals/questions?chart=nothing&format=svg')).status).toBe(404);
  });

  it('wraps a long label whole rather than cutting it off', async () => {
    const page = await analyst.get('/reports/professionals/questions');
    expect(page.text).toContain('<tspan');
    expect(page.text).not.toContain('…</tspan>');
  });
});

describe('the closed-question filter', () => {
  it('states one set of respondents, and keeps "not asked" apart from "did not answer"', async () => {
    const json = (await analyst.get('/reports/professionals/questions?format=json&country=wales')).body;
    expect(json.total).toBe(3);
    for (const distribution of json.distributions)
      expect(distribution.base + distribution.notAnswered + distribution.notAsked, distribution.id).toBe(
        distribution.multiple ? 3 : 3,
      );
    const region = json.distributions.find((d: { id: string }) => d.id === 'region');
    expect(region).toMatchObject({ base: 0, notAsked: 3, notAnswered: 0 });
    const trend = json.distributions.find((d: { id: string }) => d.id === 'trend');
    expect(trend).toMatchObject({ base: 2, notAnswered: 1, notAsked: 0 });
  });
});

describe('quotes from passages', () => {
  it('quotes the coded passage where there is one, with the codes and a link back to the answer', async () => {
    const json = (
      await analyst.get('/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers&format=json')
    ).body;
    expect(json).toEqual([]);
    const page = await analyst.get('/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers');
    expect(page.text).toContain('‘caseloads are high’');
    expect(page.text).toContain('coded passage');
    expect(page.text).toContain(
      `href="/work/professionals/drivers_text?codebook=care-crisis-drivers&amp;at=${ids[0]}"`,
    );
    // Starred from the quotes page, it comes back to the same place, and the download has the passage.
    const starred = await postForm(
      analyst,
      `/work/professionals/drivers_text/${ids[0]}/star`,
      {
        starred: '1',
        view: 'codebook=care-crisis-drivers',
        next: '/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers#quote-system-overload-0',
      },
      '/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers',
    );
    expect(starred.status).toBe(303);
    expect(starred.headers.location).toBe(
      '/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers#quote-system-overload-0',
    );
    const after = (
      await analyst.get('/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers&format=json')
    ).body;
    expect(after).toEqual([
      expect.objectContaining({
        codeId: 'system-overload',
        text: 'caseloads are high',
        attribution: '(Social worker)',
        passage: { start: 10, end: 28 },
      }),
    ]);
  });

  it('refuses to send anyone off the site after starring', async () => {
    const response = await postForm(
      analyst,
      `/work/professionals/drivers_text/${ids[1]}/star`,
      { starred: '1', view: '', next: '//evil.example/x' },
      '/work',
    );
    expect(response.status).toBe(400);
  });
});

describe('the printable report', () => {
  it('puts the response summary, charts with tables, and themes with coverage together, honest about what is not coded', async () => {
    const page = await analyst.get('/reports/professionals/report');
    expect(page.text).toContain('<strong>8</strong> responses submitted, and 3 started but not sent');
    expect(page.text).toContain('7 of 8 answers coded (0 reconciled): provisional until every answer is coded.');
    expect(page.text).toContain('Not coded yet: no codebook has been chosen for this question.');
    expect(page.text).toContain('Nobody has answered this question yet.');
    expect((await analyst.get('/reports/professionals/theme-report')).headers.location).toBe(
      '/reports/professionals/report',
    );
  });
});

describe('finding everything', () => {
  it('lists every survey with its status, and every coded question on its home, codebook named or not', async () => {
    const results = await analyst.get('/reports');
    expect(results.text).toContain('href="/reports/professionals"');
    await seedCodings(testApp, [{ responseId: ids[0]!, coderId: coder, codeId: 'shared-purpose' }], {
      surveyId: 'professionals',
      questionId: 'partnership_meaning',
      codebookId: 'partnership-promoters',
    });
    const home = await analyst.get('/reports/professionals');
    expect(home.text).toContain(
      'href="/reports/professionals/themes/partnership_meaning?codebook=partnership-promoters"',
    );
    expect(home.text).toContain('7 of 8 answers');
    const workbench = await analyst.get('/work/professionals/drivers_text?codebook=care-crisis-drivers');
    expect(workbench.text).toContain(
      'href="/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers">Results for this question',
    );
  });

  it('tells an admin plainly whether a survey is open or closed after new dates are saved', async () => {
    const admin = await signIn(testApp.app, 'admin@review.example');
    const saved = await postForm(
      admin,
      '/admin/surveys/family/dates',
      { opens: '2020-01-01', closes: '2020-02-01' },
      '/admin',
    );
    expect(saved.headers.location).toBe('/admin?saved=family#surveys');
    const page = await admin.get('/admin?saved=family');
    expect(page.text).toContain('Dates saved.</strong> Family members survey:');
    expect(page.text).toContain('Closed: stopped taking answers at the end of 1 February 2020.');
  });
});

describe('found by an outside tester of the results pages', () => {
  it("shows each analyst their own star on the quotes page, with others' stars counted, not offered to undo", async () => {
    await addUser(testApp, 'ben@review.example', 'analyst');
    const ben = await signIn(testApp.app, 'ben@review.example');
    const page = await ben.get('/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers');
    // The analyst starred the passage of answer 0 above: Ben sees it starred by another, with a Star (not Unstar) button.
    expect(page.text).toContain('★ starred by 1 other analyst');
    expect(page.text).not.toMatch(/>Unstar<span class="visually-hidden"> quote 1 under System overload/);
    const mine = await analyst.get('/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers');
    expect(mine.text).toContain('★ starred by you');
    expect(
      JSON.stringify(
        (await ben.get('/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers&format=json')).body,
      ),
    ).not.toContain(coder);
  });

  it('puts a question coded with another codebook in the printable report too', async () => {
    await seedCodings(testApp, [{ responseId: ids[7]!, coderId: coder, codeId: 'resources' }], {
      surveyId: 'professionals',
      questionId: 'drivers_text',
      codebookId: 'partnership-barriers',
    });
    const page = await analyst.get('/reports/professionals/report');
    expect(page.text).toContain('(coded with Barriers to working in partnership with families)');
  });

  it('says a theme summary has nothing coded instead of drawing an empty chart', async () => {
    const page = await analyst.get('/reports/professionals/themes/promoters_text?codebook=partnership-promoters');
    expect(page.text).toContain('Nobody has answered this question yet.');
    expect(page.text).not.toContain('<svg class="chart"');
  });

  it('attributes a respondent who chose "Other" as "Other", not the form\'s wording', async () => {
    const [other] = await seedResponses(testApp, 'professionals', [
      { role: 'other', country: 'england', quote_consent: 'yes', drivers_text: 'Another view entirely.' },
    ]);
    await seedCodings(testApp, [{ responseId: other!, coderId: coder, codeId: 'austerity' }]);
    const page = await analyst.get('/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers');
    expect(page.text).toContain('(Other) · whole answer');
    expect(page.text).not.toContain('(Other (please say))');
  });

  it('keeps bands of years in their own order in charts', async () => {
    const json = (await analyst.get('/reports/professionals/questions?format=json')).body;
    expect(json.distributions.find((d: { id: string }) => d.id === 'experience').ordered).toBe(true);
  });
});
