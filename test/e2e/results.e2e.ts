import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, addUser, seedCodings, seedResponses } from '../helpers/office.js';
import {
  accessibilityViolations,
  newContext,
  screenshot,
  screenshotsDir,
  startRig,
  type BrowserRig,
} from './browser.js';

let rig: BrowserRig;
let ids: string[];
const roles = [
  'social-worker',
  'barrister',
  'team-manager',
  'judge-or-magistrate',
  'foster-carer',
  'police',
  'solicitor-in-private-practice',
];

beforeAll(async () => {
  rig = await startRig();
  await addUser(rig.testApp, 'analyst@review.example', 'analyst');
  await addUser(rig.testApp, 'admin@review.example', 'admin');
  ids = await seedResponses(
    rig.testApp,
    'professionals',
    Array.from({ length: 14 }, (_, i) => ({
      role: roles[i % roles.length]!,
      country: i % 4 === 0 ? 'wales' : 'england',
      ...(i % 4 === 0 ? {} : { region: 'london' }),
      trend: i % 3 === 0 ? 'increased' : 'same',
      drivers: i % 2 ? ['poverty', 'early-help-cuts'] : ['poverty'],
      quote_consent: 'yes',
      drivers_text: `Caseloads and cuts to early help, answer ${i}. Jane in Leeds waited a year.`,
      partnership_meaning: `Working with families, answer ${i}.`,
    })),
  );
  // Two part-completed surveys, stopped on different pages.
  await rig.testApp.responses.insertMany([
    {
      _id: new mongoose.Types.ObjectId(),
      surveyId: 'professionals',
      surveyVersion: 1,
      tokenHash: 'a',
      status: 'draft',
      answers: { consent: 'yes' },
      finishedPages: ['consent'],
    },
    {
      _id: new mongoose.Types.ObjectId(),
      surveyId: 'professionals',
      surveyVersion: 1,
      tokenHash: 'b',
      status: 'draft',
      answers: { consent: 'yes', role: 'barrister', country: 'wales' },
      finishedPages: ['consent', 'about-you'],
    },
  ]);
  const analyst = (await rig.testApp.connection
    .collection('users')
    .findOne({ email: 'analyst@review.example' }))!._id.toString();
  await seedCodings(
    rig.testApp,
    ids
      .slice(0, 10)
      .map((responseId, i) => ({ responseId, coderId: analyst, codeId: i % 3 ? 'austerity' : 'system-overload' })),
  );
  // A question the definition names no codebook for, coded with one all the same: it must be listed.
  await seedCodings(
    rig.testApp,
    ids.slice(0, 4).map((responseId) => ({ responseId, coderId: analyst, codeId: 'shared-purpose' })),
    {
      surveyId: 'professionals',
      questionId: 'partnership_meaning',
      codebookId: 'partnership-promoters',
    },
  );
});
afterAll(async () => rig.close());

async function signIn(page: Page, email: string) {
  await page.goto(`${rig.origin}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** Every same-site link on the page that leads to results or downloads of the professionals survey. */
async function resultLinks(page: Page): Promise<string[]> {
  const hrefs = await page
    .locator('main a[href]')
    .evaluateAll((anchors) => anchors.map((anchor) => (anchor as HTMLAnchorElement).getAttribute('href')!));
  return hrefs.filter(
    (href) =>
      /^\/(reports|admin\/exports|admin\/quotes|admin\/reconcile)\//.test(href) && href.includes('professionals'),
  );
}

describe('every output, reached from the header by each role', () => {
  for (const role of ['analyst', 'admin'] as const) {
    it(`as ${role}: Results, the survey's home, and every output it links to, all axe-clean`, async () => {
      const context = await newContext(rig, { axe: true });
      const page = await context.newPage();
      await signIn(page, `${role}@review.example`);
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Results' }).click(),
      ]);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Results');
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole('link', { name: 'Professionals survey: the rise in care proceedings' }).click(),
      ]);
      await screenshot(page, `results-home-${role}`);
      const home = page.url();
      const links = [
        ...new Set([
          ...(await resultLinks(page)),
          ...(await page
            .locator('nav.report-nav a')
            .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')!))),
        ]),
      ];
      const expected = [
        '/reports/professionals/monitoring',
        '/reports/professionals/profile',
        '/reports/professionals/questions',
        '/reports/professionals/report',
        '/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers',
        '/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers',
        '/reports/professionals/agreement/drivers_text?codebook=care-crisis-drivers',
        '/reports/professionals/cooccurrence/drivers_text?codebook=care-crisis-drivers',
        '/reports/professionals/themes/partnership_meaning?codebook=partnership-promoters',
      ];
      for (const url of expected) expect(links, url).toContain(url);
      if (role === 'admin') expect(links).toContain('/admin/exports/professionals/responses.csv');
      else expect(links.some((href) => href.startsWith('/admin/'))).toBe(false);

      for (const href of links.filter(
        (link) => !/format=|\.csv|\.json|\/qdc|^\/admin\/(exports|quotes)\//.test(link),
      )) {
        await page.goto(new URL(href, home).toString());
        expect(await page.locator('h1').count(), href).toBe(1);
        const violations = await accessibilityViolations(page);
        expect(violations.map((violation) => `${href}: ${violation.id} ${violation.help}`)).toEqual([]);
      }
      await context.close();
    });
  }

  it('shows the monitoring figures, a grouped cross-tab, and prints the report to A4 PDF', async () => {
    const context = await newContext(rig);
    const page = await context.newPage();
    await signIn(page, 'analyst@review.example');
    await page.goto(`${rig.origin}/reports/professionals/monitoring`);
    expect(await page.locator('.figures').innerText()).toMatch(/Submitted\s+14[\s\S]*In progress\s+2/);
    await screenshot(page, 'results-monitoring');
    await page.goto(
      `${rig.origin}/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&by=role-group`,
    );
    expect(await page.locator('table.crosstab thead').innerText()).toContain('Social work');
    await screenshot(page, 'results-crosstab-grouped');
    await page.goto(`${rig.origin}/reports/professionals/report`);
    await screenshot(page, 'results-report-screen');
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    await screenshot(page, 'results-report-print');
    const pdfPath = path.join(screenshotsDir, 'professionals-report.pdf');
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true, preferCSSPageSize: true });
    const pdf = fs.readFileSync(pdfPath, 'latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    expect((pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThanOrEqual(3);
    await context.close();
  });
});
