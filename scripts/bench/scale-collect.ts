import { setMaxListeners } from 'node:events';
import { kill, startAppProcess, type AppProcess } from '../app-process.js';
import { percentile, summarise as summariseSamples } from './dataset.js';
import { Client, codeToggles, csrfToken, memoryOf, nextAnswerId, respondOnce } from './scale-client.js';

const SECONDS = Number(process.env.BENCH_COLLECT_SECONDS ?? 60);
const MIN_SAMPLES = Number(process.env.BENCH_COLLECT_SAMPLES ?? 200);
const MAX_SECONDS = Math.max(SECONDS, Number(process.env.BENCH_COLLECT_MAX_SECONDS ?? 300));
const OTHER_SAVE_MS = Number(process.env.BENCH_OTHER_SAVE_MS ?? 500);
const SUBMIT_MS = Number(process.env.BENCH_SUBMIT_MS ?? 1000);

const base = '/work/professionals/drivers_text';
const summarise = (label: string, samples: number[]) =>
  samples.length > 0 ? summariseSamples(label, samples) : `${label}: n=0 (none answered)`;
const view = 'codebook=care-crisis-drivers';

interface Times {
  next: number[];
  save: number[];
  /** The request being waited for: which action, since when. */
  waiting?: { action: 'next' | 'save'; since: number };
}

export interface CollectResult {
  next: number[];
  save: number[];
  /** A request still unanswered when the run was cut off: a lower bound on its time. */
  cutOff?: { action: 'next' | 'save'; ms: number };
  lines: string[];
}

/**
 * One coder working through the question on one app process: each step opens the answer (the
 * page the "Next" link leads to) and presses one of its code buttons, which always changes
 * something (the button asks for the opposite of the code's state), saved as the workbench script
 * saves it (asking for the answer's new state as JSON). Timed from request to the last byte.
 */
async function codeAlong(
  coder: Client,
  startAt: string,
  keepGoing: () => boolean,
  pauseMs: number,
  times: Times,
): Promise<void> {
  let at = startAt;
  const first = await coder.call(`${base}?${view}&at=${at}`);
  if (first.response.status !== 200) throw new Error(`workbench answered ${first.response.status}`);
  const csrf = csrfToken(first.body);
  for (let step = 0; keepGoing(); step++) {
    const stepStarted = performance.now();
    let started = performance.now();
    times.waiting = { action: 'next', since: started };
    const page = await coder.call(`${base}?${view}&at=${at}`);
    if (page.response.status !== 200) throw new Error(`next answer answered ${page.response.status}`);
    times.next.push(performance.now() - started);
    const toggles = codeToggles(page.body);
    const toggle = toggles[step % toggles.length];
    if (!toggle) throw new Error('no code buttons on the workbench page');
    started = performance.now();
    times.waiting = { action: 'save', since: started };
    const saved = await coder.post(
      `${base}/${at}/codes`,
      { _csrf: csrf, code: toggle.code, present: toggle.present, view },
      { json: true },
    );
    if (saved.response.status !== 200) throw new Error(`saving a coding answered ${saved.response.status}`);
    times.save.push(performance.now() - started);
    times.waiting = undefined;
    at = nextAnswerId(page.body) ?? startAt;
    const rest = pauseMs - (performance.now() - stepStarted);
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
  }
}

/**
 * Goal (d): two app processes on one database. Respondents submit through the public pages, one
 * every SUBMIT_MS, alternately to either process; a second analyst on the second process codes the
 * same question continuously (one answer opened and one code saved every OTHER_SAVE_MS at most);
 * the analyst on the first process, whose times are the figures, codes one answer after another
 * with no pause. Runs SECONDS, longer if that gave fewer than MIN_SAMPLES of each action, never
 * past MAX_SECONDS (requests still unanswered then are counted, not timed).
 */
