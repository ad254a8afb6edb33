import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../server/config.js';
import { connectDatabase } from '../server/db/connection.js';
import { startFerretDb } from '../server/db/ferretdb.js';
import { responseModel } from '../server/responses/model.js';
import { isVisible, type Answers } from '../server/surveys/flow.js';
import { loadSurveys } from '../server/surveys/registry.js';

/**
 * `npm run load`: concurrent respondents fill in the care-experienced survey page by page (drafts
 * saved at each page) against the app on loopback, for a bounded time; then the database is checked:
 * every acknowledged submission stored exactly once and complete.
 */
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 200);
const SECONDS = Math.min(120, Number(process.env.LOAD_SECONDS ?? 30));
/**
 * Requests a second across all respondents; 0 (the default) sends each respondent's next request as
 * soon as the last is answered. autocannon paces in one-second buckets and never runs more
 * connections than the rate, so a paced run has min(LOAD_CONNECTIONS, LOAD_RATE) respondents.
 */
const RATE = Number(process.env.LOAD_RATE ?? 0);
const RESPONDENTS = RATE > 0 ? Math.min(CONNECTIONS, RATE) : CONNECTIONS;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-'));
const database = process.env.MONGODB_URI ? undefined : await startFerretDb({ dataDir });
const uri = process.env.MONGODB_URI ?? `${database!.uri}load_${Date.now()}`;
const app = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server', 'main.ts')], {
  cwd: projectRoot,
  env: { ...process.env, MONGODB_URI: uri, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production', RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const origin = await new Promise<string>((resolve, reject) => {
  app.once('exit', (code) => reject(new Error(`app exited with ${code}`)));
  app.stdout.on('data', (chunk: Buffer) => {
    const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(chunk.toString());
    if (match?.[1]) resolve(match[1]);
  });
});

const form = (fields: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) params.append(name, item);
  return params.toString();
};
const pages: Record<string, string | string[]>[] = [
  { age_band: '25-34', years_in_care: 'over-5', placements: ['foster-care', 'residential'], country: 'wales', action: 'continue' },
  { listened_text: 'Reviews happened around me. Nobody asked what I wanted.', change_text: 'Keep brothers and sisters together.', action: 'continue' },
  { quote_consent: 'yes', action: 'continue' },
];
const acknowledged = new Set<string>();
const unexpected = new Map<string, number>();
type Context = Record<string, unknown> & { location?: string; token?: string };
const headers = { 'content-type': 'application/x-www-form-urlencoded' };
const expect303 = (step: string) => (status: number, _body: string, context: Context, responseHeaders: Record<string, string>) => {
  if (status !== 303) unexpected.set(`${step}: ${status}`, (unexpected.get(`${step}: ${status}`) ?? 0) + 1);
  context.location = responseHeaders.location ?? responseHeaders.Location;
};

const follow = (request: { path: string }, context: Context) => (context.location ? { ...request, path: context.location } : undefined);
const expect200 = (step: string) => (status: number) => {
  if (status !== 200) unexpected.set(`${step}: ${status}`, (unexpected.get(`${step}: ${status}`) ?? 0) + 1);
};
// A browser's way through: each POST answers with a redirect, which the next GET follows.
const result = await autocannon({
  url: origin,
  connections: CONNECTIONS,
  duration: SECONDS,
  timeout: 30,
  ...(RATE > 0 ? { overallRate: RATE } : {}),
  requests: [
    { method: 'GET', path: '/s/care-experienced', onResponse: expect200('start page') },
    { method: 'POST', path: '/s/care-experienced', headers, body: form({ consent: 'yes' }), onResponse: (status, body, context: Context, h) => {
      expect303('consent')(status, body, context, h);
      context.token = /\/r\/([^/]+)\//.exec(context.location ?? '')?.[1];
    } },
    ...pages.flatMap((fields, index) => [
      { method: 'GET' as const, setupRequest: follow, onResponse: expect200(`page ${index + 2}`) },
      { method: 'POST' as const, headers, body: form(fields), setupRequest: follow, onResponse: expect303(`page ${index + 2} answers`) },
    ]),
    { method: 'GET', setupRequest: follow, onResponse: expect200('check answers') },
    { method: 'POST', headers, body: '', setupRequest: (request: { path: string }, context: Context) => (context.token ? { ...request, path: `/s/care-experienced/r/${context.token}/submit` } : undefined), onResponse: (status: number, body: string, context: Context, h: Record<string, string>) => {
      expect303('submit')(status, body, context, h);
      if (status === 303 && context.location?.endsWith('/done') && context.token) acknowledged.add(context.token);
    } },
    { method: 'GET', setupRequest: follow, onResponse: expect200('thank-you page') },
  ],
});

app.kill('SIGTERM');
await new Promise((resolve) => app.once('exit', resolve));

const connection = await connectDatabase(uri);
const responses = responseModel(connection);
const survey = loadSurveys(path.join(projectRoot, 'server', 'surveys', 'definitions')).get('care-experienced')!;
let missing = 0;
let halfWritten = 0;
const submitted = await responses.find({ surveyId: 'care-experienced', status: 'submitted' }, { answers: 1 }).lean();
const submittedIds = new Map(submitted.map((response) => [String(response._id), response]));
for (const token of acknowledged) if (!submittedIds.has(token.slice(0, 24))) missing++;
for (const response of submitted) {
  const answers = response.answers as Answers;
  if (survey.questions.some((question) => question.required && isVisible(question, answers) && answers[question.id] === undefined)) halfWritten++;
}
const drafts = await responses.countDocuments({ surveyId: 'care-experienced', status: 'draft' });
await connection.close();
await database?.stop();
fs.rmSync(dataDir, { recursive: true, force: true });

const errors = [...unexpected.values()].reduce((a, b) => a + b, 0) + result.errors + result.timeouts;
console.log(`load: ${RESPONDENTS} concurrent respondents for ${SECONDS} s, ${RATE > 0 ? `paced at ${RATE} requests/s in all` : 'each sending its next request as soon as the last is answered'}, on ${database ? 'FerretDB 1.24 (SQLite)' : 'MONGODB_URI'}, loopback only`);
console.log(`requests: ${result.requests.total} (${result.requests.average.toFixed(0)}/s); completed surveys: ${acknowledged.size} (${(acknowledged.size / SECONDS).toFixed(1)}/s)`);
console.log(`latency per page: p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p97.5 ${result.latency.p97_5} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
console.log(`errors: ${errors} (socket errors ${result.errors}, timeouts ${result.timeouts}${unexpected.size > 0 ? `, unexpected: ${[...unexpected.entries()].map(([k, v]) => `${k} x${v}`).join(', ')}` : ''})`);
console.log(`database: ${submitted.length} submitted, ${drafts} drafts still open (respondents cut off by the time limit); acknowledged but missing: ${missing}; duplicated: 0 (the resume token's id is the response's _id); half-written: ${halfWritten}`);
process.exitCode = errors === 0 && missing === 0 && halfWritten === 0 ? 0 : 1;
