import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { FINAL_CODER } from '../server/coding/model.js';
import { appOn, startTestApp, useTestApp } from './helpers/app.js';
import { addUser, postForm, seedResponses, signIn } from './helpers/office.js';

const testApp = useTestApp();
let ids: string[];
let analyst: request.Agent;
const base = '/work/professionals/drivers_text';

const answers = [
  {
    role: 'barrister',
    country: 'england',
    quote_consent: 'yes',
    drivers_text: 'Cuts to early help mean families reach crisis. Jane Smith in Leeds, aged 4, waited a year.',
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
    drivers_text: 'Fear of blame after Baby P makes managers risk averse.',
  },
  {
    role: 'judge-or-magistrate',
    country: 'england',
    quote_consent: 'yes',
    drivers_text: 'Poverty, universal credit and housing.',
  },
  { role: 'team-manager', country: 'wales', quote_consent: 'yes', drivers_text: '' },
];

beforeAll(async () => {
  await addUser(testApp, 'ana@review.example', 'analyst');
  await addUser(testApp, 'ben@review.example', 'analyst');
  await addUser(testApp, 'admin@review.example', 'admin');
  await addUser(testApp, 'lead@review.example', 'lead');
  ids = await seedResponses(testApp, 'professionals', answers);
  analyst = await signIn(testApp.app, 'ana@review.example');
});

const at = (index: number, extra = '') => `${base}?codebook=care-crisis-drivers&at=${ids[index]}${extra}`;
const setCode = (
  agent: request.Agent,
  index: number,
  code: string,
  present = true,
  view = 'codebook=care-crisis-drivers',
) => postForm(agent, `${base}/${ids[index]}/codes`, { code, present: present ? '1' : '0', view }, at(index));