export async function codingWhileCollecting(
  env: Record<string, string>,
  ids: string[],
  emails: { analyst: string; other: string },
): Promise<CollectResult> {
  const apps: AppProcess[] = [];
  const stop = new AbortController();
  // One signal goes with every request of the run: thousands of them, each listening until it ends.
  setMaxListeners(0, stop.signal);
  try {
    apps.push(await startAppProcess(env, { echoErrors: true, compiled: true }));
    apps.push(await startAppProcess(env, { echoErrors: true, compiled: true }));
    const [first, second] = apps as [AppProcess, AppProcess];
    const analyst = new Client(first.url, stop.signal);
    const other = new Client(second.url, stop.signal);
    await analyst.login(emails.analyst);
    await other.login(emails.other);
    // Both processes read the question before collecting starts: the first opens are goal (a)'s.
    let started = performance.now();
    await Promise.all([analyst.call(`${base}?${view}`), other.call(`${base}?${view}`)]);
    const warm = (performance.now() - started) / 1000;

    const mine: Times = { next: [], save: [] };
    const theirs: Times = { next: [], save: [] };
    const submissions = { sent: 0, done: 0, failed: [] as string[], took: [] as number[] };
    started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    let collecting = true;
    const hardStop = setTimeout(() => stop.abort(), MAX_SECONDS * 1000);
    const pending: Promise<void>[] = [];
    const arrivals = setInterval(() => {
      const target = apps[submissions.sent++ % 2]!;
      const t = performance.now();
      pending.push(
        respondOnce(target.url, stop.signal).then(
          () => void (submissions.done++, submissions.took.push(performance.now() - t)),
          (error: Error & { cause?: { code?: string; message?: string } }) =>
            void submissions.failed.push(
              error.cause ? `${error.message}: ${error.cause.code ?? error.cause.message}` : error.message,
            ),
        ),
      );
    }, SUBMIT_MS);
    const otherCoding = codeAlong(
      other,
      ids[Math.floor(ids.length / 2)]!,
      () => collecting,
      OTHER_SAVE_MS,
      theirs,
    ).then(
      () => undefined,
      (error: Error) => error,
    );
    const enough = () => mine.next.length >= MIN_SAMPLES && mine.save.length >= MIN_SAMPLES;
    let cutOff: CollectResult['cutOff'];
    try {
      await codeAlong(analyst, ids[0]!, () => elapsed() < SECONDS || (!enough() && elapsed() < MAX_SECONDS), 0, mine);
    } catch (error) {
      if (!stop.signal.aborted || !mine.waiting) throw error;
      cutOff = { action: mine.waiting.action, ms: performance.now() - mine.waiting.since };
    }
    collecting = false;
    const seconds = elapsed();
    clearInterval(arrivals);
    const memory = memoryOf(first.child.pid!);
    const otherFailed = await otherCoding;
    if (otherFailed && !stop.signal.aborted) throw otherFailed;
    await Promise.all(pending);
    clearTimeout(hardStop);
    const aborted = submissions.failed.filter((message) => /abort/i.test(message)).length;
    const failed = submissions.failed.filter((message) => !/abort/i.test(message));
    const took = [...submissions.took].sort((a, b) => a - b);
    const lines = [
      `coding while collecting: both processes read the question in ${warm.toFixed(1)} s (not timed below); then ${seconds.toFixed(0)} s of collecting` +
        (cutOff
          ? `; the run was cut off at ${MAX_SECONDS} s with the analyst's ${cutOff.action === 'next' ? 'next answer' : 'save'} unanswered after ${(cutOff.ms / 1000).toFixed(1)} s`
          : ''),
      `  submissions through the public pages: ${submissions.sent} started, ${submissions.done} acknowledged (${(submissions.done / seconds).toFixed(2)}/s), ${failed.length} failed${failed.length ? ` (${[...new Set(failed)].slice(0, 3).join('; ')})` : ''}, ${aborted} cut off at the end; a whole survey took median ${percentile(took, 50).toFixed(0)} ms, p99 ${percentile(took, 99).toFixed(0)} ms`,
      `  ${summarise('second process, the other analyst: save', theirs.save)}`,
      `  ${summarise('first process, the analyst: next answer (page, HTML included)', mine.next)}`,
      `  ${summarise('first process, the analyst: save a coding (JSON, as the workbench script)', mine.save)}`,
      `  first process memory: rss ${memory.nowMb.toFixed(0)} MB, peak ${memory.peakMb.toFixed(0)} MB`,
    ];
    if (failed.length > 0) process.exitCode = 1;
    return { next: mine.next, save: mine.save, ...(cutOff ? { cutOff } : {}), lines };
  } finally {
    stop.abort();
    for (const app of apps) await kill(app, 'SIGTERM');
  }
}
