import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formBody, type FormFields } from './helpers/respondent.js';
import { kill, startAppProcess, type AppProcess } from './helpers/process.js';
import { careExperiencedAnswers } from './fixtures/answers.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'survey-restart-'));
const running: AppProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((app) => kill(app, 'SIGTERM')));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function postForm(url: string, fields: FormFields): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody(fields),
  });
  expect(response.status).toBe(303);
  return response.headers.get('location') ?? '';
}

async function start(): Promise<AppProcess> {
  // No MONGODB_URI: the app runs its embedded database, keeping files in DATA_DIR.
  const app = await startAppProcess({ DATA_DIR: dataDir });
  running.push(app);
  return app;
}

describe('restarting the app (embedded default database)', () => {
  it('keeps submitted responses and drafts across a kill -9 and restart', async () => {
    const first = await start();
    let location = await postForm(`${first.url}/s/care-experienced`, { consent: 'yes' });
    const token = /\/r\/([^/]+)\//.exec(location)![1]!;
    for (const page of ['about-you', 'your-experience', 'quoting']) {
      location = await postForm(`${first.url}${location}`, { ...careExperiencedAnswers[page]!, action: 'continue' });
    }
    expect(await postForm(`${first.url}/s/care-experienced/r/${token}/submit`, {})).toMatch(/\/done$/);

    const draftLocation = await postForm(`${first.url}/s/family`, { consent: 'yes' });
    const draftToken = /\/r\/([^/]+)\//.exec(draftLocation)![1]!;
    await postForm(`${first.url}${draftLocation}`, {
      relationship: 'parent',
      carer: 'no',
      country: 'wales',
      action: 'continue',
    });

    await kill(first, 'SIGKILL');
    const second = await start();

    const thanks = await fetch(`${second.url}/s/care-experienced/r/${token}/done`, { redirect: 'manual' });
    expect(thanks.status).toBe(200);
    expect(await thanks.text()).toContain('your answers have been sent');

    const resume = await fetch(`${second.url}/s/family/r/${draftToken}`, { redirect: 'manual' });
    expect(resume.headers.get('location')).toBe(`/s/family/r/${draftToken}/p/involvement`);
    const aboutYou = await fetch(`${second.url}/s/family/r/${draftToken}/p/about-you`);
    expect(await aboutYou.text()).toContain('value="parent" checked');
  }, 120_000);
});
