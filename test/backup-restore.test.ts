import { DERIVED_COLLECTIONS } from '../server/db/checkpoint-collections.js';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EJSON } from 'bson';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../server/config.js';
import { MANIFEST, writeBackup, type Manifest } from '../server/db/backup.js';
import { restoreBackup } from '../server/db/restore.js';
import { useTestApp } from './helpers/app.js';
import { postForm, seedCodings, seedResponses } from './helpers/office.js';
import { Respondent } from './helpers/respondent.js';
import { answerForms, base, signInTeam, view, type Team } from './helpers/workbench.js';
import { careExperiencedAnswers } from './fixtures/answers.js';

const testApp = useTestApp();
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'survey-backup-test-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

let team: Team;
let ids: string[];
const { at, setCode } = answerForms(() => ids);

/** The CLI as an operator runs it, on this test file's database. */
function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const uri = new URL(inject('mongoUri'));
  uri.pathname = `/${testApp.connection.db!.databaseName}`;
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(projectRoot, 'server', 'cli', 'main.ts'), ...args],
    {
      cwd: projectRoot,
      env: { ...process.env, MONGODB_URI: uri.toString() },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Every document of every collection, in canonical Extended JSON: types and all. The audit entries
 * of the backups and restores themselves are left out (each run adds one).
 */
async function everything(): Promise<Record<string, string[]>> {
  const db = testApp.connection.db!;
  // Checkpoints are derived data, left out of backups and rebuilt after a restore: not compared.
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((entry) => entry.name)
    .filter((name) => !DERIVED_COLLECTIONS.includes(name))
    .sort();
  const all: Record<string, string[]> = {};
  for (const name of names) {
    const documents = (await db.collection(name).find({}).sort({ _id: 1 }).toArray()).filter(
      (document) => name !== 'auditentries' || !['backup', 'restore'].includes(document.action as string),
    );
    if (documents.length > 0 || name !== 'auditentries')
      all[name] = documents.map((document) => EJSON.stringify(document, { relaxed: false }));
  }
  return all;
}

const trailOf = (action: string) => testApp.connection.collection('auditentries').find({ action }).toArray();

const manifestOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;

beforeAll(async () => {
  team = await signInTeam(testApp); // users, and their sessions
  const submitted = new Respondent(testApp.app, 'care-experienced');
  await submitted.start();
  await submitted.complete(careExperiencedAnswers);
  const draft = new Respondent(testApp.app, 'care-experienced');
  await draft.start();
  await draft.answer(careExperiencedAnswers['about-you']!, 'save');
  ids = await seedResponses(testApp, 'professionals', [
    { role: 'barrister', country: 'england', quote_consent: 'yes', drivers_text: 'Poverty and housing, £ – “quoted”.' },
    { role: 'social-worker', country: 'wales', quote_consent: 'yes', drivers_text: 'Caseloads are too high.' },
  ]);
  await seedCodings(testApp, [{ responseId: ids[1]!, coderId: team.anaId, codeId: 'austerity' }]);
  expect((await setCode(team.ana, 0, 'austerity')).status).toBe(303);
  expect((await postForm(team.ana, `${base}/${ids[0]}/memo`, { memo: 'A memo', view }, at(0))).status).toBe(303);
  expect((await postForm(team.ana, `${base}/${ids[0]}/star`, { starred: '1', view }, at(0))).status).toBe(303);
  await testApp.connection.collection<{ _id: string; value: unknown }>('numbers').insertMany([
    { _id: 'int', value: 3 },
    { _id: 'double', value: 2.5 },
    { _id: 'nested', value: { a: [1, null, true] } },
  ]);
});

describe('backup and restore', () => {
  it('restores every document identically, and the restored database backs up to the same manifest', async () => {
    const before = await everything();
    for (const name of ['responses', 'codingevents', 'codebooks', 'users', 'sessions', 'answernotes', 'quotes'])
      expect(before[name]?.length ?? 0, name).toBeGreaterThan(0);
    expect(before.responses!.some((line) => line.includes('"status":"draft"'))).toBe(true);

    const first = path.join(folder, 'first');
    const backedUp = cli('backup', '--out', first);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    const original = manifestOf(first);
    for (const name of DERIVED_COLLECTIONS) expect(original.collections[name], name).toBeUndefined();
    expect(await trailOf('backup')).toEqual([expect.objectContaining({ actor: 'command line', target: first })]);
    expect(JSON.parse(backedUp.stdout).collections.responses).toBe(before.responses!.length);
    for (const [name, documents] of Object.entries(before)) {
      expect(original.collections[name]?.count, name).toBe(documents.length);
      expect(original.collections[name]?.sha256).toMatch(/^[a-f0-9]{64}$/);
    }
    expect(original.app.version).toBe('0.1.0');
    expect(original.schemaVersion).toBe(1);

    await testApp.connection.dropDatabase();
    expect(await everything()).toEqual({});

    const restored = cli('restore', '--from', first);
    expect(restored.code, restored.stderr).toBe(0);
    const said = JSON.parse(restored.stdout) as { restored: Record<string, number>; documents: number };
    expect(said.restored).toEqual(
      Object.fromEntries(Object.entries(before).map(([name, docs]) => [name, docs.length])),
    );
    expect(said.documents).toBe(Object.values(before).flat().length);
    expect(await everything()).toEqual(before);
    // The restore is recorded, after what it restored (the backup's own entry came after the copy).
    expect(await trailOf('restore')).toEqual([
      expect.objectContaining({
        actor: 'command line',
        target: first,
        detail: expect.objectContaining({ documents: said.documents }),
      }),
    ]);

    const again = path.join(folder, 'again');
    await writeBackup(testApp.connection, again);
    const second = manifestOf(again);
    // The same, but for the restore's own audit entry.
    const { auditentries: trailAfter, ...restAfter } = second.collections;
    const { auditentries: trailBefore, ...restBefore } = original.collections;
    expect(restAfter).toEqual(restBefore);
    expect(trailAfter!.count).toBe(trailBefore!.count + 1);
    expect({ ...second, createdAt: '', collections: {} }).toEqual({ ...original, createdAt: '', collections: {} });

    // The restored app works: the analyst's session, the answer's codes.
    const page = await team.ana.get(at(0));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Poverty and housing');
  });

  it('refuses a corrupted backup before writing anything', async () => {
    const good = path.join(folder, 'to-corrupt');
    await writeBackup(testApp.connection, good);
    const file = path.join(good, 'responses.jsonl');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Caseloads', 'Caseloadz'));
    const before = await everything();
    await testApp.connection.dropDatabase();
    const refused = cli('restore', '--from', good);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Nothing was restored');
    expect(refused.stderr).toContain('responses.jsonl does not match its checksum');
    expect(await everything()).toEqual({});
    // A missing line is refused too, and a manifest-less folder.
    await expect(restoreBackup(testApp.connection, path.join(folder, 'nowhere'))).rejects.toThrow(/manifest/);
    await restoreBackup(testApp.connection, path.join(folder, 'first'));
    expect(await everything()).toEqual(before);
  });

  it('refuses a database that holds anything, unless told --replace', async () => {
    const before = await everything();
    const refused = cli('restore', '--from', path.join(folder, 'first'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is not empty \(.*responses: \d+/);
    expect(await everything()).toEqual(before);

    await testApp.connection.collection('responses').deleteMany({ status: 'draft' });
    await testApp.connection.collection('extra').insertOne({ _id: 'x' as never });
    const replaced = cli('restore', '--from', path.join(folder, 'first'), '--replace');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(replaced.stdout).replaced).toContain('extra');
    expect(await everything()).toEqual(before);
  });

  it('writes the backup readable by its owner only: folder 0700, files 0600', async () => {
    const dir = path.join(folder, 'private');
    await writeBackup(testApp.connection, dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const files = fs.readdirSync(dir);
    expect(files).toContain(MANIFEST);
    for (const file of files) expect(fs.statSync(path.join(dir, file)).mode & 0o777, file).toBe(0o600);
  });

  it('refuses to write into a folder that is not empty', async () => {
    const result = cli('backup', '--out', path.join(folder, 'first'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not empty');
  });

  it('backs up while answers arrive: every file matches its manifest', async () => {
    const dir = path.join(folder, 'busy');
    const arriving = Array.from({ length: 10 }, async () => {
      const respondent = new Respondent(testApp.app, 'care-experienced');
      await respondent.start();
      await respondent.complete(careExperiencedAnswers);
    });
    const [manifest] = await Promise.all([writeBackup(testApp.connection, dir), ...arriving]);
    await testApp.connection.dropDatabase();
    const result = await restoreBackup(testApp.connection, dir);
    expect(result.restored.responses).toBe(manifest.collections.responses!.count);
  });
});