describe('the coding workbench', () => {
  it('shows an answer with who gave it, the codes with their keys, and progress', async () => {
    const page = await analyst.get(`${base}?codebook=care-crisis-drivers`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Cuts to early help mean families reach crisis.');
    expect(page.text).toContain('<strong>Barrister</strong> · England');
    expect(page.text).toContain('Coded 0 of 4');
    expect(page.text).toMatch(/<kbd>1<\/kbd>\s*<span class="code-name">System overload/);
    expect(page.text).toMatch(/<kbd>7<\/kbd>\s*<span class="code-name">Changing awareness/);
    expect(page.text).toContain('Answer 1 of 4');
  });

  it('codes a whole answer, shows it pressed, counts progress, and takes it off again', async () => {
    const coded = await setCode(analyst, 0, 'austerity');
    expect(coded.status).toBe(303);
    expect(coded.headers.location).toBe(at(0));
    const page = await analyst.get(at(0));
    expect(page.text).toMatch(
      /class="code-button is-on" aria-pressed="true"[^>]*>\s*<kbd>2<\/kbd>\s*<span class="code-name">Austerity/,
    );
    expect(page.text).toContain('Coded 1 of 4');
    await setCode(analyst, 0, 'austerity', false);
    expect((await analyst.get(at(0))).text).toContain('Coded 0 of 4');
    const events = await testApp.connection.collection('codingevents').find({ responseId: ids[0] }).toArray();
    expect(events.map((event) => event.present)).toEqual([true, false]);
  });

  it('codes a span by offsets or by its exact words', async () => {
    const text = answers[0]!.drivers_text;
    const start = text.indexOf('early help');
    const bySelection = await postForm(
      analyst,
      `${base}/${ids[0]}/spans`,
      { code: 'austerity', start: String(start), end: String(start + 10), view: '' },
      at(0),
    );
    expect(bySelection.status).toBe(303);
    const byWords = await postForm(
      analyst,
      `${base}/${ids[0]}/spans`,
      { code: 'system-overload', words: 'reach crisis', view: '' },
      at(0),
    );
    expect(byWords.status).toBe(303);
    const page = await analyst.get(at(0));
    expect(page.text).toContain('<strong>Austerity, cuts and deprivation</strong>: “early help”');
    expect(page.text).toContain('<strong>System overload</strong>: “reach crisis”');
    expect(page.text).toMatch(/<mark[^>]*title="Austerity, cuts and deprivation">early help<\/mark>/);
    const stored = await testApp.connection
      .collection('codingevents')
      .findOne({ responseId: ids[0], codeId: 'system-overload' });
    expect(stored).toMatchObject({
      start: text.indexOf('reach crisis'),
      end: text.indexOf('reach crisis') + 12,
      present: true,
    });

    const missing = await postForm(
      analyst,
      `${base}/${ids[0]}/spans`,
      { code: 'austerity', words: 'not in the answer', view: '' },
      at(0),
    );
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Those words are not in the answer');
  });

  it('filters by uncoded, code, role, country and text', async () => {
    await setCode(analyst, 1, 'system-overload');
    const uncoded = await analyst.get(`${base}?codebook=care-crisis-drivers&uncoded=1`);
    expect(uncoded.text).toContain('Answer 1 of 2');
    expect(uncoded.text).toContain('Fear of blame after Baby P');
    const byCode = await analyst.get(`${base}?codebook=care-crisis-drivers&code=system-overload`);
    expect(byCode.text).toContain('Answer 1 of 2');
    const byRole = await analyst.get(`${base}?codebook=care-crisis-drivers&group=social-worker`);
    expect(byRole.text).toContain('Answer 1 of 2');
    expect(byRole.text).toContain('Caseloads are too high');
    const byCountry = await analyst.get(`${base}?codebook=care-crisis-drivers&country=wales`);
    expect(byCountry.text).toContain('Answer 1 of 1');
    const bySearch = await analyst.get(`${base}?codebook=care-crisis-drivers&q=UNIVERSAL%20credit`);
    expect(bySearch.text).toContain('Answer 1 of 1');
    expect(bySearch.text).toContain('Poverty, universal credit and housing.');
    const none = await analyst.get(`${base}?codebook=care-crisis-drivers&q=zebra`);
    expect(none.text).toContain('No answer matches these filters.');
  });

  it('moves to the next answer keeping the filters', async () => {
    const page = await analyst.get(`${base}?codebook=care-crisis-drivers&group=social-worker`);
    expect(page.text).toContain(`href="${base}?codebook=care-crisis-drivers&amp;group=social-worker&amp;at=${ids[2]}"`);
  });

  it('keeps a memo per analyst per answer', async () => {
    await postForm(analyst, `${base}/${ids[2]}/memo`, { memo: 'Check against the Baby P literature', view: '' }, at(2));
    expect((await analyst.get(at(2))).text).toContain('Check against the Baby P literature');
    const ben = await signIn(testApp.app, 'ben@review.example');
    expect((await ben.get(at(2))).text).not.toContain('Check against the Baby P literature');
  });

  it('hides other coders in independent mode and shows them otherwise', async () => {
    const ben = await signIn(testApp.app, 'ben@review.example');
    await setCode(ben, 1, 'workforce');
    const independent = await analyst.get(at(1));
    expect(independent.text).not.toContain('Other coders');
    expect(independent.text).not.toMatch(/is-on[^>]*>\s*<kbd>6<\/kbd>/);

    const admin = await signIn(testApp.app, 'admin@review.example');
    await postForm(admin, '/lead/questions/professionals/drivers_text', { mode: 'shared' }, '/admin');
    const shared = await analyst.get(at(1));
    expect(shared.text).toContain('Other coders');
    expect(shared.text).toMatch(/<h2>Other coders<\/h2>[\s\S]*Workforce and training/);
    await postForm(admin, '/lead/questions/professionals/drivers_text', { mode: 'independent' }, '/admin');
  });

  it('sees codings made through another app process on the same database', async () => {
    const otherProcess = appOn(testApp.connection);
    const elsewhere = await signIn(otherProcess, 'ana@review.example');
    await setCode(elsewhere, 3, 'austerity');
    expect((await analyst.get(at(3))).text).toMatch(/is-on" aria-pressed="true"[^>]*>\s*<kbd>2<\/kbd>/);
  });

  it('shows suggestions from the engine with the words that triggered them', async () => {
    const withSuggestions = appOn(testApp.connection, {
      suggestions: {
        suggest: async () => [{ codeId: 'risk-aversion', score: 0.82, because: ['fear of blame', 'risk averse'] }],
      },
    });
    const agent = await signIn(withSuggestions, 'ana@review.example');
    const page = await agent.get(at(2));
    expect(page.text).toMatch(
      /data-suggestion="1"[\s\S]*?Fear, blame and risk aversion <span class="hint">likely \(82%\)<\/span>/,
    );
    expect(page.text).toContain('Because: fear of blame, risk averse');
  });

  it('says how confident a suggestion is in words, and keeps guesses apart from the "a" key', async () => {
    const withSuggestions = appOn(testApp.connection, {
      suggestions: {
        suggest: async () => [
          { codeId: 'austerity', score: 0.55, because: ['debt'] },
          { codeId: 'workforce', score: 0.2, because: ['agency'] },
        ],
      },
    });
    const agent = await signIn(withSuggestions, 'ana@review.example');
    const page = await agent.get(at(2));
    expect(page.text).toMatch(
      /data-suggestion="1"[\s\S]*?Austerity, cuts and deprivation <span class="hint">possible \(55%\)/,
    );
    expect(page.text).not.toContain('data-suggestion="2"');
    expect(page.text).toMatch(
      /<details class="weak-suggestions">[\s\S]*?Workforce and training <span class="hint">unlikely \(20%\)/,
    );

    const guessesOnly = appOn(testApp.connection, {
      suggestions: { suggest: async () => [{ codeId: 'workforce', score: 0.3, because: ['agency'] }] },
    });
    const other = await signIn(guessesOnly, 'ana@review.example');
    const guessed = await other.get(at(2));
    expect(guessed.text).toContain('No confident suggestion for this answer.');
    expect(guessed.text).not.toContain('data-suggestion="1"');
  });
});

describe('refining the codebook while coding', () => {
  it('merges two codes: codings move to the survivor', async () => {
    await setCode(analyst, 2, 'risk-aversion');
    const admin = await signIn(testApp.app, 'admin@review.example');
    const merged = await postForm(
      admin,
      '/codebooks/care-crisis-drivers/merge',
      { from: 'risk-aversion', into: 'missed-partnership' },
      '/codebooks/care-crisis-drivers',
    );
    expect(merged.status).toBe(303);
    const page = await analyst.get(at(2));
    expect(page.text).not.toContain('<span class="code-name">Fear, blame and risk aversion');
    expect(page.text).toMatch(
      /is-on" aria-pressed="true"[^>]*>\s*<kbd>3<\/kbd>\s*<span class="code-name">Missed opportunities/,
    );
    const book = await analyst.get('/codebooks/care-crisis-drivers');
    expect(book.text).toContain('merged into Missed opportunities for partnership');
    expect(book.text).toMatch(/<td>ana@review.example<\/td>|<td>admin@review.example<\/td><td>merged<\/td>/);
  });

  it('retires a code: hidden from coding, kept in history, refused if applied', async () => {
    const lead = await signIn(testApp.app, 'lead@review.example');
    const retired = await postForm(
      lead,
      '/codebooks/care-crisis-drivers/codes/cultural-competency/retire',
      {},
      '/codebooks/care-crisis-drivers',
    );
    expect(retired.status).toBe(303);
    const page = await analyst.get(at(3));
    expect(page.text).not.toContain('Cultural competency');
    expect((await setCode(analyst, 3, 'cultural-competency')).status).toBe(400);
    const book = await analyst.get('/codebooks/care-crisis-drivers');
    expect(book.text).toMatch(/Cultural competency[\s\S]*<strong class="tag">retired<\/strong>/);
    expect(book.text).toMatch(/<td>lead@review.example<\/td><td>retired<\/td><td>cultural-competency<\/td>/);
  });

  it('adds, edits and nests a code, recording who did it', async () => {
    const lead = await signIn(testApp.app, 'lead@review.example');
    await postForm(
      lead,
      '/codebooks/care-crisis-drivers/codes',
      { name: 'Housing crisis', definition: 'Lack of social housing.', colour: '#112233', parent: 'austerity' },
      '/codebooks/care-crisis-drivers',
    );
    await postForm(
      lead,
      '/codebooks/care-crisis-drivers/codes/housing-crisis',
      { name: 'Housing', definition: 'Lack of affordable housing.', colour: '#112233', parent: 'austerity' },
      '/codebooks/care-crisis-drivers',
    );
    const book = await analyst.get('/codebooks/care-crisis-drivers');
    // Nested under Austerity (code 2), as its first sub-code.
    expect(book.text).toMatch(
      /id="code-austerity"[^]*?<ul class="code-tree">\s*<li id="code-housing-crisis"[^]*?<span class="code-key">2\.1<\/span> Housing <span class="hint">\(housing-crisis\)/,
    );
    expect(book.text).toMatch(
      /<td>lead@review.example<\/td><td>edited<\/td><td>housing-crisis<\/td><td>name, definition<\/td>/,
    );
    const loop = await postForm(
      lead,
      '/codebooks/care-crisis-drivers/codes/austerity',
      { name: 'Austerity', definition: 'x', colour: '#112233', parent: 'housing-crisis' },
      '/codebooks/care-crisis-drivers',
    );
    expect(loop.status).toBe(400);
    expect(loop.text).toContain('cannot be nested under itself');
  });
});

describe('reconciliation and quotes', () => {
  it('lists disagreements and records the final coding that reports use', async () => {
    const admin = await signIn(testApp.app, 'admin@review.example');
    const page = await admin.get('/lead/reconcile/professionals/drivers_text?codebook=care-crisis-drivers');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong>1</strong> disagreement left to reconcile; 0 of 1 reconciled.');
    expect(page.text).toContain('Caseloads are too high');
    expect(page.text).toMatch(/A: ana@review.example<\/h3>\s*<ul><li>System overload<\/li><\/ul>/);
    expect(page.text).toMatch(/B: ben@review.example<\/h3>\s*<ul><li>Workforce and training<\/li><\/ul>/);

    const saved = await postForm(
      admin,
      `/lead/reconcile/professionals/drivers_text/${ids[1]}`,
      { codebook: 'care-crisis-drivers', codes: ['system-overload', 'workforce'] },
      '/admin',
    );
    expect(saved.status).toBe(303);
    const after = await admin.get('/lead/reconcile/professionals/drivers_text?codebook=care-crisis-drivers');
    expect(after.text).toContain('<strong>0</strong> disagreements left to reconcile; 1 of 1 reconciled.');
    expect(after.text).toContain('The one disagreement has a final coding.');
    const finals = await testApp.connection
      .collection('codingevents')
      .find({ responseId: ids[1], coderId: FINAL_CODER, present: true })
      .toArray();
    expect(finals.map((event) => event.codeId).sort()).toEqual(['system-overload', 'workforce']);
  });

  it('exports a starred quote with redactions applied, attributed by role only', async () => {
    await postForm(analyst, `${base}/${ids[0]}/star`, { starred: '1', view: '' }, at(0));
    for (const words of ['Jane Smith', 'Leeds', 'aged 4'])
      await postForm(analyst, `${base}/${ids[0]}/redactions`, { words, confirm: '1', view: '' }, at(0));
    const admin = await signIn(testApp.app, 'admin@review.example');
    const csv = await admin.get('/admin/quotes/professionals/drivers_text?codebook=care-crisis-drivers');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain(
      '"Cuts to early help mean families reach crisis. [redacted] in [redacted], [redacted], waited a year."',
    );
    expect(csv.text).toContain('(Barrister)');
    expect(csv.text).not.toContain('Jane Smith');
    expect(csv.text).not.toContain('Leeds');
  });

  it('never exports a quote whose respondent did not consent', async () => {
    const refused = await postForm(analyst, `${base}/${ids[1]}/star`, { starred: '1', view: '' }, at(1));
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('did not agree to be quoted');
    // Even a star stored some other way (an older version, a direct write) never leaves the platform.
    await testApp.connection.collection('quotes').insertOne({
      _id: `professionals:drivers_text:${ids[1]}` as never,
      surveyId: 'professionals',
      questionId: 'drivers_text',
      responseId: ids[1],
      starredBy: ['someone'],
    });
    const admin = await signIn(testApp.app, 'admin@review.example');
    const csv = await admin.get('/admin/quotes/professionals/drivers_text?codebook=care-crisis-drivers');
    expect(csv.text).not.toContain('Caseloads are too high');
    expect(csv.text.trim().split('\r\n')).toHaveLength(2);
  });

  it('refuses redaction on an answer that is not a starred quote', async () => {
    const response = await postForm(
      analyst,
      `${base}/${ids[3]}/redactions`,
      { words: 'Poverty', confirm: '1', view: '' },
      at(3),
    );
    expect(response.status).toBe(400);
    expect(response.text).toContain('Star the answer as a quote before marking words to redact.');
  });

  it('keeps analysts out of admin pages', async () => {
    expect((await analyst.get('/admin')).status).toBe(403);
    expect((await analyst.get('/admin/quotes/professionals/drivers_text')).status).toBe(403);
  });
});

describe('suggestions in the workbench', () => {
  it('shows cold-start suggestions and learns from each coding before the next answer opens', async () => {
    const local = await startTestApp();
    try {
      await addUser(local, 'coder@review.example', 'analyst');
      const texts = [
        'The Pathways restructure moved everyone.',
        'Pathways broke our teams.',
        'After Pathways nobody experienced stayed.',
        'Pathways again.',
        'Universal credit and the benefit cap.',
      ];
      const responseIds = await seedResponses(
        local,
        'professionals',
        texts.map((drivers_text) => ({
          role: 'social-worker',
          country: 'england',
          quote_consent: 'yes',
          drivers_text,
        })),
      );
      const agent = await signIn(local.app, 'coder@review.example');
      const page = (index: number) => agent.get(`${base}?codebook=care-crisis-drivers&at=${responseIds[index]}`);

      const cold = await page(4);
      expect(cold.text).toMatch(
        /Austerity, cuts and deprivation <span class="hint">(likely|possible) \(\d+%\)<\/span>/,
      );
      expect(cold.text).toContain('Because: universal credit, benefit cap');
      expect((await page(3)).text).toContain('No confident suggestion for this answer.');

      for (const index of [0, 1, 2]) {
        const coded = await postForm(
          agent,
          `${base}/${responseIds[index]}/codes`,
          { code: 'workforce', present: '1', view: 'codebook=care-crisis-drivers' },
          `${base}?codebook=care-crisis-drivers&at=${responseIds[index]}`,
        );
        expect(coded.status).toBe(303);
      }
      const learned = await page(3);
      expect(learned.text).toMatch(
        /<span class="code-name">Workforce and training <span class="hint">(likely|possible|unlikely) \(\d+%\)<\/span>/,
      );
      expect(learned.text).toContain('Because: pathways');
    } finally {
      await local.close();
    }
  });
});
