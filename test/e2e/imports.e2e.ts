import path from 'node:path';
import type { Page } from 'playwright-core';
import { projectRoot } from '../../server/config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, addUser } from '../helpers/office.js';
import { sampleExport } from '../helpers/imports.js';
import { accessibilityViolations, newContext, screenshot, startRig, type BrowserRig } from './browser.js';

/** An admin imports a genuine SurveyMonkey export by links alone, on a phone and on a desktop, without JavaScript too. */

let rig: BrowserRig;
beforeAll(async () => {
  rig = await startRig();
  await addUser(rig.testApp, 'admin@review.example', 'admin');
  await addUser(rig.testApp, 'lead@review.example', 'lead');
});
afterAll(async () => rig.close());

async function signedIn(
  viewport: 'desktop' | 'phone',
  javaScript: boolean,
  email = 'admin@review.example',
): Promise<Page> {
  const context = await newContext(rig, { axe: true, viewport, javaScript });
  const page = await context.newPage();
  await page.goto(`${rig.origin}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  return page;
}

/** axe runs as a script in the page, so the JavaScript-off walk checks the flow alone. */
async function expectAccessible(page: Page, label: string, javaScript: boolean) {
  if (!javaScript) return;
  const violations = await accessibilityViolations(page);
  expect(violations.map((violation) => `${label}: ${violation.id} ${violation.help}`)).toEqual([]);
}

describe('importing answers from the admin page', () => {
  it.each([
    ['desktop', true, 'midwest'],
    ['phone', true, 'midwest-phone'],
    ['phone', false, 'midwest-no-js'],
  ] as const)('on a %s (JavaScript %s): upload, preview, choose, confirm', async (viewport, javaScript, surveyId) => {
    const page = await signedIn(viewport, javaScript);
    await page.goto(`${rig.origin}/admin`);
    await page.getByRole('link', { name: 'Import answers from a CSV or XLSX export' }).click();
    await expectAccessible(page, 'imports', javaScript);
    await page.getByLabel(/Export file/).setInputFiles(sampleExport('surveymonkey-2row-538-midwest.csv'));
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Upload and preview' }).click()]);
    expect(await page.locator('dl').innerText()).toContain('SurveyMonkey');
    await expectAccessible(page, 'preview', javaScript);
    await screenshot(page, `import-preview-${surveyId}`);

    const free = page.getByRole('group', { name: /^In your own words, what would you call the part of the country/ });
    await free.getByLabel('Answers to code').check();
    // A ZIP code locates a respondent: offered only as a personal column, never to keep.
    expect(await page.getByRole('group', { name: /^In what ZIP code/ }).innerText()).toContain('personal');
    await page.getByLabel('Survey id').fill(surveyId);
    await page.getByLabel('Title').fill('Where is the Midwest?');
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Import the chosen columns' }).click(),
    ]);
    expect(await page.getByRole('status').innerText()).toContain('2,778 new respondents stored of 2,778');
    await expectAccessible(page, 'result', javaScript);
    await screenshot(page, `import-result-${surveyId}`);
    await page.getByRole('link', { name: /^Choose a codebook for/ }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('In your own words');
  });
});

describe('a lead uploads a .qdc codebook file', () => {
  it('from the codebooks page, by links alone, on a phone', async () => {
    const page = await signedIn('phone', true, 'lead@review.example');
    await page.getByRole('link', { name: 'Codebooks' }).click();
    await expectAccessible(page, 'codebooks', true);
    await page
      .getByLabel('The .qdc file', { exact: true })
      .setInputFiles(path.join(projectRoot, 'test', 'fixtures', 'qdc', 'taguette.qdc'));
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Import codebook', exact: true }).click(),
    ]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('taguette');
    expect(await page.getByRole('status').innerText()).toContain('Codebook imported.');
    await expectAccessible(page, 'imported codebook', true);
    await screenshot(page, 'codebook-uploaded-phone');
  });
});
