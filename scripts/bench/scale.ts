import { projectRoot } from '../../server/config.js';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createUser } from '../../server/auth/service.js';
import { userModel } from '../../server/auth/user-model.js';
import { connectDatabase } from '../../server/db/connection.js';
import { startFerretDb } from '../../server/db/ferretdb.js';
import { prepareDatabase } from '../../server/startup.js';
import { kill, startAppProcess, type AppProcess } from '../app-process.js';
import { percentile, promotersQuestion, seedAnswers, seedCodings } from './dataset.js';
import { codingWhileCollecting } from './scale-collect.js';
import { Client, codeToggles, csrfToken, memoryOf } from './scale-client.js';

const ANSWERS = Number(process.env.BENCH_ANSWERS ?? 100_000);
const CODINGS = Number(process.env.BENCH_CODINGS ?? 300_000);

const emails = {
  lead: 'lead@review.example',
  analyst: 'analyst@review.example',
  other: 'other@review.example',
};
const questions = [
  { url: '/work/professionals/drivers_text', view: 'codebook=care-crisis-drivers' },
  { url: '/work/professionals/promoters_text', view: 'codebook=partnership-promoters' },
];
const themes = '/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&by=group';

const seconds = (since: number) => (performance.now() - since) / 1000;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

/**
 * Issue 14's goals at BENCH_ANSWERS answers with BENCH_CODINGS codings on each of two open
 * questions (drivers_text and promoters_text of the professionals survey), the app in its own
 * process on FerretDB, restarted (SIGTERM, then started again) before each "after a restart":
 * (a) the workbench's first open, (b) the theme summary's first request, (c) the app's memory with
 * both questions open in the workbench, (d) next answer and save while collecting (scale-collect.ts).
 */
