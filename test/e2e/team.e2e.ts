import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, addUser, seedResponses } from '../helpers/office.js';
import { accessibilityViolations, newContext, screenshot, startRig, type BrowserRig } from './browser.js';

/**
 * A team codes a question by keyboard: a lead hands the answers out, two analysts code their share
 * and the overlap, and the lead reconciles the disagreements with keys, without page loads.
 */

let rig: BrowserRig;
beforeAll(async () => {
  rig = await startRig();
  await addUser(rig.testApp, 'lead@review.example', 'lead');
  await addUser(rig.testApp, 'ana@review.example', 'analyst');
  await addUser(rig.testApp, 'ben@review.example', 'analyst');
  await seedResponses(
    rig.testApp,
    'professionals',
    [
      'Austerity: cuts to early help pushed families into crisis.',
      'Caseloads are huge and thresholds keep rising.',
      'Agency staff and newly qualified social workers with little supervision.',
      'Fear of blame after high-profile deaths makes managers risk averse.',
    ].map((drivers_text, index) => ({
      role: index % 2 ? 'social-worker' : 'barrister',
      country: 'england',
      quote_consent: 'yes',
      drivers_text,
    })),
  );
});
afterAll(async () => rig.close());

async function signedIn(email: string, viewport: 'desktop' | 'phone' = 'desktop'): Promise<Page> {
  const context = await newContext(rig, { axe: true, viewport });
  const page = await context.newPage();
  await page.goto(`${rig.origin}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  return page;
}

async function expectAccessible(page: Page, label: string) {
  const violations = await accessibilityViolations(page);
  expect(violations.map((violation) => `${label}: ${violation.id} ${violation.help}`)).toEqual([]);
}

/** Codes every answer the workbench offers with one key, until it says the work is finished. */
async function codeAll(page: Page, key: string): Promise<number> {
  await page.goto(`${rig.origin}/work`);
  await page.getByRole('link', { name: /Code these answers\W+drivers_text/ }).click();
  await page.waitForURL(/\/work\/professionals\/drivers_text\?/);
  let coded = 0;
  while ((await page.getByRole('heading', { name: /^Finished/ }).count()) === 0 && coded < 10) {
    const before = await page.locator('#progress').innerText();
    await page.locator('#answer-text').waitFor();
    await page.keyboard.press(key);
    await page.waitForFunction((text) => document.getElementById('progress')?.innerText !== text, before);
    coded++;
    const next = await page.locator('#next-answer').count();
    if (next > 0) await Promise.all([page.waitForNavigation(), page.keyboard.press('j')]);
    else await page.reload();
  }
  return coded;
}

const firstAnswerId = async () =>
  String((await rig.testApp.responses.findOne({ surveyId: 'professionals' }, { _id: 1 }).sort({ _id: 1 }).lean())?._id);

/** Moves focus with the Tab key alone until it reaches the element, as a keyboard user would. */
async function tabTo(page: Page, selector: string) {
  for (let presses = 0; presses < 300; presses++) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('team coding in a real browser', () => {
  it('a lead assigns, two analysts code by keyboard, and the lead reconciles by keyboard without page loads', async () => {
    const lead = await signedIn('lead@review.example');
    await lead.goto(`${rig.origin}/work`);
    await lead.getByRole('link', { name: /Set up drivers_text/ }).click();
    await lead.waitForURL(/\/lead\/questions\//);
    await lead.getByLabel('ana@review.example').check();
    await lead.getByLabel('ben@review.example').check();
    await lead.getByLabel('Each of them codes every answer (double coding)').check();
    await Promise.all([lead.waitForNavigation(), lead.getByRole('button', { name: 'Assign' }).click()]);
    expect(await lead.getByRole('status').innerText()).toContain('Assignment added.');
    await screenshot(lead, 'team-setup');
    await expectAccessible(lead, 'set-up');

    const ana = await signedIn('ana@review.example');
    const ben = await signedIn('ben@review.example', 'phone');
    expect(await codeAll(ana, '1')).toBe(4);
    expect(await codeAll(ben, '2')).toBe(4);
    await screenshot(ana, 'team-workbench-finished');
    await screenshot(ben, 'team-workbench-finished-phone');
    await expectAccessible(ana, 'finished workbench');

    await lead.goto(`${rig.origin}/work`);
    await screenshot(lead, 'team-choose');
    await expectAccessible(lead, 'choose what to code');
    await lead.getByRole('link', { name: /Reconcile drivers_text/ }).click();
    await lead.waitForURL(/\/lead\/reconcile\//);
    await lead.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    expect(await lead.locator('main').innerText()).toContain('Disagreement 1 of 4');
    await screenshot(lead, 'team-reconcile');
    await expectAccessible(lead, 'reconcile queue');
    for (const [key, left] of [
      ['a', 3],
      ['b', 2],
      ['u', 1],
      ['a', 0],
    ] as const) {
      await lead.keyboard.press(key);
      await lead.waitForFunction(
        (remaining) => document.querySelector('main')?.textContent?.includes(`${remaining} disagreement`),
        left,
      );
    }
    expect(await lead.locator('main').innerText()).toContain('All 4 disagreements have a final coding.');
    expect(await lead.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await expectAccessible(lead, 'empty queue');
    await screenshot(lead, 'team-reconcile-done');
    await lead.setViewportSize({ width: 375, height: 740 });
    await lead.goto(
      `${rig.origin}/lead/reconcile/professionals/drivers_text?codebook=care-crisis-drivers&at=${await firstAnswerId()}`,
    );
    await screenshot(lead, 'team-reconcile-phone');
    await lead.goto(`${rig.origin}/lead/questions/professionals/drivers_text`);
    await screenshot(lead, 'team-setup-phone');
  });

  it('a lead merges two codes and undoes it with the keyboard alone', async () => {
    const lead = await signedIn('lead@review.example');
    await lead.goto(`${rig.origin}/codebooks/care-crisis-drivers`);
    await tabTo(lead, '#merge-from');
    const options = await lead.locator('#merge-from option').allInnerTexts();
    for (let i = 0; i < options.findIndex((text) => text.includes('Austerity')); i++)
      await lead.keyboard.press('ArrowDown');
    await tabTo(lead, '#merge-into');
    for (let i = 0; i < options.findIndex((text) => text.includes('System overload')); i++)
      await lead.keyboard.press('ArrowDown');
    expect(await lead.locator('#merge-from').inputValue()).toBe('austerity');
    expect(await lead.locator('#merge-into').inputValue()).toBe('system-overload');
    await tabTo(lead, 'form[action$="/merge/preview"] button[type=submit]');
    await Promise.all([lead.waitForNavigation(), lead.keyboard.press('Enter')]);
    expect(await lead.locator('h1').innerText()).toMatch(/^Merge “Austerity/);
    await expectAccessible(lead, 'merge preview');
    await screenshot(lead, 'team-merge-preview');
    await tabTo(lead, 'form[action$="/merge"] button[type=submit]');
    await Promise.all([lead.waitForNavigation(), lead.keyboard.press('Enter')]);
    expect(await lead.locator('main').innerText()).toMatch(/merged/i);
    expect(await lead.locator('#merge-from option', { hasText: 'Austerity' }).count()).toBe(0);
    await tabTo(lead, 'form[action*="/undo"] button');
    await Promise.all([lead.waitForNavigation(), lead.keyboard.press('Enter')]);
    expect(await lead.locator('main').innerText()).toContain('(undone)');
    expect(await lead.locator('#merge-from option', { hasText: 'Austerity' }).count()).toBe(1);
    await expectAccessible(lead, 'codebook after undo');
    await screenshot(lead, 'team-merge-undone');
  });
});
