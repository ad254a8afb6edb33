import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot } from '../../server/config.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

export const screenshotsDir = path.join(projectRoot, 'test-output', 'screens', 'e2e');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserRig {
  testApp: TestApp;
  origin: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The app listening on loopback, and Debian's Chromium (headless, no network beyond this machine). */
export async function startRig(): Promise<BrowserRig> {
  if (!fs.existsSync(chromiumPath))
    throw new Error(`Chromium not found at ${chromiumPath}: install Debian's chromium package or set CHROMIUM_PATH`);
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const testApp = await startTestApp();
  const server = await new Promise<Server>((resolve) => {
    const listening = testApp.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    testApp,
    origin,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await testApp.close();
    },
  };
}

export const viewports = { desktop: { width: 1280, height: 900 }, phone: { width: 375, height: 740 } } as const;

export async function newContext(
  rig: BrowserRig,
  options: { viewport?: keyof typeof viewports; javaScript?: boolean; axe?: boolean } = {},
): Promise<BrowserContext> {
  return rig.browser.newContext({
    viewport: viewports[options.viewport ?? 'desktop'],
    javaScriptEnabled: options.javaScript ?? true,
    // axe is injected as a script; the app's CSP would (rightly) refuse it otherwise.
    bypassCSP: options.axe ?? false,
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's WCAG 2.2 A and AA rules on the page as it is now. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => ({ target: node.target as string[] })),
    }));
  });
}
