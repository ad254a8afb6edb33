import fs from 'node:fs';
import path from 'node:path';
import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { projectRoot } from '../server/config.js';
import { useTestApp } from './helpers/app.js';
import { addUser, postForm, seedCodings, seedResponses, signIn } from './helpers/office.js';
import { openComparison } from './helpers/workbench.js';

/**
 * Six submitted professionals responses (and one draft, which must never count), coded by two
 * analysts, with one answer reconciled. Every figure below is worked out by hand from this table.
 */
const rows: Record<string, string | string[]>[] = [
  {
    role: 'barrister',
    country: 'england',
    region: 'london',
    trend: 'increased',
    drivers: ['poverty', 'early-help-cuts'],
    partnership_norm: 'yes',
    quote_consent: 'yes',
    drivers_text: 'Cuts, and caseloads. Jane in Leeds saw it.',
  },
  {
    role: 'social-worker',
    country: 'wales',
    trend: 'increased',
    drivers: ['poverty'],
    quote_consent: 'no',
    drivers_text: 'Poverty and agency staff.',
  },
  {
    role: 'social-worker',
    country: 'england',
    region: 'north-west',
    trend: 'decreased',
    quote_consent: 'yes',
    drivers_text: 'Inexperienced workers.',
  },
  {
    role: 'barrister',
    country: 'scotland',
    trend: 'dont-know',
    drivers: ['other'],
    quote_consent: 'yes',
    drivers_text: '=HYPERLINK("http://evil.example")',
  },
  {
    role: 'judge-or-magistrate',
    country: 'england',
    region: 'london',
    trend: 'increased',
    drivers: ['poverty', 'court-practice'],
    partnership_norm: 'no',
    quote_consent: 'yes',
    drivers_text: '+ Universal credit',
  },
  {
    role: 'social-worker',
    country: 'england',
    region: 'london',
    trend: 'same',
    quote_consent: 'yes',
    drivers_text: '@ fear of blame',
  },
];

const testApp = useTestApp();
let ids: string[];
let admin: request.Agent;
let analyst: request.Agent;
let coderA: string;
let coderB: string;

beforeAll(async () => {
  coderA = (await addUser(testApp, 'a@review.example', 'analyst')).id;
  coderB = (await addUser(testApp, 'b@review.example', 'analyst')).id;
  await addUser(testApp, 'admin@review.example', 'admin');
  ids = await seedResponses(testApp, 'professionals', rows);
  // These tests read quotes as an analyst: the lead has opened the comparison.
  await openComparison(testApp);
  await testApp.responses.updateOne({ _id: ids[3] }, { $set: { 'otherText.drivers': '-2+3 housing' } });
  await testApp.responses.create({
    surveyId: 'professionals',
    surveyVersion: 1,
    tokenHash: 'draft',
    status: 'draft',
    answers: { role: 'barrister', country: 'england', drivers: ['poverty'], drivers_text: 'draft only' },
  });
  await seedCodings(testApp, [
    { responseId: ids[0]!, coderId: coderA, codeId: 'austerity' },
    { responseId: ids[0]!, coderId: coderA, codeId: 'system-overload', start: 6, end: 16 },
    { responseId: ids[1]!, coderId: coderA, codeId: 'austerity' },
    { responseId: ids[2]!, coderId: coderA, codeId: 'workforce' },
    { responseId: ids[4]!, coderId: coderA, codeId: 'austerity' },
    { responseId: ids[5]!, coderId: coderA, codeId: 'risk-aversion' },
    { responseId: ids[0]!, coderId: coderB, codeId: 'austerity' },
    { responseId: ids[1]!, coderId: coderB, codeId: 'austerity' },
    { responseId: ids[1]!, coderId: coderB, codeId: 'workforce' },
    { responseId: ids[2]!, coderId: coderB, codeId: 'workforce' },
  ]);
  admin = await signIn(testApp.app, 'admin@review.example');
  analyst = await signIn(testApp.app, 'a@review.example');
  await postForm(
    admin,
    `/lead/reconcile/professionals/drivers_text/${ids[1]}`,
    { codebook: 'care-crisis-drivers', codes: ['austerity', 'workforce'] },
    '/admin',
  );
});

const csvLines = (text: string) => text.trim().split('\r\n');

