import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, addUser, seedResponses } from '../helpers/office.js';
import { accessibilityViolations, newContext, screenshot, startRig, type BrowserRig } from './browser.js';

/** Code by search and emerging themes in a real browser without JavaScript, checked by axe. */
let rig: BrowserRig;
const texts = [
  'Lockdown hid so much; families were isolated during the pandemic.',
  'The pandemic and lockdown meant nobody saw the children.',
  'Covid lockdown left parents isolated and struggling.',
  'After the pandemic the lockdown backlog arrived all at once.',
  'During lockdown schools closed and the pandemic stopped home visits.',
  'Caseloads are overwhelming and the system is overloaded.',
  'Austerity and funding cuts closed early help.',
  'Grandparents are stepping back from helping.',
  'Too many forms and meetings about meetings.',
  'Television programmes give a distorted picture of what we do.',
];

beforeAll(async () => {
  rig = await startRig();
  await addUser(rig.testApp, 'bulk@review.example', 'admin');
  await seedResponses(
    rig.testApp,
    'professionals',
    texts.map((drivers_text) => ({ role: 'social-worker', country: 'england', quote_consent: 'yes', drivers_text })),
  );
});
afterAll(async () => rig.close());

/** axe needs scripts: the same page, opened in a second (signed-in) browser that runs them. */
let checker: Page;
async function expectNoViolations(page: Page, label: string) {
  await checker.goto(page.url());
  const violations = await accessibilityViolations(checker);
  expect(violations.map((violation) => `${label}: ${violation.id} ${violation.help}`)).toEqual([]);
}

describe('coding in bulk without JavaScript', () => {
  it('searches, unticks one answer, codes the rest, and undoes the step', async () => {
    const context = await newContext(rig, { javaScript: false });
    const page = await context.newPage();
    const axeContext = await newContext(rig, { axe: true });
    checker = await axeContext.newPage();
    for (const signingIn of [page, checker]) {
      await signingIn.goto(`${rig.origin}/login`);
      await signingIn.getByLabel('Email address').fill('bulk@review.example');
      await signingIn.getByLabel('Password').fill(PASSWORD);
      await signingIn.getByRole('button', { name: 'Sign in' }).click();
    }

    await page.goto(`${rig.origin}/work/professionals/drivers_text?codebook=care-crisis-drivers`);
    await page.getByRole('link', { name: 'Code by search' }).click();
    await page.getByLabel('Search the answers').fill('lockdown');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(await page.getByRole('heading', { name: /5 answers match/ }).count()).toBe(1);
    expect(await page.locator('mark.search-match').count()).toBeGreaterThanOrEqual(5);
    await expectNoViolations(page, 'search results');
    await screenshot(page, 'code-by-search');

    await page.getByLabel(/After the pandemic the lockdown backlog/).uncheck();
    await page.getByLabel('Code to give the ticked answers').selectOption('changing-awareness');
    await page.getByRole('button', { name: 'Give the code to the ticked answers' }).click();
    expect(await page.getByRole('status').innerText()).toContain('You gave “Changing awareness” to 4 answers.');
    expect(await page.getByText('Your codes: Changing awareness').count()).toBe(4);
    await expectNoViolations(page, 'after the step');

    await page.getByRole('button', { name: 'Undo this step' }).click();
    expect(await page.getByRole('status').innerText()).toContain('Undone');
    expect(await page.getByText('Your codes: Changing awareness').count()).toBe(0);

    await page.goto(`${rig.origin}/lead/themes/professionals/drivers_text?codebook=care-crisis-drivers`);
    expect(await page.locator('.theme-words').first().innerText()).toMatch(/lockdown|pandemic/);
    await expectNoViolations(page, 'emerging themes');
    await screenshot(page, 'emerging-themes');
    await page.getByLabel('Name of the new code').first().fill('Pandemic aftermath');
    await page.getByRole('button', { name: 'Make group 1 a new code' }).click();
    expect(await page.getByRole('status').innerText()).toContain('“Pandemic aftermath” is now a code');
    await expectNoViolations(page, 'theme made a code');
    await context.close();
    await axeContext.close();
  });
});
