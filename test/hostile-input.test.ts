import fc from 'fast-check';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEXT_LIMIT } from '../server/surveys/definition-schema.js';
import { choiceLabels, isChoiceQuestion } from '../server/surveys/question-types/index.js';
import { loadSurveys } from '../server/surveys/registry.js';
import { appOn, definitionsDir, useTestApp } from './helpers/app.js';
import { addUser, csrfFrom, seedResponses, signIn } from './helpers/office.js';
import { Respondent } from './helpers/respondent.js';

const testApp = useTestApp();
let pageUrl: string;
let analyst: request.Agent;
let csrf: string;
let responseId: string;

beforeAll(async () => {
  const respondent = new Respondent(testApp.app, 'professionals');
  await respondent.start();
  pageUrl = respondent.location;
  await addUser(testApp, 'fuzz@review.example', 'admin');
  responseId = (
    await seedResponses(testApp, 'professionals', [
      { role: 'barrister', country: 'england', quote_consent: 'yes', drivers_text: 'Seed answer.' },
    ])
  )[0]!;
  analyst = await signIn(testApp.app, 'fuzz@review.example');
  csrf = csrfFrom((await analyst.get('/work')).text);
});

const surveys = loadSurveys(definitionsDir);
const questionIds = [...surveys.values()].flatMap((survey) => survey.questions.map((question) => question.id));
const hostileKeys = [
  '$where',
  '$gt',
  '$ne',
  '__proto__',
  'constructor',
  'prototype',
  'answers.role',
  'role[$ne]',
  '',
  'action',
  '_csrf',
  'email',
  'password',
  'next',
  'code',
  'memo',
  'words',
  'start',
  'end',
  'a'.repeat(300),
];
const key = fc.oneof(fc.constantFrom(...questionIds, ...hostileKeys), fc.string({ maxLength: 30 }));
const leaf = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.constantFrom('yes', 'no', 'england', 'other', 'continue', 'save', 'back', '', ' ', '<script>alert(1)</script>'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ minLength: 10_001, maxLength: 12_000 }),
);
const value = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
  ),
})).tree;
const body = fc.dictionary(key, value, { maxKeys: 8 });

