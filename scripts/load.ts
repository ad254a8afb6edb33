import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../server/config.js';
import { kill, startAppProcess } from './app-process.js';
import { connectDatabase } from '../server/db/connection.js';
import { startFerretDb } from '../server/db/ferretdb.js';
import { responseModel } from '../server/surveys/responses/model.js';
import { isVisible, type Answers } from '../server/surveys/flow.js';
import { loadSurveys } from '../server/surveys/registry.js';

/**
 * `npm run load`: concurrent respondents fill in the care-experienced survey page by page (drafts
 * saved at each page) against the app on loopback, for a bounded time, in two phases:
 *
 * 1. Respondents who read: each waits a random 0.5 to 1.5 x LOAD_THINK_MS (1 s) before every
 *    request, as people do (real ones take far longer over a page). This is the goal's measure.
 * 2. A stress run with autocannon: each connection sends its next request the moment the last is
 *    answered, which shows the ceiling of this machine rather than what respondents would feel.
 *
 * Then the database is checked: every acknowledged submission stored exactly once and complete.
 */
const RESPONDENTS = Number(process.env.LOAD_CONNECTIONS ?? 200);
const SECONDS = Math.min(120, Number(process.env.LOAD_SECONDS ?? 30));
const THINK_MS = Number(process.env.LOAD_THINK_MS ?? 1000);
const STRESS_SECONDS = Math.min(120, Number(process.env.LOAD_STRESS_SECONDS ?? SECONDS));

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-'));
const database = process.env.MONGODB_URI ? undefined : await startFerretDb({ dataDir });
const uri = process.env.MONGODB_URI ?? `${database!.uri}load_${Date.now()}`;
const app = await startAppProcess(
  { MONGODB_URI: uri, HOST: '127.0.0.1', NODE_ENV: 'production', RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000' },
  { echoErrors: true },
);
const origin = app.url;

const form = (fields: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) params.append(name, item);
  return params.toString();
};
const pages: Record<string, string | string[]>[] = [
  {
    age_band: '25-34',
    years_in_care: 'over-5',
    placements: ['foster-care', 'residential'],
    country: 'wales',
    action: 'continue',
  },
  {
    listened_text: 'Reviews happened around me. Nobody asked what I wanted.',
    change_text: 'Keep brothers and sisters together.',
    action: 'continue',
  },
  { quote_consent: 'yes', action: 'continue' },
];
const acknowledged = new Set<string>();
/** The response id in each private link handed out: a stored response with any other id would be a copy. */
const issued = new Set<string>();
const unexpected = new Map<string, number>();
type Context = Record<string, unknown> & { location?: string; token?: string };
const headers = { 'content-type': 'application/x-www-form-urlencoded' };
/** Counts an answer that was not the one a browser following the survey expects at this step. */
const countUnexpected = (step: string, status: number) =>
  unexpected.set(`${step}: ${status}`, (unexpected.get(`${step}: ${status}`) ?? 0) + 1);
const expect303 =
  (step: string) => (status: number, _body: string, context: Context, responseHeaders: Record<string, string>) => {
    if (status !== 303) countUnexpected(step, status);
    context.location = responseHeaders.location ?? responseHeaders.Location;
  };

const follow = (request: { path: string }, context: Context) =>
  context.location ? { ...request, path: context.location } : undefined;
const expect200 = (step: string) => (status: number) => {
  if (status !== 200) countUnexpected(step, status);
};

