import type { Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appOn } from '../helpers/app.js';
import { PASSWORD, addUser, seedResponses } from '../helpers/office.js';
import type { FormFields } from '../helpers/respondent.js';
import { careExperiencedAnswers, familyAnswers, professionalsAnswers } from '../fixtures/answers.js';
import { accessibilityViolations, newContext, screenshot, startRig, type BrowserRig } from './browser.js';

/** Everything that checks the English pages, in Welsh: axe, phones without JavaScript, switching, resuming. */

let rig: BrowserRig;
let closedOrigin: string;
let closedServer: Server;
beforeAll(async () => {
  rig = await startRig();
  const closed = appOn(rig.testApp.connection, { now: () => new Date('2030-01-01T00:00:00Z') });
  closedServer = await new Promise<Server>((resolve) => {
    const listening = closed.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = closedServer.address();
  closedOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((resolve) => closedServer.close(resolve));
  await rig.close();
});

const answers: Record<string, Record<string, FormFields>> = {
  professionals: professionalsAnswers,
  family: familyAnswers,
  'care-experienced': careExperiencedAnswers,
};

const parhau = (page: Page) => page.getByRole('button', { name: 'Parhau', exact: true }).click();
const heading = async (page: Page) => (await page.getByRole('heading', { level: 1 }).innerText()).trim();
const pageId = (page: Page) => /\/p\/([a-z0-9-]+)(\?|$)/.exec(page.url())?.[1] ?? '';

async function expectWelsh(page: Page, label: string) {
  expect(await page.locator('html').getAttribute('lang'), label).toBe('cy');
  // The way back to English is marked as English.
  expect(await page.locator('.header-links [lang="en"]').innerText(), label).toBe('English');
  // Nothing wider than the phone: long Welsh words must wrap, not push the page sideways.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${label}: page wider than the screen`).toBeLessThanOrEqual(0);
}

async function expectNoViolations(page: Page, label: string) {
  const violations = await accessibilityViolations(page);
  expect(
    violations.map(
      (violation) => `${label}: ${violation.id} ${violation.help} at ${violation.nodes[0]?.target.join(' ')}`,
    ),
  ).toEqual([]);
}

/** Fills one page's fields as a respondent would, by the fields' names. */
async function fill(page: Page, fields: FormFields) {
  for (const [name, value] of Object.entries(fields)) {
    const inputs = page.locator(`[name="${name}"]`);
    const kind = await inputs.first().getAttribute('type');
    if (kind === 'radio' || kind === 'checkbox') {
      for (const item of [value].flat()) await page.locator(`[name="${name}"][value="${item}"]`).check();
    } else {
      await inputs.first().fill(String(value));
    }
  }
}

describe('Welsh in a real browser', () => {
  it('finds no accessibility violations on any Welsh public page, errors and closed survey included', async () => {
    for (const viewport of ['phone', 'desktop'] as const) {
      const context = await newContext(rig, { axe: true, viewport });
      const page = await context.newPage();
      const check = async (label: string) => {
        await expectWelsh(page, `${viewport} ${label}`);
        await expectNoViolations(page, `${viewport} ${label} ${page.url()}`);
      };
      await page.goto(`${rig.origin}/?lang=cy`);
      await check('home');
      for (const url of [
        '/help',
        '/accessibility',
        '/no-such-page',
        '/s/family/r/000000000000000000000000-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ]) {
        await page.goto(`${rig.origin}${url}`);
        await check(url);
      }
      for (const surveyId of ['professionals', 'family', 'care-experienced']) {
        await page.goto(`${rig.origin}/s/${surveyId}`);
        await check(`${surveyId} consent`);
        await parhau(page);
        expect(await page.getByRole('alert').innerText()).toContain(
          'Ticiwch y blwch i ddweud eich bod yn cytuno i gymryd rhan.',
        );
        await check(`${surveyId} consent error`);
        await page.getByLabel("Rwy'n cytuno").check();
        await parhau(page);
        for (let step = 0; step < 12 && page.url().includes('/p/'); step++) {
          await check(`${surveyId} ${pageId(page)}`);
          await parhau(page);
          if (page.url().includes('/p/') && (await page.locator('.error-summary').count()) > 0) {
            expect(await page.locator('.error-summary h2').innerText()).toBe('Mae problem');
            await check(`${surveyId} ${pageId(page)} with errors`);
          }
          if (!page.url().includes('/p/')) break;
          await fill(page, answers[surveyId]![pageId(page)]!);
          await parhau(page);
        }
        expect(await heading(page)).toBe('Gwiriwch eich atebion cyn eu hanfon');
        await check(`${surveyId} check answers`);
        await page.getByRole('button', { name: 'Anfon fy atebion' }).click();
        expect(await heading(page)).toBe("Diolch: mae eich atebion wedi'u hanfon");
        await check(`${surveyId} thank you`);
      }
      await page.goto(`${rig.origin}/s/family`);
      await page.getByLabel("Rwy'n cytuno").check();
      await parhau(page);
      await page.getByRole('button', { name: 'Cadw a dod yn ôl yn nes ymlaen' }).click();
      expect(await heading(page)).toBe("Mae eich atebion wedi'u cadw");
      await check('saved');
      await page.goto(`${closedOrigin}/s/family`);
      expect(await heading(page)).toBe("Mae'r arolwg hwn ar gau");
      expect(await page.locator('main').innerText()).toContain('Roedd ar agor o 1 Ionawr 2026 tan 31 Rhagfyr 2027.');
      await check('closed survey');
      await context.close();
    }
  });

  it('completes each survey in Welsh on a phone without JavaScript, and stores each response as cy', async () => {
    const sentInWelsh = (surveyId: string) =>
      rig.testApp.responses.countDocuments({ surveyId, status: 'submitted', language: 'cy' });
    const before = await Promise.all(['professionals', 'family', 'care-experienced'].map(sentInWelsh));
    for (const surveyId of ['professionals', 'family', 'care-experienced']) {
      const context = await newContext(rig, { viewport: 'phone', javaScript: false });
      const page = await context.newPage();
      let n = 0;
      const shot = async (name: string) => {
        await expectWelsh(page, `${surveyId} ${name}`);
        await screenshot(page, `welsh-${surveyId}-phone-${String(++n).padStart(2, '0')}-${name}`);
      };
      // The plain link an invitation can use.
      await page.goto(`${rig.origin}/s/${surveyId}?lang=cy`);
      await shot('consent');
      await page.getByRole('checkbox').check();
      await parhau(page);
      while (page.url().includes('/p/')) {
        const id = pageId(page);
        await fill(page, answers[surveyId]![id]!);
        await shot(id);
        await parhau(page);
      }
      expect(await heading(page)).toBe('Gwiriwch eich atebion cyn eu hanfon');
      await shot('check');
      await page.getByRole('button', { name: 'Anfon fy atebion' }).click();
      expect(await heading(page)).toBe("Diolch: mae eich atebion wedi'u hanfon");
      await shot('thanks');
      await context.close();
    }
    const after = await Promise.all(['professionals', 'family', 'care-experienced'].map(sentInWelsh));
    expect(after.map((count, index) => count - before[index]!)).toEqual([1, 1, 1]);
  });

  it('marks a Welsh answer in the workbench, without suggestions guessed from English, and stays accessible', async () => {
    await addUser(rig.testApp, 'welsh-analyst@review.example', 'analyst');
    const [id] = await seedResponses(rig.testApp, 'professionals', [
      {
        role: 'social-worker',
        country: 'wales',
        quote_consent: 'yes',
        drivers_text: 'Mae llwythi achosion yn rhy uchel ac mae ofn bai yn gwneud i reolwyr osgoi risg.',
      },
    ]);
    await rig.testApp.responses.updateOne({ _id: id }, { $set: { language: 'cy' } });
    const context = await newContext(rig, { axe: true });
    const page = await context.newPage();
    await page.goto(`${rig.origin}/login`);
    await page.getByLabel('Email address').fill('welsh-analyst@review.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${rig.origin}/work/professionals/drivers_text?codebook=care-crisis-drivers&at=${id}`);
    expect(await page.locator('.answer-language [lang="cy"]').innerText()).toBe('Cymraeg');
    expect(await page.locator('#answer-text').getAttribute('lang')).toBe('cy');
    expect(await page.getByText('Suggestions work on English answers only').isVisible()).toBe(true);
    expect(await page.locator('form[data-suggestion]').count()).toBe(0);
    await expectNoViolations(page, 'workbench with a Welsh answer');
    await screenshot(page, 'welsh-answer-workbench-desktop');
    await context.close();
  });

  it('switches language mid-survey without JavaScript, keeps the answers, saves and resumes in Welsh', async () => {
    const context = await newContext(rig, { viewport: 'phone', javaScript: false });
    const page = await context.newPage();
    await page.goto(`${rig.origin}/s/family?lang=en`);
    await page.getByLabel('Yes, I agree').check();
    // The switch on the first page keeps the tick.
    await page.getByRole('button', { name: 'Cymraeg' }).click();
    expect(await heading(page)).toBe("Arolwg aelodau'r teulu");
    expect(await page.getByRole('checkbox').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'English' }).click();
    expect(await heading(page)).toBe('Family members survey');
    await page.getByRole('button', { name: 'Continue' }).click();
    // Half a page typed in English, then Cymraeg.
    await page
      .getByRole('group', { name: 'How are you related to the child or children?' })
      .getByLabel('Other (please say)')
      .check();
    await page.getByLabel('If you chose Other, please say what').fill('Cymydog agos');
    await page.getByRole('button', { name: 'Cymraeg' }).click();
    expect(await heading(page)).toBe('Amdanoch chi');
    await expectWelsh(page, 'switched');
    expect(await page.locator('.progress').innerText()).toContain('Tudalen 2 o 6');
    const relationship = page.getByRole('group', { name: "Beth yw eich perthynas â'r plentyn neu'r plant?" });
    expect(await relationship.getByLabel('Arall (dywedwch beth)').isChecked()).toBe(true);
    expect(await page.getByLabel('Os gwnaethoch chi ddewis Arall, dywedwch beth').inputValue()).toBe('Cymydog agos');
    await screenshot(page, 'welsh-switched-mid-survey-phone');
    // An error page in Welsh keeps its switch too.
    await parhau(page);
    expect(await page.locator('.error-summary').innerText()).toContain('Dewiswch ateb i "Ble rydych chi\'n byw?".');
    await screenshot(page, 'welsh-error-page-phone');
    await page.getByRole('group', { name: "Ble rydych chi'n byw?" }).getByLabel('Cymru').check();
    await page.getByRole('button', { name: 'English' }).click();
    expect(await heading(page)).toBe('About you');
    expect(await page.getByRole('group', { name: 'Where do you live?' }).getByLabel('Wales').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Cymraeg' }).click();
    await page
      .getByRole('group', { name: /Ydych chi'n gofalu/ })
      .getByLabel('Nac ydw')
      .check();
    await page.getByRole('button', { name: 'Cadw a dod yn ôl yn nes ymlaen' }).click();
    expect(await heading(page)).toBe("Mae eich atebion wedi'u cadw");
    const link = await page.locator('#resume-link').inputValue();
    expect(link).toMatch(/\/s\/family\/r\/[a-f0-9]{24}-[\w-]{32}\?lang=cy$/);
    await screenshot(page, 'welsh-saved-phone');
    await context.close();

    // Another device, knowing only the link.
    const later = await newContext(rig, { viewport: 'phone', javaScript: false });
    const resumed = await later.newPage();
    await resumed.goto(`${rig.origin}${link}`);
    expect(await heading(resumed)).toBe('Amdanoch chi');
    expect(await resumed.getByLabel('Os gwnaethoch chi ddewis Arall, dywedwch beth').inputValue()).toBe('Cymydog agos');
    await parhau(resumed);
    while (resumed.url().includes('/p/')) {
      await fill(resumed, familyAnswers[pageId(resumed)]!);
      await parhau(resumed);
    }
    await resumed.getByRole('button', { name: 'Anfon fy atebion' }).click();
    expect(await heading(resumed)).toBe("Diolch: mae eich atebion wedi'u hanfon");
    await later.close();
    expect(
      await rig.testApp.responses.countDocuments({
        surveyId: 'family',
        status: 'submitted',
        language: 'cy',
        'otherText.relationship': 'Cymydog agos',
      }),
    ).toBe(1);
  });
});