/** Sends a body as JSON or as a form, and checks the answer is a clear refusal or a success, never a crash. */
async function send(
  agent: request.Agent | ReturnType<typeof request>,
  url: string,
  payload: Record<string, unknown>,
  asJson: boolean,
  withCsrf = false,
) {
  const sent = withCsrf ? { ...payload, _csrf: csrf } : payload;
  const call = (agent as request.Agent).post(url);
  const response = asJson
    ? await call.set('Content-Type', 'application/json').send(JSON.stringify(sent))
    : await call
        .type('form')
        .send(
          new URLSearchParams(
            Object.entries(sent).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
          ).toString(),
        );
  expect([200, 303, 400, 401, 403, 404, 413, 429], `${url} answered ${response.status}`).toContain(response.status);
  expect(response.text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  if (response.status >= 400) expect(response.text).toMatch(/<h1>[^<]+<\/h1>|There is a problem/);
  return response;
}

describe('hostile input', () => {
  it('survives thousands of generated bodies on every public form', async () => {
    const targets = ['/s/professionals', '/s/family', pageUrl, `${pageUrl.replace(/\/p\/.*/, '')}/submit`, '/login'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), body, fc.boolean(), async (url, payload, asJson) => {
        await send(request(testApp.app), url, payload, asJson);
      }),
      { numRuns: 1500 },
    );
  }, 240_000);

  it('survives generated bodies on the back-office forms', async () => {
    const base = `/work/professionals/drivers_text/${responseId}`;
    const targets = [
      `${base}/codes`,
      `${base}/spans`,
      `${base}/memo`,
      `${base}/redactions`,
      '/codebooks/care-crisis-drivers/codes',
      '/codebooks/care-crisis-drivers/merge',
      '/admin/users',
      '/lead/questions/professionals/drivers_text',
      '/admin/surveys/family/dates',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), body, fc.boolean(), async (url, payload, asJson) => {
        await send(analyst, url, payload, asJson, true);
      }),
      { numRuns: 600 },
    );
  }, 240_000);

  it('stores nothing the survey definitions forbid', async () => {
    const responses = await testApp.responses.find().lean();
    expect(responses.length).toBeGreaterThan(0);
    for (const response of responses) {
      const survey = surveys.get(response.surveyId)!;
      for (const [id, answer] of Object.entries(response.answers as Record<string, unknown>)) {
        const question = survey.question(id);
        expect(question, `${response.surveyId} stored unknown question "${id}"`).toBeDefined();
        if (question!.type === 'multi') {
          expect(Array.isArray(answer)).toBe(true);
          for (const chosen of answer as unknown[])
            expect(choiceLabels(question!).map((choice) => choice.value)).toContain(chosen);
        } else {
          expect(typeof answer).toBe('string');
          if (isChoiceQuestion(question!))
            expect(choiceLabels(question).map((choice) => choice.value)).toContain(answer);
          else expect((answer as string).length).toBeLessThanOrEqual(DEFAULT_TEXT_LIMIT);
        }
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(
      await testApp.connection
        .collection('users')
        .countDocuments({ email: { $nin: ['fuzz@review.example'] }, role: { $exists: false } }),
    ).toBe(0);
  });

  it('refuses invalid UTF-8 and multi-megabyte bodies with a clear 4xx', async () => {
    const invalidUtf8 = Buffer.concat([
      Buffer.from('consent=yes&role='),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
      Buffer.from('&country=%E0%A4%A'),
    ]);
    const response = await request(testApp.app)
      .post(pageUrl)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(invalidUtf8);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const huge = await request(testApp.app)
      .post(pageUrl)
      .type('form')
      .send(`drivers_text=${'x'.repeat(3 * 1024 * 1024)}`);
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('too large for us to accept');
    const deep = await request(testApp.app)
      .post(pageUrl)
      .set('Content-Type', 'application/json')
      .send(`{"role":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(deep.status).toBe(400);
  });
});

describe('stored markup stays inert', () => {
  it('escapes <script> and quotes in every page and export that shows an answer', async () => {
    const nasty = `<script>alert("x")</script><img src=x onerror=alert(1)> "quoted" 'single' =cmd|' /C calc'!A0`;
    const [id] = await seedResponses(testApp, 'professionals', [
      { role: 'other', country: 'england', quote_consent: 'yes', drivers_text: nasty },
    ]);
    await testApp.responses.updateOne({ _id: id }, { $set: { 'otherText.role': '<b>bold</b>' } });
    const base = `/work/professionals/drivers_text/${id}`;
    await analyst.post(`${base}/codes`).type('form').send({ _csrf: csrf, code: 'austerity', present: '1', view: '' });
    await analyst.post(`${base}/star`).type('form').send({ _csrf: csrf, starred: '1', view: '' });
    const pages = [
      `/work/professionals/drivers_text?codebook=care-crisis-drivers&at=${id}`,
      '/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers',
      '/reports/professionals/report',
      '/lead/reconcile/professionals/drivers_text?codebook=care-crisis-drivers',
    ];
    for (const url of pages) {
      const page = await analyst.get(url);
      expect(page.status, url).toBe(200);
      expect(page.text, url).not.toContain('<script>alert');
      expect(page.text, url).not.toContain('<img src=x');
    }
    expect((await analyst.get(pages[0]!)).text).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;');
    const csv = (await analyst.get('/admin/exports/professionals/responses.csv')).text;
    expect(csv).toContain('"<script>alert(""x"")</script>');
    const quotes = (
      await analyst.get('/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers&format=json')
    ).text;
    expect(JSON.parse(quotes).some((quote: { text: string }) => quote.text === nasty)).toBe(true);
  });

  it("escapes a respondent's own input when it is shown back to them", async () => {
    const respondent = new Respondent(testApp.app, 'family');
    await respondent.start();
    const page = await request(testApp.app)
      .post(respondent.location)
      .type('form')
      .send({ relationship: 'other', 'relationship-other': '"><script>alert(1)</script>' });
    expect(page.status).toBe(400);
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toContain('value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});

describe('security headers and rate limits', () => {
  it('sets a content security policy, frame-ancestors, nosniff, no-referrer and no-store on survey pages', async () => {
    const page = await request(testApp.app).get('/s/family');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS when running behind TLS', async () => {
    const behindProxy = appOn(testApp.connection, { trustProxy: 1 });
    const page = await request(behindProxy).get('/').set('X-Forwarded-Proto', 'https');
    expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('limits survey posts and sign-ins per address, refusing with a clear 429', async () => {
    const limited = appOn(testApp.connection, { rateLimits: { publicPostsPerMinute: 3, loginsPerMinute: 2 } });
    for (let i = 0; i < 3; i++)
      expect((await request(limited).post('/s/family').type('form').send('consent=yes')).status).toBe(303);
    const refused = await request(limited).post('/s/family').type('form').send('consent=yes');
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Wait a minute');
    expect((await request(limited).get('/s/family')).status).toBe(200);
    for (let i = 0; i < 2; i++) await request(limited).post('/login').type('form').send('email=a&password=b');
    expect((await request(limited).post('/login').type('form').send('email=a&password=b')).status).toBe(429);
  });
});