export async function benchScale(): Promise<void> {
  const runStarted = performance.now();
  // The app runs as `npm start` runs it, compiled (tsx alone holds some 30 MB more).
  execFileSync(process.execPath, [path.join(projectRoot, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
  const database = await startFerretDb({ dataDir });
  const uri = `${database.uri}bench_scale`;
  const env = {
    MONGODB_URI: uri,
    NODE_ENV: 'production',
    LOG_REQUESTS: 'off',
    RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
  };
  let app: AppProcess | undefined;
  const restart = async () => {
    if (app) await kill(app, 'SIGTERM');
    const started = performance.now();
    app = await startAppProcess(env, { echoErrors: true, compiled: true });
    const lead = new Client(app.url);
    await lead.login(emails.lead);
    return { lead, pid: app.child.pid!, startSeconds: seconds(started) };
  };
  const open = async (client: Client, url: string) => {
    const started = performance.now();
    const { response, body } = await client.call(url);
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    return { body, seconds: seconds(started) };
  };
  try {
    const started = performance.now();
    const connection = await connectDatabase(uri);
    await prepareDatabase(connection);
    const users = userModel(connection);
    await createUser(users, { email: emails.lead, password: 'bench password long', role: 'lead' });
    const analyst = await createUser(users, {
      email: emails.analyst,
      password: 'bench password long',
      role: 'analyst',
    });
    const other = await createUser(users, { email: emails.other, password: 'bench password long', role: 'analyst' });
    const ids = await seedAnswers(connection, ANSWERS, 1, { secondOpenQuestion: true });
    await seedCodings(connection, ids, [other.id, analyst.id], CODINGS);
    await seedCodings(connection, ids, [other.id, analyst.id], CODINGS, 3, promotersQuestion);
    await connection.close();
    console.log(
      `dataset: ${ANSWERS} answers to each of 2 open questions, ${CODINGS} codings on each, FerretDB 1.24 (SQLite), built in ${seconds(started).toFixed(1)} s`,
    );

    // The app's life before the restarts: both questions opened and coded, the theme summary read.
    let { lead } = await restart();
    for (const question of questions) {
      const { body } = await open(lead, `${question.url}?${question.view}`);
      const at = /\/([a-f0-9]{24})\/codes"/.exec(body)?.[1];
      const toggle = codeToggles(body)[0];
      if (at && toggle)
        await lead.post(`${question.url}/${at}/codes`, {
          _csrf: csrfToken(body),
          ...toggle,
          view: question.view,
        });
    }
    await open(lead, themes);

    // (a) and (c): restarted, the first question opened, then the second, then the memory.
    const afterRestart = await restart();
    lead = afterRestart.lead;
    const firstOpen = await open(lead, `${questions[0]!.url}?${questions[0]!.view}`);
    const secondOpen = await open(lead, `${questions[1]!.url}?${questions[1]!.view}`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const memory = memoryOf(afterRestart.pid);
    console.log(
      `(a) restarted (listening after ${afterRestart.startSeconds.toFixed(1)} s); workbench first open, drivers_text: ${firstOpen.seconds.toFixed(2)} s; then promoters_text: ${secondOpen.seconds.toFixed(2)} s`,
    );
    console.log(
      `(c) app memory with both questions open: rss ${memory.nowMb.toFixed(0)} MB (3 s after the second opened), peak ${memory.peakMb.toFixed(0)} MB`,
    );

    // (b): restarted, the theme summary is the first request; then warm.
    const forThemes = await restart();
    const themesFirst = await open(forThemes.lead, themes);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push((await open(forThemes.lead, themes)).seconds * 1000);
    console.log(
      `(b) restarted (listening after ${forThemes.startSeconds.toFixed(1)} s); theme summary + role cross-tab, first request: ${themesFirst.seconds.toFixed(2)} s; warm median ${percentile(
        warm.sort((x, y) => x - y),
        50,
      ).toFixed(0)} ms`,
    );
    await kill(app!, 'SIGTERM');
    app = undefined;

    // (d): two fresh processes, submissions arriving, both analysts coding.
    const collected = await codingWhileCollecting(env, ids, { analyst: emails.analyst, other: emails.other });
    for (const line of collected.lines) console.log(`(d) ${line}`);
    /**
     * The p99 of an action, and its median and p95; a request cut off unanswered counts as at least
     * the time it had waited (the figure is then a lower bound, marked >=).
     */
    const figures = (action: 'next' | 'save', samples: number[]) => {
      const waited = collected.cutOff?.action === action ? collected.cutOff.ms : undefined;
      const sorted = [...samples, ...(waited === undefined ? [] : [waited])].sort((x, y) => x - y);
      const p99 = percentile(sorted, 99);
      const bound = waited !== undefined && p99 >= waited ? '>= ' : '';
      const few = samples.length < 200 ? ', fewer than 200: each took too long' : '';
      return {
        text: `${bound}${p99.toFixed(1)} ms (goal < 50 ms) ${verdict(p99 < 50)} [n=${samples.length}${waited === undefined ? '' : ' + 1 cut off'}${few}; median ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms]`,
      };
    };

    console.log(`\ngoals at ${ANSWERS} answers / ${CODINGS} codings (issue 14):`);
    console.log(
      `(a) first open after restart: ${firstOpen.seconds.toFixed(1)} s (goal < 5 s) ${verdict(firstOpen.seconds < 5)}`,
    );
    console.log(
      `(b) theme summary first request after restart: ${themesFirst.seconds.toFixed(1)} s (goal < 2 s) ${verdict(themesFirst.seconds < 2)}`,
    );
    console.log(
      `(c) app memory, two questions open: ${memory.nowMb.toFixed(0)} MB RSS, peak ${memory.peakMb.toFixed(0)} MB (goal < 500 MB) ${verdict(memory.nowMb < 500)}`,
    );
    console.log(`(d) next answer while collecting, p99: ${figures('next', collected.next).text}`);
    console.log(`(d) save while collecting, p99: ${figures('save', collected.save).text}`);
    console.log(`whole run: ${(seconds(runStarted) / 60).toFixed(1)} min`);
  } finally {
    if (app) await kill(app, 'SIGTERM');
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
