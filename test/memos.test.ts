import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { addUser, postForm, seedResponses, signIn } from './helpers/office.js';
import { answerForms, base, openComparison, view } from './helpers/workbench.js';

/** Memos listed per question, filtered, kept to their authors under independent coding, and exported. */

const testApp = useTestApp();
let ids: string[];
let ana: request.Agent;
let ben: request.Agent;
let lea: request.Agent;
let admin: request.Agent;
let anaId: string;
let benId: string;

const memos = `${base}/memos`;
const { at, setCode } = answerForms(() => ids);
const writeMemo = (agent: request.Agent, index: number, memo: string) =>
  postForm(agent, `${base}/${ids[index]}/memo`, { memo, view }, at(index));
const star = (agent: request.Agent, index: number) =>
  postForm(agent, `${base}/${ids[index]}/star`, { starred: '1', view }, at(index));

const injected = '=HYPERLINK("http://evil.example") blame culture';

beforeAll(async () => {
  anaId = (await addUser(testApp, 'ana@review.example', 'analyst')).id;
  benId = (await addUser(testApp, 'ben@review.example', 'analyst')).id;
  await addUser(testApp, 'lea@review.example', 'lead');
  await addUser(testApp, 'admin@review.example', 'admin');
  ana = await signIn(testApp.app, 'ana@review.example');
  ben = await signIn(testApp.app, 'ben@review.example');
  lea = await signIn(testApp.app, 'lea@review.example');
  admin = await signIn(testApp.app, 'admin@review.example');
  ids = await seedResponses(testApp, 'professionals', [
    {
      role: 'barrister',
      country: 'england',
      quote_consent: 'yes',
      drivers_text: 'Cuts to early help mean families reach crisis. Jane Smith waited a year.',
    },
    {
      role: 'social-worker',
      country: 'wales',
      quote_consent: 'no',
      drivers_text: 'Caseloads are too high and thresholds keep rising.',
    },
    {
      role: 'social-worker',
      country: 'england',
      quote_consent: 'yes',
      drivers_text: 'Fear of blame makes managers risk averse.',
    },
    {
      role: 'judge-or-magistrate',
      country: 'england',
      quote_consent: 'yes',
      drivers_text: 'Poverty, universal credit and housing.',
    },
  ]);
  await setCode(ana, 0, 'austerity');
  await setCode(ana, 2, 'risk-aversion');
  await setCode(ben, 1, 'system-overload');
  await setCode(ben, 2, 'austerity');
  await writeMemo(ana, 0, 'Jane Smith case shows the early help gap');
  await writeMemo(ana, 2, injected);
  await writeMemo(ben, 1, 'Ben: thresholds theme, check with Ana');
  await writeMemo(ben, 3, 'Ben memo on housing');
  // A memo written and then cleared is no memo.
  await writeMemo(ana, 3, 'temporary');
  await writeMemo(ana, 3, '');
  await star(ana, 0);
  await star(ben, 0);
  const redacted = await postForm(
    ana,
    `${base}/${ids[0]}/redactions`,
    { words: 'Jane Smith', confirm: '1', view },
    at(0),
  );
  expect(redacted.status).toBe(303);
});

/** One memo's row on the list page, or undefined. */
const rowOf = (html: string, index: number, authorId: string) =>
  new RegExp(`<tr id="memo-${ids[index]}-${authorId}">[\\s\\S]*?</tr>`).exec(html)?.[0];
const rowIds = (html: string) => [...html.matchAll(/<tr id="memo-([a-f0-9]{24})-([a-f0-9]{24})">/g)].map((m) => m[0]);
const rowId = (index: number, authorId: string) => `<tr id="memo-${ids[index]}-${authorId}">`;

