import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../server/db/connection.js';
import { freePort, startFerretDb, type RunningDatabase } from '../server/db/ferretdb.js';
import { responseModel } from '../server/surveys/responses/model.js';
import { prepareDatabase } from '../server/startup.js';
import { loadSurveys } from '../server/surveys/registry.js';
import { isVisible } from '../server/surveys/flow.js';
import { careExperiencedAnswers, familyAnswers } from './fixtures/answers.js';
import { appOn, definitionsDir } from './helpers/app.js';
import { kill, startAppProcess, type AppProcess } from './helpers/process.js';
import { formBody, type FormFields } from './helpers/respondent.js';
import { PASSWORD, addUser, csrfFrom } from './helpers/office.js';

const running: AppProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((app) => kill(app, 'SIGKILL')));
});

async function startApp(uri: string): Promise<AppProcess> {
  const app = await startAppProcess({ MONGODB_URI: uri, RATE_LIMIT_PUBLIC_PER_MINUTE: '100000' });
  running.push(app);
  return app;
}

async function post(
  url: string,
  fields: FormFields,
  cookie = '',
): Promise<{ status: number; location: string; text: string; cookie: string }> {
  const response = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: formBody(fields),
  });
  return {
    status: response.status,
    location: response.headers.get('location') ?? '',
    text: await response.text(),
    cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!,
  };
}

const uniqueUri = () => `${inject('mongoUri').replace(/\/$/, '')}/faults_${crypto.randomUUID().slice(0, 8)}`;

/** One respondent through the care-experienced survey; resolves to their token and whether the submit was acknowledged. */
async function respondent(origin: string, tokens: string[], acknowledged: string[]): Promise<void> {
  let step = await post(`${origin}/s/care-experienced`, { consent: 'yes' });
  const token = /\/r\/([^/]+)\//.exec(step.location)?.[1];
  if (!token) return;
  tokens.push(token);
  for (const page of ['about-you', 'your-experience', 'quoting']) {
    step = await post(`${origin}${step.location}`, { ...careExperiencedAnswers[page]!, action: 'continue' });
    if (step.status !== 303) return;
  }
  const sent = await post(`${origin}/s/care-experienced/r/${token}/submit`, {});
  if (sent.status === 303 && sent.location.endsWith('/done')) acknowledged.push(token);
}

