import fs from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { summarise } from './dataset.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** In the page: when a key goes down (before the workbench script sees it), and how long until the pressed code shows the server's answer. */
interface BenchWindow {
  keyDownAt?: number;
  updatedAfter?: number | null;
}

/**
 * Key press to updated answer in headless Chromium: from the keydown event to the code button's
 * aria-pressed changing, which the workbench script does only with the state the server sent back
 * (fetch, the action, the JSON answer, the page updated). Codes 1-7 are put on, then off, in turn.
 */
export async function benchKeyPress(
  origin: string,
  workbenchUrl: string,
  account: { email: string; password: string },
  presses: number,
): Promise<void> {
  if (!fs.existsSync(chromiumPath)) {
    console.log(`key press to updated answer: skipped, no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`);
    return;
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${origin}/login`);
    await page.getByLabel('Email address').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.goto(origin + workbenchUrl);
    await page.evaluate(() =>
      window.addEventListener('keydown', (event) => ((window as BenchWindow).keyDownAt = event.timeStamp), true),
    );
    const times: Phases[] = [];
    for (let i = 0; i < presses; i++) times.push(await pressAndWait(page, String((i % 7) + 1)));
    console.log(
      summarise(
        `key press to updated answer (browser, ${presses} presses)`,
        times.map((phases) => phases.total),
      ),
    );
    // Where the time goes: the script before its request, the request (server included), the page update.
    console.log(
      summarise(
        '  of which key to request sent',
        times.map((phases) => phases.beforeRequest),
      ),
    );
    console.log(
      summarise(
        '  of which request to response (server)',
        times.map((phases) => phases.request),
      ),
    );
    console.log(
      summarise(
        '  of which response to page updated',
        times.map((phases) => phases.afterResponse),
      ),
    );
  } finally {
    await browser.close();
  }
}

interface Phases {
  total: number;
  beforeRequest: number;
  request: number;
  afterResponse: number;
}

async function pressAndWait(page: Page, key: string): Promise<Phases> {
  await page.evaluate((key) => {
    performance.clearResourceTimings();
    const bench = window as BenchWindow;
    bench.updatedAfter = null;
    const button = document.querySelector(`#codes form[data-code-key="${key}"] button`)!;
    const before = button.getAttribute('aria-pressed');
    const observer = new MutationObserver(() => {
      if (button.getAttribute('aria-pressed') === before) return;
      bench.updatedAfter = performance.now() - bench.keyDownAt!;
      observer.disconnect();
    });
    observer.observe(button, { attributes: true, attributeFilter: ['aria-pressed'] });
  }, key);
  await page.keyboard.press(key);
  await page.waitForFunction(() => (window as BenchWindow).updatedAfter, null, { timeout: 30_000 });
  return page.evaluate(() => {
    const bench = window as BenchWindow;
    const total = bench.updatedAfter!;
    const request = performance
      .getEntriesByType('resource')
      .filter((entry) => entry.name.endsWith('/codes'))
      .at(-1) as PerformanceResourceTiming;
    return {
      total,
      beforeRequest: request.startTime - bench.keyDownAt!,
      request: request.responseEnd - request.startTime,
      afterResponse: bench.keyDownAt! + total - request.responseEnd,
    };
  });
}