/** A CSV file's rows as cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += char;
    }
  }
  return rows;
}

describe('the memo list of a question', () => {
  it('says plainly when there are no memos yet, for a lead and for an analyst', async () => {
    const url = '/work/professionals/barriers_text/memos?codebook=partnership-barriers';
    const leads = await lea.get(url);
    expect(leads.status).toBe(200);
    expect(leads.text).toContain('Nobody has written a memo on this question yet.');
    expect((await ana.get(url)).text).toContain('You have not written a memo on this question yet.');
  });

  it("lists every coder's non-empty memo for a lead, with the answer redacted, the author, the time, their codes and a link", async () => {
    const page = await lea.get(`${memos}?${view}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Every coder’s memos on this question.');
    expect(rowIds(page.text)).toEqual([rowId(0, anaId), rowId(1, benId), rowId(2, anaId), rowId(3, benId)]);
    const first = rowOf(page.text, 0, anaId)!;
    expect(first).toContain('Cuts to early help mean families reach crisis. [redacted] waited a year.');
    expect(first).toContain('<td class="memo-text">[redacted] case shows the early help gap</td>');
    expect(first).toContain('<td>ana@review.example</td>');
    expect(first).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">/);
    expect(first).toContain('<td>Austerity, cuts and deprivation</td>');
    expect(first).toContain(`href="/work/professionals/drivers_text?codebook=care-crisis-drivers&amp;at=${ids[0]}"`);
    expect(page.text).not.toContain('Jane Smith');
    // Each memo shows its own author's codes, not another coder's on the same answer.
    expect(rowOf(page.text, 2, anaId)).toContain('<td>Fear, blame and risk aversion</td>');
    expect(rowOf(page.text, 3, benId)).toContain('<td>Not coded by them yet</td>');
    expect(page.text).toContain('<caption>Memos, in the order the answers came in</caption>');
  });

  it('filters by author', async () => {
    const page = await lea.get(`${memos}?${view}&author=${benId}`);
    expect(rowIds(page.text)).toEqual([rowId(1, benId), rowId(3, benId)]);
    expect(page.text).toContain('<caption>Memos by ben@review.example, in the order');
    expect(page.text).toContain('2 memos (of 4)');
  });

  it("filters by code, given by the memo's author or by anyone, and says so", async () => {
    const byAuthor = await lea.get(`${memos}?${view}&code=austerity`);
    expect(rowIds(byAuthor.text)).toEqual([rowId(0, anaId)]);
    expect(byAuthor.text).toContain('on answers coded “Austerity, cuts and deprivation” by the memo’s author');
    const byAnyone = await lea.get(`${memos}?${view}&code=austerity&codedBy=anyone`);
    // Ben coded answer 2 with Austerity; Ana's memo on it is listed.
    expect(rowIds(byAnyone.text)).toEqual([rowId(0, anaId), rowId(2, anaId)]);
    expect(byAnyone.text).toContain('on answers coded “Austerity, cuts and deprivation” by anyone');
    const none = await lea.get(`${memos}?${view}&code=workforce`);
    expect(rowIds(none.text)).toEqual([]);
    expect(none.text).toContain(
      'None of the 4 memos you can see is on an answer coded “Workforce and training” by its author.',
    );
  });

  it('is linked from the workbench, beside the memo form, and from the page that chooses what to code', async () => {
    expect((await ana.get(at(0))).text).toContain(
      '<a href="/work/professionals/drivers_text/memos?codebook=care-crisis-drivers" id="all-memos">All memos on this question</a>',
    );
    expect((await ana.get('/work')).text).toContain(
      'href="/work/professionals/drivers_text/memos?codebook=care-crisis-drivers"',
    );
  });
});

describe('independent coding', () => {
  it('shows an analyst only their own memos, and their own codes in the code filter', async () => {
    const page = await ana.get(`${memos}?${view}`);
    expect(page.text).toContain('Independent coding: you see only your own memos on this question.');
    expect(rowIds(page.text)).toEqual([rowId(0, anaId), rowId(2, anaId)]);
    expect(page.text).not.toContain('Ben');
    expect(page.text).not.toContain('ben@review.example');
    const anyone = await ana.get(`${memos}?${view}&code=austerity&codedBy=anyone`);
    expect(rowIds(anyone.text)).toEqual([rowId(0, anaId)]);
    expect(anyone.text).not.toContain('name="codedBy"');
  });

  it("never shows another analyst's memo, whatever the URL or the download", async () => {
    for (const url of [
      `${memos}?${view}&author=${benId}`,
      `${memos}/?${view}&author=${benId}`,
      `${memos}?author=${benId}&author=${benId}`,
      `${memos}?${view}&author=${benId}&code=system-overload&codedBy=anyone`,
      `${memos}.csv?${view}`,
      `${memos}.csv?${view}&author=${benId}`,
      `${memos}.csv/?author=${benId}&codedBy=anyone`,
    ]) {
      const response = await ana.get(url);
      expect(response.status, url).toBe(200);
      expect(response.text, url).not.toContain('Ben');
      expect(response.text, url).not.toContain('ben@review.example');
    }
    const other = await ana.get(`${memos}?${view}&author=${benId}`);
    expect(other.text).toContain('None of the 2 memos you can see is by that author.');
    for (const url of [
      `/Work/professionals/drivers_text/memos`,
      `/work/professionals/drivers_text/Memos`,
      `/work/professionals/drivers_text/memos.CSV`,
      `/work/professionals/drivers_text/memos.json`,
      `//work/professionals/drivers_text/memos`,
      `/%77ork/professionals/drivers_text/memos`,
    ])
      expect((await ana.get(url)).status, url).toBe(404);
    // Nor on the workbench, where her own memo box is empty on Ben's answer.
    expect((await ana.get(at(1))).text).not.toContain('Ben: thresholds');
  });

  it('shows analysts everyone’s memos once the question is no longer coded independently', async () => {
    const independent = () => ana.get(`${memos}?${view}`);
    await postForm(admin, '/lead/questions/professionals/drivers_text', { mode: 'shared' }, '/admin');
    const shared = await independent();
    expect(shared.text).toContain('Every coder’s memos on this question.');
    expect(rowOf(shared.text, 1, benId)).toContain('Ben: thresholds theme, check with Ana');
    await postForm(admin, '/lead/questions/professionals/drivers_text', { mode: 'independent' }, '/admin');
    expect(rowIds((await independent()).text)).toEqual([rowId(0, anaId), rowId(2, anaId)]);
  });
});

describe('memos exported', () => {
  it('downloads the listed memos as CSV, with the same filters, authors and redactions, formulas defused', async () => {
    const page = await lea.get(`${memos}?${view}&author=${anaId}`);
    expect(page.text).toContain(
      `href="/work/professionals/drivers_text/memos.csv?codebook=care-crisis-drivers&amp;author=${anaId}"`,
    );
    const download = await lea.get(`${memos}.csv?${view}&author=${anaId}`);
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers['content-disposition']).toContain('professionals-drivers_text-memos.csv');
    const rows = parseCsv(download.text);
    expect(rows[0]).toEqual([
      'response_id',
      'survey',
      'question',
      'codebook',
      'author',
      'updated_at',
      'memo',
      'answer',
      'author_codes',
    ]);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([
      ids[0],
      'professionals',
      'drivers_text',
      'care-crisis-drivers',
      'ana@review.example',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      '[redacted] case shows the early help gap',
      'Cuts to early help mean families reach crisis. [redacted] waited a year.',
      'Austerity, cuts and deprivation',
    ]);
    expect(rows[2]![6]).toBe(`'${injected}`);
    expect(rows[2]![8]).toBe('Fear, blame and risk aversion');
    const everyone = parseCsv((await lea.get(`${memos}.csv?${view}`)).text);
    expect(everyone.slice(1).map((row) => [row[4], row[6]])).toEqual([
      ['ana@review.example', '[redacted] case shows the early help gap'],
      ['ben@review.example', 'Ben: thresholds theme, check with Ana'],
      ['ana@review.example', `'${injected}`],
      ['ben@review.example', 'Ben memo on housing'],
    ]);
    const own = parseCsv((await ana.get(`${memos}.csv?${view}`)).text);
    expect(own.slice(1).map((row) => row[4])).toEqual(['ana@review.example', 'ana@review.example']);
  });

  it("puts each coder's memo beside their codings in the admin's export of every coding", async () => {
    const rows = parseCsv((await admin.get(`/admin/exports/professionals/drivers_text/codings.csv?${view}`)).text);
    expect(rows[0]!.at(-1)).toBe('memo');
    const find = (index: number, coder: string) =>
      rows.filter((row) => row[0] === ids[index] && row[6] === coder).map((row) => [row[5], row.at(-1)]);
    expect(find(0, 'ana@review.example')).toEqual([
      ['Austerity, cuts and deprivation', 'Jane Smith case shows the early help gap'],
    ]);
    expect(find(1, 'ben@review.example')).toEqual([['System overload', 'Ben: thresholds theme, check with Ana']]);
    expect(find(2, 'ana@review.example')).toEqual([['Fear, blame and risk aversion', `'${injected}`]]);
    expect(find(2, 'ben@review.example')).toEqual([['Austerity, cuts and deprivation', '']]);
    // A memo on an answer its author did not code is in the file too.
    expect(find(3, 'ben@review.example')).toEqual([['Not coded (memo only)', 'Ben memo on housing']]);
    expect(find(3, 'ana@review.example')).toEqual([]);
    expect(rows).toHaveLength(1 + 5);
  });
});

describe('stars', () => {
  const quotes = `/reports/professionals/quotes/drivers_text?${view}`;

  it('names who starred each quote for a lead; an analyst sees their own star and a count', async () => {
    await openComparison(testApp);
    const leads = await lea.get(quotes);
    expect(leads.text).toContain('★ starred by ana@review.example, ben@review.example');
    const anas = await ana.get(quotes);
    expect(anas.text).toContain('★ starred by you and 1 other analyst');
    expect(anas.text).not.toContain('ben@review.example');
    await star(lea, 0);
    expect((await lea.get(quotes)).text).toContain('★ starred by ana@review.example, ben@review.example, you');
    for (const format of ['csv', 'json']) {
      const download = await lea.get(`${quotes}&format=${format}`);
      expect(download.text).toContain('[redacted] waited a year.');
      expect(download.text).not.toContain('@review.example');
    }
    await openComparison(testApp, false);
  });

  it('warns on the page before a star on an answer without quote consent, and refuses the star', async () => {
    const page = await ana.get(at(1));
    expect(page.text).toContain(
      '<p class="warning" id="no-consent-warning" tabindex="-1"><strong>No quote consent:</strong> the respondent did not agree to be quoted, so this answer cannot be starred as a quote.</p>',
    );
    expect(page.text).not.toContain('id="star-form"');
    const refused = await star(ana, 1);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('This respondent did not agree to be quoted');
    expect(await testApp.connection.collection('quotes').countDocuments({ responseId: ids[1] })).toBe(0);
    // An answer with consent shows the star button and no warning.
    const consented = await ana.get(at(2));
    expect(consented.text).toContain('id="star-form"');
    expect(consented.text).not.toContain('no-consent-warning');
  });
});
