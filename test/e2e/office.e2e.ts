import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, addUser, seedResponses } from '../helpers/office.js';
import { newContext, screenshot, screenshotsDir, startRig, type BrowserRig } from './browser.js';

let rig: BrowserRig;
let ids: string[];
beforeAll(async () => {
  rig = await startRig();
  await addUser(rig.testApp, 'coder@review.example', 'admin');
  const texts = [
    'Austerity: cuts to early help and universal credit pushed families into crisis.',
    'Caseloads are huge and thresholds keep rising.',
    'Agency staff and newly qualified social workers with little supervision.',
    'Fear of blame after high-profile deaths makes managers risk averse.',
    'Better recognition of neglect and county lines exploitation.',
    'Interpreters are rarely booked for families who speak little English.',
  ];
  ids = await seedResponses(
    rig.testApp,
    'professionals',
    texts.map((drivers_text, index) => ({
      role: index % 2 ? 'social-worker' : 'barrister',
      country: 'england',
      quote_consent: 'yes',
      drivers_text,
    })),
  );
});
afterAll(async () => rig.close());

describe('the back office in a real browser', () => {
  it('codes answers with the keyboard alone in the workbench', async () => {
    const context = await newContext(rig);
    const page = await context.newPage();
    await page.goto(`${rig.origin}/work/professionals/drivers_text?codebook=care-crisis-drivers`);
    // Signing in, keyboard only: Tab past the skip link to the email field.
    for (
      let presses = 0;
      presses < 10 && !(await page.evaluate(() => document.activeElement?.id === 'email'));
      presses++
    )
      await page.keyboard.press('Tab');
    await page.keyboard.type('coder@review.example');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(page.url()).toContain('/work/professionals/drivers_text');
    const press = async (key: string) => Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
    // Coding keys update the answer in place: wait for the page to show what the server confirmed.
    const code = async (key: string) => {
      const before = await page.evaluate(() => document.getElementById('work-status')!.textContent);
      await page.keyboard.press(key);
      await page.waitForFunction((text) => document.getElementById('work-status')!.textContent !== text, before);
    };
    await code('a'); // accept the top suggestion: austerity
    await press('j');
    await code('1'); // system overload
    await press('j');
    await code('6'); // workforce
    await code('s'); // star as a quote
    await press('j');
    await code('a');
    await screenshot(page, 'workbench-keyboard');
    expect(await page.locator('#progress').innerText()).toContain('Coded 4 of 6');
    await press('k');
    expect(await page.locator('#answer-text').innerText()).toContain('Agency staff');
    const codes = await rig.testApp.connection.collection('codingevents').find({ present: true }).toArray();
    expect(codes.map((event) => [ids.indexOf(event.responseId), event.codeId]).sort()).toEqual([
      [0, 'austerity'],
      [1, 'system-overload'],
      [2, 'workforce'],
      [3, 'risk-aversion'],
    ]);
    await page.setViewportSize({ width: 375, height: 740 });
    await screenshot(page, 'workbench-phone');
    await context.close();
  });

  it('downloads the theme summary and prints the theme report to PDF', async () => {
    const context = await newContext(rig);
    const page = await context.newPage();
    await page.goto(`${rig.origin}/login`);
    await page.getByLabel('Email address').fill('coder@review.example');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.goto(`${rig.origin}/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&by=group`);
    await screenshot(page, 'report-themes');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV' }).click(),
    ]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toBe('professionals-drivers_text-themes-by-role.csv');
    expect(csv.split('\r\n')[0]).toContain('code_id,code_name,count,percent,base');
    // Four of the six answers were coded by keyboard above: they are the base, and the figures are provisional.
    expect(csv).toMatch(/\r\nausterity,"Austerity, cuts and deprivation",\d+,[\d.]+,4,6,0,yes,/);

    await page.goto(`${rig.origin}/reports/professionals/report`);
    await screenshot(page, 'report-theme-report');
    const pdfPath = path.join(screenshotsDir, 'theme-report.pdf');
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    const pdf = fs.readFileSync(pdfPath);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5_000);
    await context.close();
  });
});
