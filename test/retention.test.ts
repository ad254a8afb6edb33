import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { describe, expect, inject, it } from 'vitest';
import { projectRoot, readEnvironment } from '../server/config.js';
import { ChangeCounters } from '../server/db/change-counter.js';
import { auditTrail } from '../server/audit/service.js';
import { sweep } from '../server/housekeeping.js';
import { LoginThrottle } from '../server/auth/throttle.js';
import { loadSurveys } from '../server/surveys/registry.js';
import { applyRetention, loadAnonymiseRules } from '../server/surveys/responses/retention.js';
import { SurveySchedules } from '../server/surveys/schedule.js';
import { definitionsDir, useTestApp } from './helpers/app.js';
import { seedResponses } from './helpers/office.js';

const testApp = useTestApp();
const surveys = loadSurveys(definitionsDir);

const parts = () => ({
  surveys,
  responses: testApp.responses,
  counters: new ChangeCounters(testApp.connection),
  rules: loadAnonymiseRules(surveys),
});
const snapshot = async () =>
  JSON.stringify(await testApp.connection.collection('responses').find({}).sort({ _id: 1 }).toArray());

async function seed() {
  await testApp.connection.collection('responses').deleteMany({});
  const ids = await seedResponses(testApp, 'professionals', [
    {
      role: 'barrister',
      country: 'wales',
      experience: 'over-10',
      region: 'north-west',
      trend: 'increased',
      drivers_text: 'Poverty, and nobody to turn to.',
    },
  ]);
  await testApp.connection
    .collection('responses')
    .updateOne(
      { _id: new mongoose.Types.ObjectId(ids[0]) },
      { $set: { submittedAt: new Date('2026-03-17T14:05:09Z') } },
    );
  await testApp.responses.insertMany(
    ['family', 'family', 'professionals'].map((surveyId, index) => ({
      surveyId,
      surveyVersion: 1,
      tokenHash: `draft-${index}-${Math.random()}`,
      status: 'draft',
      answers: { consent: 'yes' },
    })),
  );
  return ids[0]!;
}

