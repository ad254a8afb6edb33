import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createUser } from '../../server/auth/service.js';
import { userModel } from '../../server/auth/user-model.js';
import { projectRoot } from '../../server/config.js';
import { kill, startAppProcess } from '../app-process.js';
import { connectDatabase } from '../../server/db/connection.js';
import { startFerretDb } from '../../server/db/ferretdb.js';
import { prepareDatabase } from '../../server/startup.js';
import mongoose from 'mongoose';
import { responsesCsv } from '../../server/admin/exports.js';
import { loadSurveys } from '../../server/surveys/registry.js';
import { answerText, random, seedAnswers, seedCodings, summarise } from './dataset.js';
import { csvAgainstFind } from './csv-rate.js';

const SIZES = (process.env.BENCH_REPORT_SIZES ?? '10000,100000').split(',').map(Number);

/**
 * On N responses with 3N codings: the responses CSV's rate beside the engine's raw find() rate
 * over the same documents, and the app's memory while it streams (flat as N grows); then the theme
 * summary with a role cross-tab, first and warm.
 */
export async function benchReports(): Promise<void> {
  await csvWithoutDatabase();
  for (const size of SIZES) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-reports-'));
    const database = await startFerretDb({ dataDir });
    const uri = `${database.uri}bench_reports`;
    const connection = await connectDatabase(uri);
    await prepareDatabase(connection);
    const users = userModel(connection);
    const admin = await createUser(users, {
      email: 'admin@review.example',
      password: 'bench password long',
      role: 'admin',
    });
    const other = await createUser(users, {
      email: 'other@review.example',
      password: 'bench password long',
      role: 'analyst',
    });
    const ids = await seedAnswers(connection, size);
    await seedCodings(connection, ids, [admin.id, other.id], size * 3);
    // Kept open: the raw find() the CSV is measured against reads through it, from this process.
    const responses = connection.collection('responses');

    const app = await startAppProcess({ MONGODB_URI: uri, NODE_ENV: 'production' }, { echoErrors: true });
    const origin = app.url;
    try {
      let cookie = '';
      const call = async (url: string, init: RequestInit = {}) => {
        const response = await fetch(origin + url, {
          ...init,
          redirect: 'manual',
          headers: { ...(init.headers ?? {}), cookie },
        });
        const setCookie = response.headers.get('set-cookie');
        if (setCookie) cookie = setCookie.split(';')[0]!;
        return response;
      };
      const loginPage = await (await call('/login')).text();
      await call('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          email: 'admin@review.example',
          password: 'bench password long',
          _csrf: /name="_csrf" value="([^"]+)"/.exec(loginPage)![1]!,
        }),
      });

      await csvAgainstFind(size, app.child.pid!, call, responses);

      const themes = '/reports/professionals/themes/drivers_text?codebook=care-crisis-drivers&by=group';
      let started = performance.now();
      const first = await call(themes);
      await first.text();
      console.log(
        `${size} responses: theme summary + role cross-tab, first request (reads ${size} answers and ${size * 3} codings into memory): ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const warm: number[] = [];
      for (let i = 0; i < 10; i++) {
        started = performance.now();
        const page = await call(themes);
        await page.text();
        warm.push(performance.now() - started);
      }
      console.log(`${size} responses: ${summarise('theme summary + role cross-tab, rendered', warm)}`);
    } finally {
      await kill(app, 'SIGTERM');
      await connection.close();
      await database.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

/** The CSV path alone, fed from memory into a sink that discards it: what the app adds to the database's read rate. */
async function csvWithoutDatabase(): Promise<void> {
  const survey = loadSurveys(path.join(projectRoot, 'server', 'surveys', 'definitions')).get('professionals')!;
  const next = random(5);
  const documents = Array.from({ length: 20_000 }, (_, index) => ({
    _id: new mongoose.Types.ObjectId(),
    answers: {
      consent: 'yes',
      role: 'barrister',
      country: 'england',
      drivers: ['poverty', 'early-help-cuts'],
      drivers_text: answerText(next, 60 + (index % 60)),
      quote_consent: 'yes',
    },
    otherText: {},
    submittedAt: new Date(),
    surveyVersion: 1,
    language: 'en',
  }));
  async function* replay() {
    for (let round = 0; round < 5; round++) yield* documents;
  }
  const started = performance.now();
  let bytes = 0;
  for await (const chunk of responsesCsv(replay(), survey)) bytes += chunk.length;
  const rows = bytes > 0 ? documents.length * 5 : 0;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `CSV rendering alone (no database): ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s`,
  );
}
