import type { Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appOn } from '../helpers/app.js';
import { PASSWORD, addUser, seedCodings, seedResponses } from '../helpers/office.js';
import { accessibilityViolations, newContext, screenshot, startRig, type BrowserRig } from './browser.js';

let rig: BrowserRig;
let closedOrigin: string;
let closedServer: Server;
let seededIds: string[] = [];
beforeAll(async () => {
  rig = await startRig();
  const coder = await addUser(rig.testApp, 'a11y@review.example', 'admin');
  const ids = await seedResponses(rig.testApp, 'professionals', [
    { role: 'barrister', country: 'england', quote_consent: 'yes', drivers_text: 'Cuts to early help.' },
    { role: 'social-worker', country: 'wales', quote_consent: 'yes', drivers_text: 'Caseloads.' },
  ]);
  await seedCodings(rig.testApp, [{ responseId: ids[0]!, coderId: coder.id, codeId: 'austerity' }]);
  seededIds = ids;
  await rig.testApp.connection.collection('answernotes').insertOne({
    _id: `professionals:drivers_text:${ids[0]}:${coder.id}` as never,
    memo: 'Early help theme.',
    updatedAt: new Date(),
  });
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

async function expectNoViolations(page: Page, label: string) {
  const violations = await accessibilityViolations(page);
  expect(
    violations.map(
      (violation) =>
        `${label}: ${violation.id} (${violation.impact}) ${violation.help} at ${violation.nodes
          .map((node) => node.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    ),
  ).toEqual([]);
}

describe('accessibility (axe-core, WCAG 2.2 A and AA)', () => {
  it('finds no violations on any public page, errors and closed survey included', async () => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const context = await newContext(rig, { axe: true, viewport });
      const page = await context.newPage();
      const check = async (label: string) => expectNoViolations(page, `${viewport} ${label} ${page.url()}`);
      for (const url of ['/', '/help', '/accessibility', '/no-such-page']) {
        await page.goto(`${rig.origin}${url}`);
        await check(url);
      }
      for (const surveyId of ['professionals', 'family', 'care-experienced']) {
        await page.goto(`${rig.origin}/s/${surveyId}`);
        await check('consent');
        await page.getByRole('button', { name: 'Continue' }).click();
        await check('consent error');
        await page
          .getByLabel(/I agree|Yes, I agree/)
          .first()
          .check();
        await page.getByRole('button', { name: 'Continue' }).click();
        // Every page in turn: first with the errors a blank submit gives, then answered minimally.
        for (let step = 0; step < 12 && page.url().includes('/p/'); step++) {
          await check(`page ${step}`);
          await page.getByRole('button', { name: 'Continue' }).click();
          if (page.url().includes('/p/') && (await page.locator('.error-summary').count()) > 0) {
            await check(`page ${step} with errors`);
            for (const group of await page.locator('fieldset').all()) {
              const first = group.locator('input[type=radio], input[type=checkbox]').first();
              if ((await first.count()) > 0 && !(await first.isChecked())) await first.check();
            }
            for (const box of await page.locator('textarea').all())
              if (!(await box.inputValue())) await box.fill('An answer.');
            for (const other of await page.locator('.other-box input').all())
              if (!(await other.inputValue())) await other.fill('Something else');
            await page.getByRole('button', { name: 'Continue' }).click();
          }
        }
        await check('check answers');
        await page.getByRole('button', { name: 'Send my answers' }).click();
        await check('thank you');
      }
      await page.goto(`${rig.origin}/s/family`);
      await page.getByLabel('Yes, I agree').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Save and come back later' }).click();
      await check('saved');
      // The respondent deletes their unsent answers from their private link.
      await page.getByRole('link', { name: 'Delete my answers' }).click();
      await check('delete your answers');
      await page.getByRole('button', { name: 'Delete my answers' }).click();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Your answers have been deleted');
      await check('answers deleted');
      await page.goto(`${closedOrigin}/s/family`);
      await check('closed survey');
      await context.close();
    }
  });

  it('finds no violations in the workbench and the back office', async () => {
    const context = await newContext(rig, { axe: true });
    const page = await context.newPage();
    await page.goto(`${rig.origin}/login`);
    await expectNoViolations(page, 'login');
    await page.getByLabel('Email address').fill('a11y@review.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    for (const url of [
      '/work',
      '/work/professionals/drivers_text?codebook=care-crisis-drivers',
      '/work/professionals/drivers_text/memos?codebook=care-crisis-drivers',
      '/codebooks/care-crisis-drivers',
      '/admin',
      '/reports',
      '/reports/professionals/profile',
      '/reports/professionals/questions',
      '/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&by=group',
      '/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers',
      '/reports/professionals/agreement/drivers_text?codebook=care-crisis-drivers',
      '/reports/professionals/cooccurrence/drivers_text?codebook=care-crisis-drivers',
      '/reports/professionals/report',
      '/lead/reconcile/professionals/drivers_text?codebook=care-crisis-drivers',
      '/lead/questions/professionals/drivers_text',
      '/admin/audit',
      '/admin/audit?action=sign-in',
      '/admin/audit?from=2001-01-01&to=2001-01-02',
      '/admin/erase',
      `/admin/erase?ref=${seededIds[1]}`,
    ]) {
      await page.goto(`${rig.origin}${url}`);
      await expectNoViolations(page, url);
    }
    // The redaction preview: star an answer whose respondent agreed to quotation, then check a word.
    await page.goto(`${rig.origin}/work/professionals/drivers_text?codebook=care-crisis-drivers`);
    for (let tries = 0; tries < 6 && (await page.getByRole('button', { name: /Star as quote/ }).count()) === 0; tries++)
      await page.keyboard.press('j');
    await page.getByRole('button', { name: /Star as quote/ }).click();
    const firstWord = (await page.locator('#answer-text').innerText()).split(/\s+/)[0]!;
    await page.locator('summary', { hasText: 'Redact names' }).click();
    await page.getByLabel(/Words to redact/).fill(firstWord);
    await page.getByRole('button', { name: 'Check and redact' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Check the redaction');
    await expectNoViolations(page, 'redaction preview');
    await context.close();
  });

  it('finds no violations on the codebook pages, as a lead changes a codebook, at both widths', async () => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const context = await newContext(rig, { axe: true, viewport });
      const page = await context.newPage();
      const check = async (label: string) => {
        await expectNoViolations(page, `${viewport} ${label}`);
        await screenshot(page, `codebook-${label.replace(/\W+/g, '-')}-${viewport}`);
      };
      await page.goto(`${rig.origin}/login`);
      await page.getByLabel('Email address').fill('a11y@review.example');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.goto(`${rig.origin}/codebooks`);
      await check('list');
      await page.goto(`${rig.origin}/codebooks/care-crisis-drivers`);
      await page.getByRole('button', { name: /^Move down\W+Austerity, cuts and deprivation$/ }).click();
      expect(await page.getByRole('status').innerText()).toBe('Code moved.');
      await check('moved');
      await page.getByRole('button', { name: /^Move up\W+Austerity, cuts and deprivation$/ }).click();
      await page.getByLabel('Merge this code').selectOption('workforce');
      await page.getByLabel('into this code').selectOption('workforce');
      await page.getByRole('button', { name: 'Preview the merge' }).click();
      await check('merge error');
      await page.getByLabel('into this code').selectOption('system-overload');
      await page.getByRole('button', { name: 'Preview the merge' }).click();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
        'Merge “Workforce and training” into “System overload”?',
      );
      await check('merge preview');
      await page.getByRole('link', { name: 'Cancel' }).click();
      await check('codebook');
      await context.close();
    }
  });
});