describe('faults', () => {
  it('keeps every acknowledged submission when the app is killed mid-load, and drafts resume', async () => {
    const uri = uniqueUri();
    const first = await startApp(uri);
    const tokens: string[] = [];
    const acknowledged: string[] = [];
    let stop = false;
    const workers = Array.from({ length: 12 }, async () => {
      while (!stop) await respondent(first.url, tokens, acknowledged).catch(() => undefined);
    });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await kill(first, 'SIGKILL');
    stop = true;
    await Promise.all(workers);
    const acknowledgedBeforeKill = [...acknowledged];
    expect(acknowledgedBeforeKill.length).toBeGreaterThan(5);

    const second = await startApp(uri);
    for (const token of acknowledgedBeforeKill) {
      const done = await fetch(`${second.url}/s/care-experienced/r/${token}/done`, { redirect: 'manual' });
      expect(done.status, token).toBe(200);
    }
    const unfinished = tokens.filter((token) => !acknowledgedBeforeKill.includes(token));
    for (const token of unfinished) {
      const resume = await fetch(`${second.url}/s/care-experienced/r/${token}`, { redirect: 'manual' });
      expect(resume.status).toBe(303);
      expect(resume.headers.get('location')).toMatch(
        new RegExp(`/s/care-experienced/r/${token}/(p/[a-z-]+|check|done)$`),
      );
    }

    const connection = await connectDatabase(uri);
    const survey = loadSurveys(definitionsDir).get('care-experienced')!;
    const submitted = await responseModel(connection).find({ status: 'submitted' }).lean();
    // None half-written: every stored submission has every required, visible answer.
    for (const response of submitted) {
      const answers = response.answers as Record<string, string | string[]>;
      for (const question of survey.questions)
        if (question.required && isVisible(question, answers)) expect(answers[question.id], question.id).toBeDefined();
    }
    expect(submitted.length).toBeGreaterThanOrEqual(acknowledgedBeforeKill.length);
    await connection.close();
  }, 120_000);

  it('gives a clear "try again" page that keeps what was typed while the database is down, and recovers by itself', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-db-'));
    const port = await freePort();
    let database: RunningDatabase = await startFerretDb({ dataDir, port });
    const connection = await connectDatabase(`${database.uri}outage`);
    await prepareDatabase(connection);
    const app = appOn(connection);
    try {
      const started = await request(app).post('/s/family').type('form').send('consent=yes');
      const pageUrl = started.headers.location as string;
      const token = /\/r\/([^/]+)\//.exec(pageUrl)![1]!;

      await database.stop();
      const during = await request(app)
        .post(pageUrl)
        .type('form')
        .send(formBody({ ...familyAnswers['about-you']!, 'relationship-other': 'typed while down' }));
      expect(during.status).toBe(503);
      expect(during.text).toContain('We could not save this page just now. Your answers are still here');
      expect(during.text).toContain('value="grandparent" checked');
      expect(during.text).toContain('value="typed while down"');
      const submitDuring = await request(app).post(`/s/family/r/${token}/submit`);
      expect(submitDuring.status).toBe(503);
      expect(submitDuring.text).toContain('Your answers have not been sent yet');
      // The same in Welsh: switching language while the database is down keeps what was typed.
      const switchedDuring = await request(app)
        .post(`${pageUrl}?lang=cy`)
        .type('form')
        .send(formBody({ relationship: 'other', 'relationship-other': 'wedi teipio', action: 'language' }));
      expect(switchedDuring.status).toBe(503);
      expect(switchedDuring.text).toContain('<html lang="cy">');
      expect(switchedDuring.text).toContain('Doedden ni ddim yn gallu cadw&#39;r dudalen hon ar hyn o bryd.');
      expect(switchedDuring.text).toContain('value="wedi teipio"');
      const welshNotSent = await request(app).post(`/s/family/r/${token}/submit`).set('Cookie', 'lang=cy');
      expect(welshNotSent.status).toBe(503);
      expect(welshNotSent.text).toContain('Dydy eich atebion ddim wedi&#39;u hanfon eto');
      // Its switch leads to the check page in English (a page that exists), its button keeps Welsh.
      expect(welshNotSent.text).toContain(
        `<a href="/s/family/r/${token}/check?lang=en" lang="en" hreflang="en">English</a>`,
      );
      expect(welshNotSent.text).toContain(`<form method="post" action="/s/family/r/${token}/submit?lang=cy">`);

      database = await startFerretDb({ dataDir, port });
      let after = await request(app).post(pageUrl).type('form').send(formBody(familyAnswers['about-you']!));
      for (let attempt = 0; after.status !== 303 && attempt < 20; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        after = await request(app).post(pageUrl).type('form').send(formBody(familyAnswers['about-you']!));
      }
      expect(after.status).toBe(303);
      expect(after.headers.location).toMatch(/\/p\/involvement$/);
      const stored = await responseModel(connection).findById(token.slice(0, 24)).lean();
      expect(stored?.answers).toMatchObject({ relationship: 'grandparent', country: 'wales' });
      expect(stored?.status).toBe('draft');
      // The English switch of the "not sent" page, followed once the database is back: the respondent's place.
      const switched = await request(app).get(`/s/family/r/${token}/check?lang=en`).set('Cookie', 'lang=cy');
      expect(switched.status).toBe(303);
      expect(switched.headers.location).toBe(`/s/family/r/${token}/p/involvement`);
      expect(switched.headers['set-cookie']?.[0]).toMatch(/^lang=en;/);
    } finally {
      await connection.close();
      await database.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('shares sessions and drafts between two app processes on one database', async () => {
    const uri = uniqueUri();
    const [a, b] = await Promise.all([startApp(uri), startApp(uri)]);
    const started = await post(`${a.url}/s/family`, { consent: 'yes' });
    const next = await post(`${b.url}${started.location}`, { ...familyAnswers['about-you']!, action: 'continue' });
    expect(next.status).toBe(303);
    const resumed = await fetch(`${a.url}${started.location}`);
    expect(await resumed.text()).toContain('value="grandparent" checked');

    const connection = await connectDatabase(uri);
    await prepareDatabase(connection);
    await addUser({ connection } as never, 'two@review.example', 'analyst');
    await connection.close();
    const loginPage = await fetch(`${a.url}/login`);
    const cookie = (loginPage.headers.get('set-cookie') ?? '').split(';')[0]!;
    const signedIn = await post(
      `${a.url}/login`,
      { email: 'two@review.example', password: PASSWORD, _csrf: csrfFrom(await loginPage.text()) },
      cookie,
    );
    expect(signedIn.status).toBe(303);
    // The session started on process A opens the back office on process B.
    const onB = await fetch(`${b.url}/work`, { redirect: 'manual', headers: { cookie: signedIn.cookie } });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain('Choose what to code');
  }, 120_000);
});
