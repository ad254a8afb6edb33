import fs from 'node:fs';
import { answerText, random } from './dataset.js';

export const PASSWORD = 'bench password long';

/** One person's browser: keeps the session cookie, never follows redirects, reads the whole body. */
export class Client {
  private cookie = '';
  constructor(
    readonly origin: string,
    private readonly signal?: AbortSignal,
  ) {}

  async call(url: string, init: RequestInit = {}): Promise<{ response: Response; body: string }> {
    const response = await fetch(this.origin + url, {
      ...init,
      redirect: 'manual',
      signal: this.signal,
      headers: { ...((init.headers as Record<string, string>) ?? {}), cookie: this.cookie },
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    return { response, body: await response.text() };
  }

  /** A form post, as a browser sends it; `json` asks for the JSON answer the workbench script gets. */
  post(url: string, fields: Record<string, string | string[]>, { json = false } = {}) {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (json) headers.accept = 'application/json';
    return this.call(url, { method: 'POST', headers, body });
  }

  async login(email: string): Promise<void> {
    const page = await this.call('/login');
    const { response } = await this.post('/login', { email, password: PASSWORD, _csrf: csrfToken(page.body) });
    if (response.status !== 303 || response.headers.get('location')?.includes('/login'))
      throw new Error(`signing in as ${email} failed (${response.status})`);
  }
}

export const csrfToken = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

/** The answer after this one in the workbench page, from its "Next" link. */
export const nextAnswerId = (html: string) =>
  /id="next-answer" rel="next" href="[^"]*at=([a-f0-9]{24})"/.exec(html)?.[1];

/** The code buttons on a workbench page, each with the state pressing it asks for (on or off). */
export function codeToggles(html: string): { code: string; present: string }[] {
  return [...html.matchAll(/name="code" value="([^"]+)"><input type="hidden" name="present" value="([01])"/g)].map(
    (match) => ({ code: match[1]!, present: match[2]! }),
  );
}

/** Current and peak resident memory of a process, from /proc (Linux). */
export function memoryOf(pid: number): { nowMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { nowMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

const next = random(7);
const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;

/** What a respondent enters on each page of the professionals survey, by page id. */
function pageAnswers(pageId: string): Record<string, string | string[]> {
  const fields: Record<string, Record<string, string | string[]>> = {
    'about-you': {
      role: pick(['social-worker', 'team-manager', 'childrens-guardian']),
      country: pick(['england', 'wales', 'scotland']),
      experience: pick(['2-5', '6-10', 'over-10']),
    },
    region: { region: 'north-west' },
    'the-rise': {
      trend: 'increased',
      drivers: ['poverty'],
      drivers_text: answerText(next, 40 + Math.floor(next() * 80)),
    },
    partnership: { partnership_norm: 'yes', barriers_exist: pick(['yes', 'no']) },
    barriers: { barriers_text: answerText(next, 30) },
    'what-helps': { promoters_text: answerText(next, 40 + Math.floor(next() * 80)) },
    quoting: { quote_consent: pick(['yes', 'no']) },
  };
  return { ...(fields[pageId] ?? {}), action: 'continue' };
}

/**
 * One respondent through the public pages of the professionals survey, as a browser without
 * JavaScript goes: the start page, consent, every page shown (read, then answered), the check page,
 * submit and the thank-you page. Throws if any step answers other than a browser expects.
 */
export async function respondOnce(origin: string, signal?: AbortSignal): Promise<void> {
  const browser = new Client(origin, signal);
  const expect = (step: string, status: number, wanted: number) => {
    if (status !== wanted) throw new Error(`${step} answered ${status}`);
  };
  expect('start page', (await browser.call('/s/professionals')).response.status, 200);
  let { response } = await browser.post('/s/professionals', { consent: 'yes', action: 'continue' });
  expect('consent', response.status, 303);
  let location = response.headers.get('location') ?? '';
  const token = /\/r\/([^/?]+)/.exec(location)?.[1];
  for (let step = 0; step < 12 && !location.includes('/check'); step++) {
    const pageId = /\/p\/([^/?]+)/.exec(location)?.[1];
    if (!pageId) throw new Error(`unexpected step: ${location}`);
    expect(pageId, (await browser.call(location)).response.status, 200);
    ({ response } = await browser.post(location, pageAnswers(pageId)));
    expect(`${pageId} answers`, response.status, 303);
    location = response.headers.get('location') ?? '';
  }
  expect('check answers', (await browser.call(location)).response.status, 200);
  ({ response } = await browser.post(`/s/professionals/r/${token}/submit`, {}));
  expect('submit', response.status, 303);
  location = response.headers.get('location') ?? '';
  if (!location.endsWith('/done')) throw new Error(`submit went to ${location}`);
  expect('thank-you page', (await browser.call(location)).response.status, 200);
}
