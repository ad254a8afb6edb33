import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codebookModels } from '../../server/codebooks/model.js';
import { addCode } from '../../server/codebooks/edits.js';
import { PASSWORD, addUser, seedResponses } from '../helpers/office.js';
import { accessibilityViolations, newContext, screenshot, startRig, type BrowserRig } from './browser.js';

/** The workbench with its script: coding keys and the code palette update the answer in place. */
let rig: BrowserRig;
let ids: string[];
const workbench = '/work/professionals/drivers_text?codebook=care-crisis-drivers';

beforeAll(async () => {
  rig = await startRig();
  await addUser(rig.testApp, 'keys@review.example', 'analyst');
  ids = await seedResponses(
    rig.testApp,
    'professionals',
    [
      'Austerity: cuts to early help and universal credit pushed families into crisis.',
      'Caseloads are huge and thresholds keep rising.',
      'Agency staff and newly qualified social workers with little supervision.',
    ].map((drivers_text) => ({ role: 'social-worker', country: 'england', quote_consent: 'yes', drivers_text })),
  );
  // Seven codes come with the codebook: three more make ten, and one is nested under Austerity.
  const models = codebookModels(rig.testApp.connection);
  const add = (name: string, parent = '') =>
    addCode(
      models,
      'care-crisis-drivers',
      { name, definition: `${name} as a driver.`, include: '', exclude: '', colour: '#505a5f', parent },
      'setup',
    );
  await add('Housing need');
  await add('Court delay');
  await add('Youth justice');
  await add('Benefit cap', 'austerity');
});
afterAll(async () => rig.close());

