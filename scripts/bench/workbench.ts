import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { createApp } from '../../server/app.js';
import { createUser } from '../../server/auth/service.js';
import { userModel } from '../../server/auth/user-model.js';
import { connectDatabase } from '../../server/db/connection.js';
import { startFerretDb } from '../../server/db/ferretdb.js';
import { loadSignposting } from '../../server/help/signposting.js';
import { MessageCatalogue } from '../../server/i18n/catalogue.js';
import { loadSurveys } from '../../server/surveys/registry.js';
import { projectRoot } from '../../server/config.js';
import { prepareDatabase } from '../../server/startup.js';
import { seedAnswers, seedCodings, summarise } from './dataset.js';
import { benchKeyPress } from './keypress.js';

const ANSWERS = Number(process.env.BENCH_ANSWERS ?? 100_000);
const CODINGS = Number(process.env.BENCH_CODINGS ?? 300_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 400);
const PRESSES = Number(process.env.BENCH_PRESSES ?? 200);

/**
 * Workbench speed on a large question: the time from request to the last byte of the next answer's
 * page, and to the redirect after saving a coding, over loopback HTTP with a signed-in analyst; then,
 * in headless Chromium, from a key press to the answer showing the coding the server confirmed.
 */
export async function benchWorkbench(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-workbench-'));
  const database = process.env.MONGODB_URI ? undefined : await startFerretDb({ dataDir });
  const connection = await connectDatabase(process.env.MONGODB_URI ?? database!.uri, 'bench_workbench');
  let server: Server | undefined;
  try {
    await connection.dropDatabase();
    await prepareDatabase(connection);
    const users = userModel(connection);
    // A lead: they code too, and also open the set-up and reconciliation pages measured below.
    const analyst = await createUser(users, {
      email: 'bench@review.example',
      password: 'bench password long',
      role: 'lead',
    });
    const other = await createUser(users, {
      email: 'other@review.example',
      password: 'bench password long',
      role: 'analyst',
    });

    let started = performance.now();
    const ids = await seedAnswers(connection, ANSWERS);
    await seedCodings(connection, ids, [other.id, analyst.id], CODINGS);
    console.log(
      `dataset: ${ANSWERS} answers, ${CODINGS} codings on ${database ? 'FerretDB 1.24 (SQLite)' : 'MONGODB_URI'}, built in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const app = createApp({
      connection,
      surveys: loadSurveys(path.join(projectRoot, 'server', 'surveys', 'definitions')),
      signposting: loadSignposting(path.join(projectRoot, 'server', 'help', 'signposting.json')),
      catalogue: MessageCatalogue.load(),
      sessionSecret: 'bench-secret-bench-secret-bench-secret',
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const address = server.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    let cookie = '';
    const call = async (url: string, init: RequestInit = {}) => {
      const response = await fetch(origin + url, {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers ?? {}), cookie },
      });
      const setCookie = response.headers.get('set-cookie');
      if (setCookie) cookie = setCookie.split(';')[0]!;
      const body = await response.text();
      return { response, body };
    };
    const token = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const login = await call('/login');
    await call('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        email: 'bench@review.example',
        password: 'bench password long',
        _csrf: token(login.body),
      }),
    });

    const base = '/work/professionals/drivers_text';
    started = performance.now();
    const first = await call(`${base}?codebook=care-crisis-drivers`);
    if (first.response.status !== 200) throw new Error(`workbench answered ${first.response.status}`);
    console.log(`first open (reads the question into memory): ${(performance.now() - started).toFixed(0)} ms`);
    const csrf = token(first.body);

    const nextTimes: number[] = [];
    let at = ids[0]!;
    for (let i = 0; i < SAMPLES; i++) {
      const t = performance.now();
      const { body } = await call(`${base}?codebook=care-crisis-drivers&at=${at}`);
      nextTimes.push(performance.now() - t);
      at = /id="next-answer" rel="next" href="[^"]*at=([a-f0-9]{24})"/.exec(body)?.[1] ?? ids[0]!;
    }
    const saveTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const responseId = ids[(i * 97) % ids.length]!;
      const t = performance.now();
      const { response } = await call(`${base}/${responseId}/codes`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          _csrf: csrf,
          code: 'austerity',
          present: '1',
          view: 'codebook=care-crisis-drivers',
        }),
      });
      saveTimes.push(performance.now() - t);
      if (response.status !== 303) throw new Error(`saving a coding answered ${response.status}`);
    }
    const uncodedTimes: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await call(`${base}?codebook=care-crisis-drivers&uncoded=1&q=interpreters`);
      uncodedTimes.push(performance.now() - t);
    }
    console.log(summarise('next answer (page, HTML included)', nextTimes));
    console.log(summarise('save a coding', saveTimes));
    console.log(summarise('filtered view (uncoded by me + text search)', uncodedTimes));
    const timed = async (label: string, times: number, run: () => Promise<unknown>) => {
      const took: number[] = [];
      for (let i = 0; i < times; i++) {
        const t = performance.now();
        await run();
        took.push(performance.now() - t);
      }
      console.log(summarise(label, took));
    };
    await timed('choose what to code (/work, every question with progress)', 10, () => call('/work'));
    await timed("a question's set-up page (assignments, progress)", 10, () =>
      call('/lead/questions/professionals/drivers_text'),
    );
    // What the queue's script does per key press: post the take, then read the next disagreement.
    let queuePage = (await call('/lead/reconcile/professionals/drivers_text?codebook=care-crisis-drivers')).body;
    await timed("reconciliation queue: take A's codes and show the next disagreement", 20, async () => {
      const form =
        /<form method="post" action="([^"]+)" data-queue data-take-key="a">[\s\S]*?name="take" value="([^"]+)"/.exec(
          queuePage,
        );
      if (!form) throw new Error('no disagreement to reconcile');
      const taken = await call(form[1]!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token(queuePage), codebook: 'care-crisis-drivers', take: form[2]! }),
      });
      if (taken.response.status !== 303) throw new Error(`taking codes answered ${taken.response.status}`);
      queuePage = (await call(taken.response.headers.get('location')!)).body;
    });
    await benchKeyPress(
      origin,
      `${base}?codebook=care-crisis-drivers&at=${ids[Math.floor(ids.length / 2)]}`,
      { email: 'bench@review.example', password: 'bench password long' },
      PRESSES,
    );
    console.log(
      `app memory: rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
    );
  } finally {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await connection.close();
    await database?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
