import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { LoginThrottle } from '../server/auth/throttle.js';
import { ChangeCounters } from '../server/db/change-counter.js';
import { sweep } from '../server/housekeeping.js';
import { streamDownload } from '../server/http/download.js';
import { loadSurveys } from '../server/surveys/registry.js';
import { SurveySchedules } from '../server/surveys/schedule.js';
import { definitionsDir, useTestApp } from './helpers/app.js';
import { addUser, postForm, seedResponses, signIn } from './helpers/office.js';

const testApp = useTestApp();
beforeAll(async () => {
  await addUser(testApp, 'admin@review.example', 'admin');
  await addUser(testApp, 'analyst@review.example', 'analyst');
});

/** A throwaway server around one streamed download, so a real client can go away half-way. */
async function serve(source: () => AsyncGenerator<string>): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.get('/download', (_request, response, next) => {
    streamDownload(response, 'x.csv', 'csv', source()).catch(next);
  });
  app.use(((_error, _request, response, _next) => {
    if (response.headersSent) response.destroy();
    else response.status(500).end();
  }) as express.ErrorRequestHandler);
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/download`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('streamed exports', () => {
  it('stop reading their source when the client goes away', async () => {
    let produced = 0;
    let closed = false;
    const server = await serve(async function* () {
      try {
        for (;;) {
          produced++;
          yield `${'x'.repeat(64 * 1024)}\n`;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        closed = true;
      }
    });
    await new Promise<void>((resolve) => {
      const client = http.get(server.url, (response) => {
        response.once('data', () => {
          client.destroy();
          resolve();
        });
      });
    });
    for (let i = 0; i < 50 && !closed; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(true);
    const after = produced;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(produced).toBe(after);
    await server.close();
  });

  it('end the connection when the source fails half-way, so the download fails instead of hanging', async () => {
    const server = await serve(async function* () {
      yield 'a,b\r\n';
      throw new Error('the database went away');
    });
    const outcome = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('hung'), 5000);
      http
        .get(server.url, (response) => {
          response.on('data', () => undefined);
          response.on('end', () => (clearTimeout(timer), resolve('ended normally')));
          response.on('error', () => (clearTimeout(timer), resolve('aborted')));
          response.on('aborted', () => (clearTimeout(timer), resolve('aborted')));
        })
        .on('error', () => (clearTimeout(timer), resolve('aborted')));
    });
    expect(outcome).toBe('aborted');
    await server.close();
  });
});

describe('distributions whose definition changed after launch', () => {
  it('show answers to a choice no longer offered as a row of their own, so the rows add up to the base', async () => {
    await seedResponses(testApp, 'professionals', [
      { role: 'barrister', country: 'england', trend: 'increased', quote_consent: 'yes', drivers_text: 'a' },
      { role: 'barrister', country: 'england', trend: 'increased', quote_consent: 'yes', drivers_text: 'b' },
      { role: 'barrister', country: 'england', trend: 'plateaued', quote_consent: 'yes', drivers_text: 'c' },
    ]);
    const analyst = await signIn(testApp.app, 'analyst@review.example');
    const json = (await analyst.get('/reports/professionals/questions?format=json')).body;
    const trend = json.distributions.find((d: { id: string }) => d.id === 'trend');
    expect(trend.base).toBe(3);
    expect(trend.rows.reduce((sum: number, row: { count: number }) => sum + row.count, 0)).toBe(3);
    expect(trend.rows.find((row: { label: string }) => row.label === 'Choices no longer in the survey')).toMatchObject({
      count: 1,
    });
    expect(trend.rows.reduce((sum: number, row: { percent: number }) => sum + row.percent, 0)).toBeCloseTo(100, 5);
  });
});

describe('survey dates are London days', () => {
  it('keeps a summer survey closed at 00:30 BST the day after its closing date', async () => {
    const admin = await signIn(testApp.app, 'admin@review.example');
    const saved = await postForm(
      admin,
      '/admin/surveys/family/dates',
      { opens: '2026-06-01', closes: '2026-07-01' },
      '/admin',
    );
    expect(saved.status).toBe(303);
    const schedules = new SurveySchedules(testApp.connection);
    const survey = loadSurveys(definitionsDir).get('family')!;
    expect(await schedules.isOpen(survey, new Date('2026-07-01T22:30:00Z'))).toBe(true);
    expect(await schedules.isOpen(survey, new Date('2026-07-01T23:30:00Z'))).toBe(false);
    expect(await schedules.isOpen(survey, new Date('2026-05-31T23:30:00Z'))).toBe(true);
    expect((await admin.get('/admin')).text).toContain('name="closes" value="2026-07-01"');
  });
});

describe('housekeeping', () => {
  it('deletes drafts of surveys closed longer than the retention, and old sign-in records, and nothing else', async () => {
    const surveys = loadSurveys(definitionsDir);
    const schedules = new SurveySchedules(testApp.connection);
    await schedules.setDates(surveys.get('care-experienced')!, { opens: '2026-01-01', closes: '2026-02-01' }, 'test');
    await schedules.setDates(surveys.get('professionals')!, { opens: '2026-01-01', closes: '2027-12-31' }, 'test');
    const draft = (surveyId: string) => ({
      _id: new mongoose.Types.ObjectId(),
      surveyId,
      surveyVersion: 1,
      tokenHash: `h-${Math.random()}`,
      status: 'draft',
      answers: {},
    });
    await testApp.responses.insertMany([draft('care-experienced'), draft('care-experienced'), draft('professionals')]);
    await seedResponses(testApp, 'care-experienced', [{ drivers_text: 'kept' }]);
    const throttle = new LoginThrottle(testApp.connection);
    const slots = testApp.connection.collection('loginattemptslots');
    await slots.insertMany([
      { _id: 'email:old|1|1' as never, at: new Date('2026-01-01T00:00:00Z') },
      { _id: 'email:new|1|1' as never, at: new Date('2026-04-01T00:00:00Z') },
    ]);

    const deleted = await sweep(
      {
        surveys,
        schedules,
        responses: testApp.responses,
        throttle,
        counters: new ChangeCounters(testApp.connection),
        rules: new Map(),
      },
      { draftRetentionDays: 30, signInRecordDays: 7 },
      new Date('2026-04-05T00:00:00Z'),
    );
    expect(deleted).toEqual({ drafts: 2, signInRecords: 1, anonymised: 0 });
    expect(await testApp.responses.countDocuments({ surveyId: 'care-experienced', status: 'draft' })).toBe(0);
    expect(await testApp.responses.countDocuments({ surveyId: 'care-experienced', status: 'submitted' })).toBe(1);
    expect(await testApp.responses.countDocuments({ surveyId: 'professionals', status: 'draft' })).toBe(1);
    expect(await slots.countDocuments({})).toBe(1);

    const tooSoon = await sweep(
      {
        surveys,
        schedules,
        responses: testApp.responses,
        throttle,
        counters: new ChangeCounters(testApp.connection),
        rules: new Map(),
      },
      { draftRetentionDays: 30, signInRecordDays: 7 },
      new Date('2026-02-15T00:00:00Z'),
    );
    expect(tooSoon.drafts).toBe(0);
  });
});