async function signInByKeyboard(page: Page) {
  await page.goto(`${rig.origin}${workbench}`);
  for (let presses = 0; presses < 10 && !(await page.evaluate(() => document.activeElement?.id === 'email')); presses++)
    await page.keyboard.press('Tab');
  await page.keyboard.type('keys@review.example');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

/** Presses a key and waits for the page to show what the server confirmed (the status line changes). */
async function act(page: Page, key: string) {
  const before = await page.evaluate(() => document.getElementById('work-status')!.textContent);
  await page.keyboard.press(key);
  await page.waitForFunction((text) => document.getElementById('work-status')!.textContent !== text, before);
}

const pressed = (page: Page, code: string) =>
  page.locator(`#codes form[data-code="${code}"] button`).getAttribute('aria-pressed');
const status = (page: Page) => page.locator('#work-status').innerText();

async function expectNoViolations(page: Page, label: string) {
  const violations = await accessibilityViolations(page);
  expect(violations.map((violation) => `${label}: ${violation.id} ${violation.help}`)).toEqual([]);
}

describe('coding in place with the keyboard', () => {
  it('codes with number keys and the palette, a tenth and a nested code included, without reloading the page', async () => {
    const context = await newContext(rig, { axe: true });
    const page = await context.newPage();
    await signInByKeyboard(page);
    expect(page.url()).toContain('/work/professionals/drivers_text');
    // A reload would lose this.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    await act(page, '2');
    expect(await pressed(page, 'austerity')).toBe('true');
    expect(await status(page)).toBe('Austerity, cuts and deprivation: coded. Coded 1 of 3 by you.');
    expect(await page.locator('#progress strong').innerText()).toBe('Coded 1 of 3');
    await act(page, '2');
    expect(await pressed(page, 'austerity')).toBe('false');
    expect(await status(page)).toBe('Austerity, cuts and deprivation: not coded. Coded 0 of 3 by you.');

    // The palette: every code by name or number, keys shown beside them.
    await page.keyboard.press('c');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('palette-input');
    expect(await page.locator('#palette-list').getByRole('option').count()).toBe(11);
    await page.keyboard.type('youth');
    // Shown with its key when it has one (the codebook decides the keys).
    const found = await page.locator('#palette-list').getByRole('option').allInnerTexts();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^(\S+ )?Youth justice$/);
    await expectNoViolations(page, 'workbench with the palette open');
    await screenshot(page, 'workbench-palette');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('work-status')!.textContent!.startsWith('Youth'));
    expect(await pressed(page, 'youth-justice')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('answer-text');

    // Typing a key number puts that code first; arrows move, Enter applies.
    await page.keyboard.press('c');
    await page.keyboard.type('8');
    const options = page.locator('#palette-list').getByRole('option');
    expect(await options.first().innerText()).toBe('8 Housing need');
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('work-status')!.textContent!.startsWith('Housing'));
    await page.keyboard.press('c');
    await page.keyboard.type('benefit');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('work-status')!.textContent!.startsWith('Benefit'));
    expect(await pressed(page, 'benefit-cap')).toBe('true');
    // Escape closes without applying anything, and focus goes back to the answer.
    await page.keyboard.press('c');
    await page.keyboard.type('court');
    await page.keyboard.press('Escape');
    expect(await page.locator('#code-palette').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('answer-text');
    expect(await pressed(page, 'court-delay')).toBe('false');

    await act(page, 's');
    expect(await page.locator('#star-form button').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#star-form button').innerText()).toContain('Unstar quote');
    expect(await page.locator('summary', { hasText: 'Redact names' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await expectNoViolations(page, 'workbench after coding in place');

    // "No code applies" clears the codes on the page too.
    await act(page, 'n');
    expect(await page.locator('#no-code-form button').getAttribute('aria-pressed')).toBe('true');
    for (const code of ['youth-justice', 'housing-need', 'benefit-cap'])
      expect(await pressed(page, code)).toBe('false');

    // Next answer: a page load; then the top suggestion in place.
    await Promise.all([page.waitForNavigation(), page.keyboard.press('j')]);
    expect(await page.locator('#answer-text').innerText()).toContain('Caseloads');
    await act(page, 'a');
    expect(await page.locator('#progress strong').innerText()).toBe('Coded 2 of 3');
    await screenshot(page, 'workbench-in-place');

    const events = await rig.testApp.connection
      .collection('codingevents')
      .find({}, { sort: { at: 1, _id: 1 } })
      .toArray();
    const final = new Map<string, boolean>();
    for (const event of events) final.set(`${ids.indexOf(event.responseId)} ${event.codeId}`, event.present);
    expect([...final].filter(([, present]) => present).map(([key]) => key)).toEqual(['0 _none', '1 system-overload']);
    await context.close();
  });

  it('finds codes keyed past 9 and nested keys in the palette by typing the key, exact key first', async () => {
    const context = await newContext(rig);
    const page = await context.newPage();
    await signInByKeyboard(page);
    await page.goto(`${rig.origin}${workbench}&at=${ids[2]}`);
    // Whatever keys the codebook gives, the palette works from the key each code shows: give two
    // codes the kind of key a long or nested codebook has.
    await page.evaluate(() => {
      const keyed = (code: string, key: string) =>
        document.querySelector<HTMLFormElement>(`#codes form[data-code="${code}"]`)!.setAttribute('data-code-key', key);
      keyed('youth-justice', '10');
      keyed('benefit-cap', '2.1');
    });
    const options = page.locator('#palette-list').getByRole('option');
    /** Enter in the palette, then wait for the page to show what the server confirmed. */
    const enter = async () => {
      const before = await page.evaluate(() => document.getElementById('work-status')!.textContent);
      await page.keyboard.press('Enter');
      await page.waitForFunction((text) => document.getElementById('work-status')!.textContent !== text, before);
    };
    await page.keyboard.press('c');
    await page.keyboard.type('1');
    expect((await options.allInnerTexts()).slice(0, 2)).toEqual(['1 System overload', '10 Youth justice']);
    await page.keyboard.type('0');
    expect(await options.allInnerTexts()).toEqual(['10 Youth justice']);
    await enter();
    expect(await pressed(page, 'youth-justice')).toBe('true');
    await page.keyboard.press('c');
    await page.keyboard.type('2.1');
    expect(await options.first().innerText()).toBe('2.1 Benefit cap');
    await enter();
    expect(await pressed(page, 'benefit-cap')).toBe('true');
    // Arrows move the choice; Enter takes it off again.
    await page.keyboard.press('c');
    await page.keyboard.type('2');
    await page.keyboard.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#palette-input').getAttribute('aria-activedescendant')).toBe('palette-option-1');
    expect(await options.nth(1).innerText()).toBe('2.1 Benefit cap (coded)');
    await enter();
    expect(await pressed(page, 'benefit-cap')).toBe('false');
    expect(await status(page)).toBe('Benefit cap: not coded. Coded 3 of 3 by you.');
    await page.keyboard.press('c');
    await page.keyboard.type('10');
    await enter();
    expect(await status(page)).toBe('Youth justice: not coded. Coded 2 of 3 by you.');
    await context.close();
  });

  it('codes selected words in place, and removes the passage again from the keyboard', async () => {
    const context = await newContext(rig);
    const page = await context.newPage();
    await signInByKeyboard(page);
    await page.goto(`${rig.origin}${workbench}&at=${ids[1]}`);
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    // Select "thresholds keep rising" in the answer, as a mouse or Shift+arrows would.
    await page.evaluate(() => {
      const text = document.getElementById('answer-text')!.firstChild!;
      const start = text.textContent!.indexOf('thresholds');
      const range = document.createRange();
      range.setStart(text, start);
      range.setEnd(text, start + 'thresholds keep rising'.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
    });
    await act(page, '1');
    expect(await status(page)).toBe('Passage coded. Coded 2 of 3 by you.');
    expect((await page.locator('#passages li').textContent())!.replace(/\s+/g, ' ').trim()).toBe(
      'System overload: “thresholds keep rising” Remove passage coded System overload',
    );
    const mark = page.locator('#answer-text mark');
    expect(await mark.innerText()).toBe('thresholds keep rising');
    expect(await mark.getAttribute('title')).toBe('System overload');
    expect(await page.locator('#answer-text').innerText()).toBe('Caseloads are huge and thresholds keep rising.');
    // The whole-answer code is another matter: the passage did not put it on.
    expect(await pressed(page, 'system-overload')).toBe('true');

    await page.getByRole('button', { name: 'Remove passage coded System overload' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      document.getElementById('work-status')!.textContent!.startsWith('Passage removed'),
    );
    expect(await page.locator('#passages li').count()).toBe(0);
    expect(await page.locator('#answer-text mark').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('answer-text');
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await context.close();
  });

  it('shows the server’s refusal in the page and leaves the state as the server has it', async () => {
    const context = await newContext(rig);
    const page = await context.newPage();
    await signInByKeyboard(page);
    await page.goto(`${rig.origin}${workbench}&at=${ids[2]}`);
    await page.evaluate(() =>
      document.querySelectorAll<HTMLInputElement>('input[name="_csrf"]').forEach((input) => (input.value = 'stale')),
    );
    await page.keyboard.press('1');
    const alert = page.getByRole('alert');
    await alert.getByText('This form has expired').waitFor();
    expect(await alert.innerText()).toBe(
      'This form has expired or did not come from this site. Go back, reload the page and try again.',
    );
    expect(await pressed(page, 'system-overload')).toBe('false');
    expect(await page.locator('#progress strong').innerText()).toBe('Coded 2 of 3');
    await context.close();
  });

  it('codes without JavaScript through the plain forms, definitions included', async () => {
    const context = await newContext(rig, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${rig.origin}/login`);
    await page.getByLabel('Email address').fill('keys@review.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${rig.origin}${workbench}&at=${ids[2]}`);
    await page.locator('summary', { hasText: 'Definition of Youth justice' }).click();
    expect(await page.getByText('Youth justice as a driver.').isVisible()).toBe(true);
    await page.getByRole('button', { name: /Youth justice/ }).click();
    await page.waitForURL(/at=/);
    expect(await pressed(page, 'youth-justice')).toBe('true');
    expect(await page.locator('#progress strong').innerText()).toBe('Coded 3 of 3');
    await context.close();
  });
});
