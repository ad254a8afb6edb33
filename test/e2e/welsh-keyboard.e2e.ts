import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, newContext, startRig, type BrowserRig } from './browser.js';

/**
 * Enter continues, in Welsh and in English, with JavaScript and without: the language switch in the
 * header is a button of the page's form too, and must never be the one Enter presses.
 */

let rig: BrowserRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig.close();
});

const where = async (page: Page) => ({
  lang: await page.locator('html').getAttribute('lang'),
  page: /\/s\/family(?:\/r\/[^/]+\/p\/([a-z-]+))?/.exec(page.url())?.[1] ?? 'start',
});

async function pressEnter(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation(), page.press(selector, 'Enter')]);
}

describe('Enter on a survey page', () => {
  for (const javaScript of [true, false]) {
    it(`continues from a checkbox, a text box and a radio button (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const context = await newContext(rig, { javaScript, axe: javaScript });
      const page = await context.newPage();
      await page.goto(`${rig.origin}/s/family?lang=cy`);
      await page.check('#consent');
      await pressEnter(page, '#consent');
      expect(await where(page), 'Enter on the consent checkbox').toEqual({ lang: 'cy', page: 'about-you' });

      await page.check('#relationship--other');
      await page.fill('#relationship-other', 'Llystad');
      await page.check('#carer');
      await page.check('#country--wales');
      // The hidden copy of Continue is out of view, out of the tab order and breaks no axe rule.
      if (javaScript) expect(await accessibilityViolations(page)).toEqual([]);
      await pressEnter(page, '#relationship-other');
      expect(await where(page), 'Enter in the "other" text box').toEqual({ lang: 'cy', page: 'involvement' });

      await page.check('#involvement--care-proceedings');
      await page.check('#early_help--disagree');
      await page.check('#listened_to--agree');
      await pressEnter(page, '#listened_to--agree');
      expect(await where(page), 'Enter on a radio button').toEqual({ lang: 'cy', page: 'support' });
      // Tab from the skip link reaches the home link, then the navigation: never the hidden button.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('class'))).not.toBe('visually-hidden');
      await context.close();
    });
  }

  it('continues an English respondent from the consent box instead of switching to Welsh', async () => {
    const context = await newContext(rig, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${rig.origin}/s/family?lang=en`);
    await page.check('#consent');
    await pressEnter(page, '#consent');
    expect(await where(page)).toEqual({ lang: 'en', page: 'about-you' });
    await context.close();
  });

  it('still switches language, keeping what was typed, when the switch itself is pressed', async () => {
    const context = await newContext(rig, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${rig.origin}/s/family?lang=en`);
    await page.check('#consent');
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.check('#relationship--other');
    await page.fill('#relationship-other', 'Stepfather');
    await page.getByRole('button', { name: 'Cymraeg' }).click();
    expect(await where(page)).toEqual({ lang: 'cy', page: 'about-you' });
    expect(await page.inputValue('#relationship-other')).toBe('Stepfather');
    await context.close();
  });
});

describe('the live character count', () => {
  it('says "1 nod ar ôl" after the numeral 1, and writes thousands with a comma', async () => {
    const context = await newContext(rig);
    const page = await context.newPage();
    await page.goto(`${rig.origin}/s/family?lang=cy`);
    await page.check('#consent');
    await pressEnter(page, '#consent');
    await page.check('#relationship');
    await page.check('#carer');
    await page.check('#country--wales');
    await pressEnter(page, '#country--wales');
    await page.check('#involvement--care-proceedings');
    await page.check('#early_help--disagree');
    await page.check('#listened_to--agree');
    await pressEnter(page, '#listened_to--agree');
    await page.check('#fgc_offered--no');
    await page.check('#advice--no');
    await pressEnter(page, '#advice--no');
    expect(await where(page)).toEqual({ lang: 'cy', page: 'your-experience' });
    const limit = Number(await page.getAttribute('#help_needed_text', 'data-limit'));
    const count = page.locator('#help_needed_text ~ .char-count');
    await page.fill('#help_needed_text', 'a');
    expect(await count.innerText()).toBe(`${(limit - 1).toLocaleString('en-GB')} o nodau ar ôl`);
    expect(limit - 1).toBeGreaterThanOrEqual(1000);
    await page.fill('#help_needed_text', 'a'.repeat(limit - 1));
    expect(await count.innerText()).toBe('1 nod ar ôl');
    await page.fill('#help_needed_text', 'a'.repeat(limit - 2));
    expect(await count.innerText()).toBe('2 o nodau ar ôl');
    await context.close();
  });
});
