import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreKeepingErasures } from '../server/admin/restore-erasures.js';
import { writeBackup } from '../server/db/backup.js';
import { startHeartbeat } from '../server/db/heartbeat.js';
import { restoreBackup } from '../server/db/restore.js';
import { useTestApp } from './helpers/app.js';
import { postForm, seedCodings, seedResponses } from './helpers/office.js';
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