describe('respondent profile', () => {
  it('counts roles, countries and regions with their bases, drafts excluded', async () => {
    const json = (await analyst.get('/reports/professionals/profile?format=json')).body;
    expect(json.total).toBe(6);
    const role = json.distributions.find((d: { id: string }) => d.id === 'role');
    expect(role.base).toBe(6);
    expect(
      role.rows
        .filter((row: { count: number }) => row.count > 0)
        .map((row: { value: string; count: number }) => [row.value, row.count]),
    ).toEqual([
      ['social-worker', 3],
      ['barrister', 2],
      ['judge-or-magistrate', 1],
    ]);
    const region = json.distributions.find((d: { id: string }) => d.id === 'region');
    // Region is asked only of those working in England: the other two were routed past it, not silent.
    expect(region.base).toBe(4);
    expect(region.notAnswered).toBe(0);
    expect(region.notAsked).toBe(2);
    expect(region.rows.find((row: { value: string }) => row.value === 'london')).toMatchObject({
      count: 3,
      percent: 75,
    });

    const page = await analyst.get('/reports/professionals/profile');
    expect(page.text).toContain('Base: 6 respondents who answered.');
    expect(page.text).toContain('Base: 4 respondents who answered; 2 were not asked (routed past it).');
    expect(page.text).toMatch(/<svg class="chart" role="img" aria-labelledby="chart-role-title chart-role-desc"/);
    expect(page.text).toContain('<title id="chart-role-title">Which best describes your role?</title>');
    expect(page.text).toMatch(/<th scope="row">Social worker<\/th><td class="num">3<\/td><td class="num">50.0%<\/td>/);
    const csv = csvLines((await analyst.get('/reports/professionals/profile?format=csv')).text);
    expect(csv[0]).toBe('question,value,label,count,percent,base,not_answered,not_asked');
    expect(csv).toContain('region,london,London,3,75.0,4,0,2');
  });
});

describe('closed-question distributions', () => {
  it('counts a multi-choice question against everyone asked, ticking none included', async () => {
    const json = (await analyst.get('/reports/professionals/questions?format=json')).body;
    const drivers = json.distributions.find((d: { id: string }) => d.id === 'drivers');
    expect(drivers.base).toBe(6);
    const counts = Object.fromEntries(
      drivers.rows.map((row: { value: string; count: number }) => [row.value, row.count]),
    );
    expect(counts).toMatchObject({
      poverty: 3,
      'early-help-cuts': 1,
      'court-practice': 1,
      other: 1,
      'risk-averse-practice': 0,
    });
    expect(drivers.rows.find((row: { value: string }) => row.value === 'poverty').percent).toBe(50);
    const norm = json.distributions.find((d: { id: string }) => d.id === 'partnership_norm');
    expect(norm).toMatchObject({ base: 2, notAnswered: 4 });
  });

  it('filters by country and by role, with the bases following', async () => {
    const england = (await analyst.get('/reports/professionals/questions?format=json&country=england')).body;
    expect(england.total).toBe(4);
    const drivers = england.distributions.find((d: { id: string }) => d.id === 'drivers');
    expect(drivers.base).toBe(4);
    expect(drivers.rows.find((row: { value: string }) => row.value === 'poverty')).toMatchObject({
      count: 2,
      percent: 50,
    });
    const socialWorkers = (await analyst.get('/reports/professionals/questions?format=json&group=social-worker')).body;
    const trend = socialWorkers.distributions.find((d: { id: string }) => d.id === 'trend');
    expect(trend.base).toBe(3);
    expect(
      Object.fromEntries(trend.rows.map((row: { value: string; count: number }) => [row.value, row.count])),
    ).toMatchObject({ increased: 1, decreased: 1, same: 1 });
    const page = await analyst.get('/reports/professionals/questions?group=social-worker&country=england');
    expect(page.text).toContain('<strong>2</strong> submitted responses matching the filters');
    const ignored = (await analyst.get('/reports/professionals/questions?format=json&group=astronaut')).body;
    expect(ignored.total).toBe(6);
  });
});