/** Phase 1: one respondent's way through the survey, with a pause before every request. */
async function respondentWhoReads(deadline: number, latencies: number[]): Promise<number> {
  let failures = 0;
  const think = () => new Promise((resolve) => setTimeout(resolve, THINK_MS * (0.5 + Math.random())));
  const send = async (step: string, expected: number, url: string, body?: string): Promise<string | undefined> => {
    await think();
    const started = performance.now();
    try {
      const response = await fetch(origin + url, {
        method: body === undefined ? 'GET' : 'POST',
        redirect: 'manual',
        ...(body === undefined ? {} : { headers, body }),
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      if (response.status !== expected) countUnexpected(step, response.status);
      return response.headers.get('location') ?? undefined;
    } catch {
      failures++;
      return undefined;
    }
  };
  while (Date.now() < deadline) {
    await send('start page', 200, '/s/care-experienced');
    let location = await send('consent', 303, '/s/care-experienced', form({ consent: 'yes' }));
    const token = /\/r\/([^/]+)\//.exec(location ?? '')?.[1];
    if (!token) continue;
    issued.add(token.slice(0, 24));
    for (const [index, fields] of pages.entries()) {
      if (!location || Date.now() >= deadline) break;
      await send(`page ${index + 2}`, 200, location);
      location = await send(`page ${index + 2} answers`, 303, location, form(fields));
    }
    if (!location || Date.now() >= deadline) break;
    await send('check answers', 200, location);
    const done = await send('submit', 303, `/s/care-experienced/r/${token}/submit`, '');
    if (done?.endsWith('/done')) acknowledged.add(token);
    if (done) await send('thank-you page', 200, done);
  }
  return failures;
}

const percentile = (sorted: number[], p: number) =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
const readingStarted = Date.now();
const readingLatencies: number[] = [];
const readingFailures = (
  await Promise.all(
    Array.from({ length: RESPONDENTS }, () => respondentWhoReads(readingStarted + SECONDS * 1000, readingLatencies)),
  )
).reduce((a, b) => a + b, 0);
const readingSeconds = (Date.now() - readingStarted) / 1000;
const readingCompleted = acknowledged.size;
const readingErrors = readingFailures + [...unexpected.values()].reduce((a, b) => a + b, 0);
readingLatencies.sort((a, b) => a - b);

// Phase 2: a browser's way through at full speed. Each POST answers with a redirect, which the next GET follows.
const stress =
  STRESS_SECONDS <= 0
    ? undefined
    : await autocannon({
        url: origin,
        connections: RESPONDENTS,
        duration: STRESS_SECONDS,
        timeout: 30,
        requests: [
          { method: 'GET', path: '/s/care-experienced', onResponse: expect200('start page') },
          {
            method: 'POST',
            path: '/s/care-experienced',
            headers,
            body: form({ consent: 'yes' }),
            onResponse: (status, body, context: Context, h) => {
              expect303('consent')(status, body, context, h);
              context.token = /\/r\/([^/]+)\//.exec(context.location ?? '')?.[1];
              if (context.token) issued.add(context.token.slice(0, 24));
            },
          },
          ...pages.flatMap((fields, index) => [
            { method: 'GET' as const, setupRequest: follow, onResponse: expect200(`page ${index + 2}`) },
            {
              method: 'POST' as const,
              headers,
              body: form(fields),
              setupRequest: follow,
              onResponse: expect303(`page ${index + 2} answers`),
            },
          ]),
          { method: 'GET', setupRequest: follow, onResponse: expect200('check answers') },
          {
            method: 'POST',
            headers,
            body: '',
            setupRequest: (request: { path: string }, context: Context) =>
              context.token ? { ...request, path: `/s/care-experienced/r/${context.token}/submit` } : undefined,
            onResponse: (status: number, body: string, context: Context, h: Record<string, string>) => {
              expect303('submit')(status, body, context, h);
              if (status === 303 && context.location?.endsWith('/done') && context.token)
                acknowledged.add(context.token);
            },
          },
          { method: 'GET', setupRequest: follow, onResponse: expect200('thank-you page') },
        ],
      });

await kill(app, 'SIGTERM');

const connection = await connectDatabase(uri);
const responses = responseModel(connection);
const survey = loadSurveys(path.join(projectRoot, 'server', 'surveys', 'definitions')).get('care-experienced')!;
let missing = 0;
let halfWritten = 0;
let duplicated = 0;
const submitted = await responses.find({ surveyId: 'care-experienced', status: 'submitted' }, { answers: 1 }).lean();
const submittedIds = new Map(submitted.map((response) => [String(response._id), response]));
for (const token of acknowledged) if (!submittedIds.has(token.slice(0, 24))) missing++;
for (const response of submitted) {
  if (!issued.has(String(response._id))) duplicated++;
  const answers = response.answers as Answers;
  if (
    survey.questions.some(
      (question) => question.required && isVisible(question, answers) && answers[question.id] === undefined,
    )
  )
    halfWritten++;
}
const drafts = await responses.countDocuments({ surveyId: 'care-experienced', status: 'draft' });
await connection.close();
await database?.stop();
fs.rmSync(dataDir, { recursive: true, force: true });

const stressErrors = stress
  ? [...unexpected.values()].reduce((a, b) => a + b, 0) -
    (readingErrors - readingFailures) +
    stress.errors +
    stress.timeouts
  : 0;
const unexpectedList =
  unexpected.size > 0
    ? `; unexpected answers: ${[...unexpected.entries()].map(([k, v]) => `${k} x${v}`).join(', ')}`
    : '';
console.log(
  `load on ${database ? 'FerretDB 1.24 (SQLite)' : 'MONGODB_URI'}, loopback only, ${os.cpus().length} CPUs shared by the app, the database and the load generator`,
);
console.log(
  `1. ${RESPONDENTS} concurrent respondents who read for ${SECONDS} s (a pause of ${THINK_MS / 2}-${THINK_MS * 1.5} ms before each request):`,
);
console.log(
  `   requests: ${readingLatencies.length} (${(readingLatencies.length / readingSeconds).toFixed(0)}/s); completed surveys: ${readingCompleted} (${(readingCompleted / readingSeconds).toFixed(1)}/s)`,
);
console.log(
  `   latency per page: p50 ${percentile(readingLatencies, 50)} ms, p90 ${percentile(readingLatencies, 90)} ms, p99 ${percentile(readingLatencies, 99)} ms, max ${Math.round(readingLatencies.at(-1) ?? 0)} ms`,
);
console.log(`   errors: ${readingErrors} (failed connections ${readingFailures})`);
if (stress) {
  console.log(
    `2. stress: ${RESPONDENTS} connections for ${STRESS_SECONDS} s, each sending its next request as soon as the last is answered (autocannon):`,
  );
  console.log(
    `   requests: ${stress.requests.total} (${stress.requests.average.toFixed(0)}/s); completed surveys: ${acknowledged.size - readingCompleted} (${((acknowledged.size - readingCompleted) / STRESS_SECONDS).toFixed(1)}/s)`,
  );
  console.log(
    `   latency per page: p50 ${stress.latency.p50} ms, p90 ${stress.latency.p90} ms, p99 ${stress.latency.p99} ms, max ${stress.latency.max} ms`,
  );
  console.log(`   errors: ${stressErrors} (socket errors ${stress.errors}, timeouts ${stress.timeouts})`);
}
const errors = readingErrors + stressErrors;
console.log(
  `database: ${acknowledged.size} submissions acknowledged, ${submitted.length} stored as submitted, ${drafts} drafts still open (respondents cut off by the time limits)${unexpectedList}`,
);
console.log(
  `   acknowledged but missing: ${missing}; stored under an id no respondent was given (a duplicate): ${duplicated}; half-written: ${halfWritten}`,
);
process.exitCode = errors === 0 && missing === 0 && duplicated === 0 && halfWritten === 0 ? 0 : 1;
