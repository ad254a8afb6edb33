import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreKeepingErasures } from '../server/admin/restore-erasures.js';
import { writeBackup } from '../server/db/backup.js';
import { startHeartbeat } from '../server/db/heartbeat.js';
import { restoreBackup, RestoreRefusedError } from '../server/db/restore.js';
import request from 'supertest';
import { useTestApp } from './helpers/app.js';
import { postForm, seedCodings, seedResponses } from './helpers/office.js';
import { Respondent } from './helpers/respondent.js';
import { signInTeam } from './helpers/workbench.js';

const testApp = useTestApp();

describe('restoring a backup taken before an erasure', () => {
  it('erases the response again, keeps the record of the erasure, and records the restore', async () => {
    const team = await signInTeam(testApp);
    const [id, kept] = await seedResponses(
      testApp,
      'professionals',
      ['Please forget me: Ashworth Road.', 'Caseloads are too high.'].map((text) => ({
        role: 'social-worker',
        country: 'england',
        quote_consent: 'yes',
        drivers_text: text,
      })),
    );
    await seedCodings(testApp, [{ responseId: id!, coderId: team.anaId, codeId: 'austerity' }]);
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'restore-erasure-')), 'backup');
    await writeBackup(testApp.connection, dir);
    const erased = await postForm(team.admin, `/admin/erase/${id}`, { confirm: '1' }, '/admin/erase');
    expect(erased.status).toBe(303);
    const trail = testApp.connection.collection('auditentries');
    const erasure = await trail.findOne({ action: 'response.erased' });

    const result = await restoreKeepingErasures(testApp.connection, dir, { replace: true });

    expect(result.reErased).toEqual([erasure!.target]);
    expect(await testApp.responses.countDocuments({ _id: id })).toBe(0);
    expect(await testApp.responses.countDocuments({ _id: kept })).toBe(1);
    const db = testApp.connection.db!;
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (name === 'auditentries') continue;
      const text = JSON.stringify(await db.collection(name).find({}).toArray());
      expect(text, name).not.toContain(id);
      expect(text, name).not.toContain('Ashworth');
    }
    expect(await trail.find({ action: 'response.erased' }).toArray()).toEqual([erasure]);
    expect(await trail.findOne({ action: 'restore' })).toMatchObject({
      actor: 'command line',
      detail: { replace: true, reErased: 1 },
    });
  });
});

describe('restoring into a database the app is running on', () => {
  it('is refused while the app beats its heartbeat, unless forced; allowed once the app stops', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'restore-running-')), 'backup');
    await writeBackup(testApp.connection, dir);
    const before = await testApp.responses.countDocuments({});
    const heartbeat = startHeartbeat(testApp.connection);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await testApp.responses.deleteMany({});
      await expect(restoreBackup(testApp.connection, dir, { replace: true })).rejects.toThrow(
        /The app is running on this database .*stop it first/,
      );
      expect(await testApp.responses.countDocuments({})).toBe(0);
      await restoreBackup(testApp.connection, dir, { replace: true, force: true });
      expect(await testApp.responses.countDocuments({})).toBe(before);
    } finally {
      await heartbeat.stop();
    }
    await restoreBackup(testApp.connection, dir, { replace: true });
    expect(await testApp.responses.countDocuments({})).toBe(before);
  });
});

/** Rewrites one collection's file in a backup, and its manifest entry to match. */
function rewrite(dir: string, name: string, change: (lines: string[]) => string[]) {
  const file = path.join(dir, `${name}.jsonl`);
  const lines = change(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== ''),
  );
  const text = lines.map((line) => `${line}\n`).join('');
  fs.writeFileSync(file, text);
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  manifest.collections[name].count = lines.length;
  manifest.collections[name].sha256 = crypto.createHash('sha256').update(text).digest('hex');
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
}

describe('a restore that cannot finish', () => {
  it('refuses a backup with a repeated _id before writing anything', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'restore-dup-')), 'backup');
    await writeBackup(testApp.connection, dir);
    rewrite(dir, 'responses', (lines) => [...lines, lines[0]!]);
    const before = await testApp.responses.countDocuments({});
    await testApp.responses.deleteMany({});
    const refused = restoreBackup(testApp.connection, dir, { replace: true });
    await expect(refused).rejects.toThrow(RestoreRefusedError);
    await expect(restoreBackup(testApp.connection, dir, { replace: true })).rejects.toThrow(/repeats the _id/);
    expect(await testApp.responses.countDocuments({})).toBe(0);
    expect(before).toBeGreaterThan(0);
  });

  it('says which collections were restored, that the database is partial, and how to retry', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'restore-partial-')), 'backup');
    await writeBackup(testApp.connection, dir);
    // Two accounts with one email: the unique index refuses the second, part-way through.
    rewrite(dir, 'users', (lines) => {
      const copy = JSON.parse(lines[0]!);
      copy._id = { $oid: '0123456789abcdef01234567' };
      return [...lines, JSON.stringify(copy)];
    });
    await expect(restoreBackup(testApp.connection, dir, { replace: true })).rejects.toThrow(
      /failed in users .*now partial: restored in full: .*auditentries.*run restore again with --replace/,
    );
  });
});

describe('restoring a backup taken before a respondent deleted their draft', () => {
  it('does not bring the draft back, and keeps every audit entry written since the backup', async () => {
    const respondent = new Respondent(testApp.app, 'care-experienced');
    await respondent.start();
    const id = respondent.token.slice(0, 24);
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'restore-draft-')), 'backup');
    await writeBackup(testApp.connection, dir);
    const deleted = await request(testApp.app)
      .post(`/s/care-experienced/r/${respondent.token}/delete`)
      .type('form')
      .send('');
    expect(deleted.text).toContain('Your answers have been deleted');
    const trail = testApp.connection.collection('auditentries');
    const since = await trail.find({ action: 'draft.deleted' }).toArray();
    expect(since).toHaveLength(1);
    expect(JSON.stringify(since)).not.toContain(respondent.token.slice(25));

    const restored = await restoreKeepingErasures(testApp.connection, dir, { replace: true });
    expect(restored.reDeletedDrafts).toBe(1);
    expect(await testApp.responses.countDocuments({ _id: id })).toBe(0);
    expect((await request(testApp.app).get(respondent.location)).status).toBe(404);
    expect(await trail.countDocuments({ _id: since[0]!._id })).toBe(1);
  });
});