describe('theme summary and cross-tab', () => {
  it('counts final codings where reconciled and the report coder elsewhere, most frequent first', async () => {
    const json = (
      await analyst.get('/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&format=json')
    ).body;
    // ids[3] is coded by nobody: the base is the five coded answers, and the figures are provisional.
    expect(json.base).toBe(5);
    expect(json.coverage).toEqual({ answers: 6, coded: 5, reconciled: 1, provisional: true });
    expect(json.reportCoder).toBe(coderA);
    expect(json.rows.slice(0, 4).map((row: { codeId: string; count: number }) => [row.codeId, row.count])).toEqual([
      ['austerity', 3],
      ['workforce', 2],
      ['system-overload', 1],
      ['risk-aversion', 1],
    ]);
    expect(json.rows[0].percent).toBe(60);
    const page = await analyst.get('/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers');
    expect(page.text).toContain(
      '<strong>5 of 6 answers coded (1 reconciled): provisional until every answer is coded.</strong> Percentages are of the 5 coded answers.',
    );
    expect(page.text).toContain('The report coder is a@review.example.');
  });

  it('cross-tabulates by role group with column percentages', async () => {
    const json = (
      await analyst.get('/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&by=group&format=json')
    ).body;
    const column = (value: string) => json.crossTab.columns.findIndex((c: { id: string }) => c.id === value);
    expect(json.crossTab.columns[column('social-worker')].base).toBe(3);
    expect(json.crossTab.counts.workforce[column('social-worker')]).toBe(2);
    expect(json.crossTab.counts.austerity[column('judge-or-magistrate')]).toBe(1);
    expect(json.crossTab.counts.austerity[column('barrister')]).toBe(1);
    const csv = csvLines(
      (await analyst.get('/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&by=group&format=csv'))
        .text,
    );
    expect(csv[0]).toContain('Social worker: count,Social worker: column %');
    expect(csv[0]).toMatch(/^code_id,code_name,count,percent,base_coded_answers,answers,reconciled,provisional,/);
    expect(csv.find((line) => line.startsWith('workforce,'))).toMatch(
      /^workforce,Workforce and training,2,40.0,5,6,1,yes,/,
    );
    const byCountry = (
      await analyst.get(
        '/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&by=country&format=json',
      )
    ).body;
    expect(byCountry.crossTab.columns.find((c: { id: string }) => c.id === 'england').base).toBe(4);
  });

  it('counts co-occurring codes', async () => {
    const json = (
      await analyst.get('/reports/professionals/cooccurrence/drivers_text?codebook=care-crisis-drivers&format=json')
    ).body;
    const at = (a: string, b: string) => json.counts[json.codes.indexOf(a)][json.codes.indexOf(b)];
    expect(at('austerity', 'system-overload')).toBe(1);
    expect(at('austerity', 'workforce')).toBe(1);
    expect(at('austerity', 'austerity')).toBe(3);
    expect(at('risk-aversion', 'austerity')).toBe(0);
  });
});

describe('agreement on the question', () => {
  it('per code and overall, on the answers both coders coded, with the disagreements listed', async () => {
    const json = (
      await admin.get('/reports/professionals/agreement/drivers_text?codebook=care-crisis-drivers&format=json')
    ).body;
    expect(json.units).toBe(3);
    const code = (id: string) => json.perCode.find((c: { codeId: string }) => c.codeId === id);
    expect(code('austerity')).toMatchObject({ percentAgreement: 100, krippendorffAlpha: 1, cohenKappa: 1 });
    expect(code('workforce').percentAgreement).toBeCloseTo(66.67, 1);
    expect(code('cultural-competency')).toMatchObject({
      percentAgreement: 100,
      krippendorffAlpha: null,
      cohenKappa: null,
    });
    expect(json.overall.percentAgreement).toBeCloseTo((100 * 19) / 21, 1);
    expect(json.disagreements.map((d: { responseId: string }) => d.responseId)).toEqual([ids[0], ids[1]]);
    const page = await admin.get('/reports/professionals/agreement/drivers_text?codebook=care-crisis-drivers');
    expect(page.text).toContain('<strong>3</strong> answers were coded by two or more coders');
    // ids[1] was reconciled in the set-up: one left to do, the other shown as reconciled.
    expect(page.text).toContain('Disagreements to reconcile (1)');
    expect(page.text).toContain('1 more has been reconciled');
    expect(json.disagreements.map((d: { reconciled: boolean }) => d.reconciled)).toEqual([false, true]);
  });
});

describe('quotes and the theme report', () => {
  beforeAll(async () => {
    const base = '/work/professionals/drivers_text';
    const from = `${base}?codebook=care-crisis-drivers&at=${ids[0]}`;
    await postForm(analyst, `${base}/${ids[0]}/star`, { starred: '1', view: 'codebook=care-crisis-drivers' }, from);
    await postForm(analyst, `${base}/${ids[0]}/redactions`, { words: 'Jane', confirm: '1', view: '' }, from);
    await postForm(analyst, `${base}/${ids[0]}/redactions`, { words: 'Leeds', confirm: '1', view: '' }, from);
    // No quote consent: starring is refused, so this answer can never be exported as a quote.
    expect((await postForm(analyst, `${base}/${ids[1]}/star`, { starred: '1', view: '' }, from)).status).toBe(400);
  });

  it('downloads only starred, consented quotes, redacted and attributed by role', async () => {
    const csv = (
      await analyst.get('/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers&format=csv')
    ).text;
    const lines = csvLines(csv);
    expect(lines[0]).toBe('code_id,code_name,quote,language,attribution,response_id');
    expect(lines).toContain(
      `austerity,"Austerity, cuts and deprivation","Cuts, and caseloads. [redacted] in [redacted] saw it.",en,(Barrister),${ids[0]}`,
    );
    expect(csv).not.toContain('Poverty and agency staff');
    expect(csv).not.toContain('Jane');
    const page = await analyst.get('/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers');
    expect(page.text).toContain('★ starred');
    expect(page.text).toContain('not yet reviewed');
  });

  it('reads like the published analysis: theme, definition, count with its base, starred quotes', async () => {
    const page = await analyst.get('/reports/professionals/report');
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      '<strong>5 of 6 answers coded (1 reconciled): provisional until every answer is coded.</strong>',
    );
    expect(page.text).toContain('Of the <strong>5</strong> coded answers:');
    expect(page.text).toMatch(
      /<h4>Austerity, cuts and deprivation<\/h4>\s*<p class="theme-figure"><strong>3<\/strong> \(60 per cent of 5 coded answers, provisional\)<\/p>/,
    );
    expect(page.text).toContain(
      '‘Cuts, and caseloads. [redacted] in [redacted] saw it.’</blockquote><figcaption>(Barrister)</figcaption>',
    );
    expect(page.text).not.toContain('Poverty and agency staff');
    expect(page.text.indexOf('Austerity, cuts')).toBeLessThan(page.text.indexOf('Workforce and training</h4>'));
  });
});

