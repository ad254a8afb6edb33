import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newContext, screenshot, startRig, type BrowserRig } from './browser.js';

let rig: BrowserRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => rig.close());

const group = (page: Page, question: string) => page.getByRole('group', { name: question });
const next = (page: Page) => page.getByRole('button', { name: 'Continue' }).click();

/** The professionals survey by mouse, England and "Other" role included, screenshotting every page. */
async function professionals(page: Page, prefix: string) {
  let n = 0;
  const shot = (name: string) => screenshot(page, `${prefix}-${String(++n).padStart(2, '0')}-${name}`);
  await page.goto(`${rig.origin}/`);
  await shot('home');
  await page.getByRole('link', { name: 'Professionals survey' }).click();
  await shot('consent');
  await next(page);
  expect(await page.getByRole('alert').innerText()).toContain('Tick the box to say you agree to take part.');
  await shot('consent-error');
  await page.getByLabel('Yes, I agree').check();
  await next(page);
  await group(page, 'Which best describes your role?').getByLabel('Other (please say)').check();
  await page.getByLabel('If you chose Other, please say what').fill('Play therapist');
  await group(page, 'Where do you mainly work?').getByLabel('England').check();
  await group(page, 'How many years have you been practising since qualifying?').getByLabel('More than 10').check();
  await shot('about-you');
  await next(page);
  await group(page, 'Which region?').getByLabel('North West').check();
  await shot('region');
  await next(page);
  await group(page, 'Over the last two years, have care applications in your area...').getByLabel('Increased').check();
  await page.getByLabel('Poverty and deprivation').check();
  await page
    .getByLabel('In your own words, what is driving the rise in care proceedings and children in care?')
    .fill('Cuts to early help; families reach crisis.');
  await shot('the-rise');
  await next(page);
  await group(page, 'Are there barriers to working in partnership with families in your area?')
    .getByLabel('Yes')
    .check();
  await shot('partnership');
  await next(page);
  await page.getByLabel('What are the barriers?').fill('Caseloads.');
  await shot('barriers');
  await next(page);
  await page.getByLabel('What helps, or would help, partnership working with families?').fill('Time.');
  await shot('what-helps');
  await next(page);
  await group(page, 'May we quote your words, without your name, attributed only to your role?')
    .getByLabel('Yes')
    .check();
  await shot('quoting');
  await next(page);
  expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('Check your answers before sending');
  expect(await page.getByText('Other (please say): Play therapist').isVisible()).toBe(true);
  await shot('check');
  await page.getByRole('button', { name: 'Send my answers' }).click();
  expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe(
    'Thank you: your answers have been sent',
  );
  await shot('thanks');
}

describe('surveys in a real browser', () => {
  it('completes the professionals survey on a desktop and on a phone', async () => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const context = await newContext(rig, { viewport });
      await professionals(await context.newPage(), `professionals-${viewport}`);
      await context.close();
    }
    expect(
      await rig.testApp.responses.countDocuments({
        surveyId: 'professionals',
        status: 'submitted',
        'otherText.role': 'Play therapist',
        'answers.region': 'north-west',
      }),
    ).toBe(2);
  });

  it('completes the family survey with JavaScript off, and resumes from the private link in another browser', async () => {
    const context = await newContext(rig, { javaScript: false, viewport: 'phone' });
    const page = await context.newPage();
    await page.goto(`${rig.origin}/s/family`);
    await page.getByLabel('Yes, I agree').check();
    await next(page);
    await group(page, 'How are you related to the child or children?').getByLabel('Grandparent').check();
    await group(page, 'Are you, or have you been, caring for a child who could not live with their parents?')
      .getByLabel('Yes')
      .check();
    await group(page, 'Where do you live?').getByLabel('Wales').check();
    await next(page);
    await page.getByLabel('Special guardianship order').check();
    await page.getByRole('button', { name: 'Save and come back later' }).click();
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('Your answers are saved');
    await screenshot(page, 'family-nojs-saved');
    // Without JavaScript (and no PUBLIC_URL set) the link to bookmark is the way back; it resolves in full.
    const link = await page
      .getByRole('link', { name: 'Your private link, to bookmark or copy' })
      .evaluate((anchor) => (anchor as HTMLAnchorElement).href);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/family\/r\//);
    await context.close();

    const later = await newContext(rig, { javaScript: false });
    const resumed = await later.newPage();
    await resumed.goto(link);
    expect((await resumed.getByRole('heading', { level: 1 }).innerText()).trim()).toBe('What happened');
    expect(await resumed.getByLabel('Special guardianship order').isChecked()).toBe(true);
    await next(resumed);
    await next(resumed);
    await resumed
      .getByLabel('What help did your family need that you did not get?')
      .fill('Advice about kinship care, early.');
    await next(resumed);
    await group(resumed, 'May we quote your words, without your name?').getByLabel('No').check();
    await next(resumed);
    await resumed.getByRole('button', { name: 'Send my answers' }).click();
    expect((await resumed.getByRole('heading', { level: 1 }).innerText()).trim()).toBe(
      'Thank you: your answers have been sent',
    );
    await screenshot(resumed, 'family-nojs-thanks');
    await later.close();
    expect(
      await rig.testApp.responses.countDocuments({
        surveyId: 'family',
        status: 'submitted',
        'answers.involvement': 'special-guardianship-order',
      }),
    ).toBe(1);
  });

  it('completes the care-experienced survey with the keyboard alone', async () => {
    const context = await newContext(rig);
    const page = await context.newPage();
    /** Tabs forward until `selector` has focus, as a keyboard user would. */
    const tabTo = async (selector: string) => {
      for (let presses = 0; presses < 80; presses++) {
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Could not reach ${selector} with Tab`);
    };
    const continueWithKeyboard = async () => {
      await tabTo('button[value="continue"]');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    };
    await page.goto(`${rig.origin}/s/care-experienced`);
    await tabTo('#consent');
    await page.keyboard.press('Space');
    await continueWithKeyboard();
    await tabTo('input[name="age_band"]');
    await page.keyboard.press('ArrowDown');
    await tabTo('#placements--foster-care');
    await page.keyboard.press('Space');
    await continueWithKeyboard();
    await tabTo('#change_text');
    await page.keyboard.type('Keep brothers and sisters together.');
    await continueWithKeyboard();
    await tabTo('input[name="quote_consent"]');
    await page.keyboard.press('Space');
    await continueWithKeyboard();
    await tabTo('button[type="submit"]');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe(
      'Thank you: your answers have been sent',
    );
    await screenshot(page, 'care-experienced-keyboard-thanks');
    await context.close();
    const stored = await rig.testApp.responses.findOne({ surveyId: 'care-experienced', status: 'submitted' }).lean();
    expect(stored?.answers).toMatchObject({
      age_band: '25-34',
      placements: ['foster-care'],
      change_text: 'Keep brothers and sisters together.',
      quote_consent: 'yes',
    });
  });
});