describe('retention', () => {
  it('says in a dry run what would go, and changes nothing', async () => {
    await seed();
    const before = await snapshot();
    const settings = { purgeDraftsAfter: new Date('2026-06-01'), anonymiseAfter: new Date('2026-06-01') };
    const report = await applyRetention(parts(), settings, { now: new Date('2026-07-01'), dryRun: true });
    expect(report.drafts).toEqual({ professionals: 1, family: 2, 'care-experienced': 0 });
    expect(report.anonymised.professionals).toEqual({ responses: 1, removes: ['experience', 'region'] });
    expect(await snapshot()).toBe(before);
    const early = await applyRetention(parts(), settings, { now: new Date('2026-05-31'), dryRun: true });
    expect(early).toEqual({ dryRun: true, drafts: {}, anonymised: {} });
  });

  it('purges drafts and anonymises sent answers once: free text kept, attributes coarsened', async () => {
    const id = await seed();
    const settings = { purgeDraftsAfter: new Date('2026-06-01'), anonymiseAfter: new Date('2026-06-01') };
    const report = await applyRetention(parts(), settings, { now: new Date('2026-07-01') });
    expect(report.drafts).toEqual({ professionals: 1, family: 2, 'care-experienced': 0 });
    expect(await testApp.responses.countDocuments({ status: 'draft' })).toBe(0);
    const kept = await testApp.responses.findById(id).lean();
    expect(kept!.answers).toEqual({
      consent: 'yes',
      role: 'barrister',
      country: 'wales',
      trend: 'increased',
      drivers_text: 'Poverty, and nobody to turn to.',
    });
    expect(kept!.submittedAt).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(kept!.createdAt).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(kept!.anonymisedAt).toEqual(new Date('2026-07-01'));
    const again = await applyRetention(parts(), settings, { now: new Date('2026-07-02') });
    expect(again.anonymised.professionals!.responses).toBe(0);
  });

  it('runs in the hourly sweep, and records what it did in the audit trail (counts only)', async () => {
    await seed();
    const trail = testApp.connection.collection('auditentries');
    await trail.deleteMany({ action: 'retention' });
    const housekeeping = {
      ...parts(),
      schedules: new SurveySchedules(testApp.connection),
      throttle: new LoginThrottle(testApp.connection),
      audit: auditTrail(testApp.connection),
    };
    const settings = { draftRetentionDays: 3650, signInRecordDays: 7, retention: { purgeDraftsAfter: '2026-01-01' } };
    // The surveys close at the end of 2027.
    const deleted = await sweep(housekeeping, settings, new Date('2028-02-01T00:00:00Z'));
    expect(deleted).toEqual({ drafts: 3, signInRecords: 0, anonymised: 0 });
    expect(await trail.find({ action: 'retention' }).toArray()).toEqual([
      expect.objectContaining({ actor: 'housekeeping', detail: { drafts: 3, anonymised: 0 } }),
    ]);
    // A sweep that changes nothing records nothing.
    await sweep(housekeeping, settings, new Date('2028-02-01T01:00:00Z'));
    expect(await trail.countDocuments({ action: 'retention' })).toBe(1);
  });

  it('never purges the drafts of a survey still open: a respondent may be half-way through', async () => {
    await seed();
    const housekeeping = {
      ...parts(),
      schedules: new SurveySchedules(testApp.connection),
      throttle: new LoginThrottle(testApp.connection),
    };
    const settings = { draftRetentionDays: 3650, signInRecordDays: 7, retention: { purgeDraftsAfter: '2026-01-01' } };
    const deleted = await sweep(housekeeping, settings, new Date('2026-02-01T00:00:00Z'));
    expect(deleted.drafts).toBe(0);
    expect(await testApp.responses.countDocuments({ status: 'draft' })).toBe(3);
    const report = await applyRetention(
      housekeeping,
      { purgeDraftsAfter: new Date('2026-01-01') },
      { now: new Date('2026-02-01'), dryRun: true },
    );
    expect(report.openKept).toEqual(expect.arrayContaining(['family', 'professionals', 'care-experienced']));
  });

  it('has a dry-run command that names what would go', async () => {
    await seed();
    const before = await snapshot();
    const uri = new URL(inject('mongoUri'));
    uri.pathname = `/${testApp.connection.db!.databaseName}`;
    const run = (args: string[], env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server', 'cli', 'main.ts'), ...args], {
        cwd: projectRoot,
        env: { ...process.env, MONGODB_URI: uri.toString(), ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const result = run(['retention', '--dry-run', '--on', '2030-01-01'], {
      RETENTION_PURGE_DRAFTS_AFTER: '2029-12-31',
      RETENTION_ANONYMISE_AFTER: '2029-12-31',
    });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ dryRun: true, drafts: { family: 2, professionals: 1 } });
    expect(report.anonymised.professionals.responses).toBe(1);
    expect(await snapshot()).toBe(before);
    const none = run(['retention', '--dry-run'], {});
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('No retention date is set');
  });

  it('refuses rules that would remove free text or a profile answer, and a bad date setting', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-'));
    const file = path.join(dir, 'retention.json');
    fs.writeFileSync(file, JSON.stringify({ professionals: ['drivers_text'] }));
    expect(() => loadAnonymiseRules(surveys, file)).toThrow(/professionals\.drivers_text must be a closed question/);
    fs.writeFileSync(file, JSON.stringify({ professionals: ['role'] }));
    expect(() => loadAnonymiseRules(surveys, file)).toThrow(/not one of its profile questions/);
    fs.writeFileSync(file, JSON.stringify({ nowhere: [] }));
    expect(() => loadAnonymiseRules(surveys, file)).toThrow(/no survey "nowhere"/);
    fs.rmSync(dir, { recursive: true });
    expect(() => readEnvironment({ RETENTION_ANONYMISE_AFTER: '31/12/2026' })).toThrow(
      /RETENTION_ANONYMISE_AFTER: give a date as YYYY-MM-DD/,
    );
  });
});