describe('downloads', () => {
  it('streams every submitted response as CSV, a multi question as one column per choice, safe against formula injection', async () => {
    const response = await admin.get('/admin/exports/professionals/responses.csv');
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain('professionals-responses.csv');
    const lines = csvLines(response.text);
    expect(lines).toHaveLength(7);
    const header = lines[0]!.split(',');
    expect(header.slice(0, 6)).toEqual([
      'response_id',
      'submitted_at',
      'survey_version',
      'language',
      'consent',
      'role',
    ]);
    expect(header).toContain('drivers: Poverty and deprivation');
    expect(header).toContain('drivers: Other (please say)');
    expect(header).toContain('drivers_other');
    const povertyColumn = header.indexOf('drivers: Poverty and deprivation');
    const row = (index: number) => lines.find((line) => line.startsWith(ids[index]!))!;
    expect(row(0).split(',')[povertyColumn]).toBe('1');
    expect(row(2).split(',')[povertyColumn]).toBe('0');
    expect(row(0)).toContain(',Barrister,');
    expect(row(3)).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(row(3)).toContain(",'-2+3 housing,");
    expect(row(4)).toContain(",'+ Universal credit,");
    expect(row(5)).toContain(",'@ fear of blame,");
    expect(response.text).not.toContain('draft only');
  });

  it('streams responses as JSON too', async () => {
    const response = await admin.get('/admin/exports/professionals/responses.json');
    const parsed = JSON.parse(response.text);
    expect(parsed).toHaveLength(6);
    expect(parsed[0]).toMatchObject({
      id: ids[0],
      answers: { role: 'barrister', drivers: ['poverty', 'early-help-cuts'] },
    });
  });

  it('exports coded answers as one row per answer-code pair, with coder and span', async () => {
    const lines = csvLines(
      (await admin.get('/admin/exports/professionals/drivers_text/codings.csv?codebook=care-crisis-drivers')).text,
    );
    expect(lines[0]).toBe(
      'response_id,survey,question,codebook,code_id,code_name,coder,span_start,span_end,span_text,group,country,memo',
    );
    expect(lines).toHaveLength(1 + 10 + 2);
    expect(lines).toContain(
      `${ids[0]},professionals,drivers_text,care-crisis-drivers,system-overload,System overload,a@review.example,6,16,and caselo,Barrister,england,`,
    );
    expect(lines.filter((line) => line.includes('final (reconciled)'))).toHaveLength(2);
  });

  it('keeps raw exports for admins only', async () => {
    expect((await analyst.get('/admin/exports/professionals/responses.csv')).status).toBe(403);
  });

  it('serves the codebook as REFI-QDA XML that validates, with edits made in the app', async () => {
    await addUser(testApp, 'lead@review.example', 'lead');
    await postForm(
      await signIn(testApp.app, 'lead@review.example'),
      '/codebooks/care-crisis-drivers/codes',
      { name: 'Housing & "homes"', definition: 'Rent <and> arrears', parent: 'austerity', colour: '#123456' },
      '/codebooks/care-crisis-drivers',
    );
    const response = await analyst.get('/reports/codebooks/care-crisis-drivers/qdc');
    expect(response.headers['content-disposition']).toContain('care-crisis-drivers.qdc');
    const schema = fs.readFileSync(path.join(projectRoot, 'server', 'reports', 'refi-qda', 'Codebook.xsd'), 'utf8');
    const result = await validateXML({
      xml: [{ fileName: 'a.qdc', contents: response.text }],
      schema: [{ fileName: 'Codebook.xsd', contents: schema }],
    });
    expect(result.errors).toEqual([]);
    expect(response.text).toMatch(
      /name="Austerity, cuts and deprivation"[\s\S]*?<Code [^>]*name="Housing &amp; &quot;homes&quot;"/,
    );
  });
});
