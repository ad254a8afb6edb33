import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { EJSON, type Document } from 'bson';
import type { Connection } from 'mongoose';
import { readDataFile } from '../data-files.js';
import { runningApp } from './heartbeat.js';
import { dropAllCheckpoints } from './checkpoint-collections.js';
import { collectionFile, dataCollections, MANIFEST, manifestSchema, SCHEMA_VERSION, type Manifest } from './backup.js';

/** A backup that cannot be restored, or a database it must not be restored into: said before anything is written. */
export class RestoreRefusedError extends Error {}

export interface RestoreResult {
  database: string;
  /** Documents restored, by collection. */
  restored: Record<string, number>;
  documents: number;
  /** Collections that were there before and were deleted (only with `replace`). */
  replaced: string[];
}

const safeName = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file))
    throw new RestoreRefusedError(`${file} is missing: this is not a finished backup (the manifest is written last).`);
  let manifest: Manifest;
  try {
    manifest = readDataFile(file, manifestSchema, 'backup manifest');
  } catch (error) {
    throw new RestoreRefusedError((error as Error).message);
  }
  if (manifest.schemaVersion !== SCHEMA_VERSION)
    throw new RestoreRefusedError(
      `The backup has schema version ${manifest.schemaVersion}; this version of the app restores ${SCHEMA_VERSION}.`,
    );
  for (const name of Object.keys(manifest.collections))
    if (!safeName.test(name) || name.startsWith('system.'))
      throw new RestoreRefusedError(`${file} names a collection "${name}" that cannot be restored.`);
  return manifest;
}

async function fileHash(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Each line of a collection file as a document, numbered from 1. */
async function* documentsIn(file: string): AsyncGenerator<{ line: number; document: Document }> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text === '') continue;
    let document: Document;
    try {
      document = EJSON.parse(text, { relaxed: false }) as Document;
    } catch {
      throw new RestoreRefusedError(`${file} line ${line} is not Extended JSON.`);
    }
    yield { line, document };
  }
}

/** Every file is there, matches its checksum and count, and parses: checked before anything is written. */
export async function verifyBackup(dir: string, manifest: Manifest): Promise<void> {
  for (const [name, expected] of Object.entries(manifest.collections)) {
    const file = path.join(dir, collectionFile(name));
    if (!fs.existsSync(file)) throw new RestoreRefusedError(`${file} is missing.`);
    if ((await fileHash(file)) !== expected.sha256)
      throw new RestoreRefusedError(`${file} does not match its checksum in the manifest: the file is damaged.`);
    let count = 0;
    const ids = new Set<string>();
    for await (const entry of documentsIn(file)) {
      if (entry.document._id === undefined) throw new RestoreRefusedError(`${file} line ${entry.line} has no _id.`);
      const id = EJSON.stringify(entry.document._id as Document, { relaxed: false });
      if (ids.has(id)) throw new RestoreRefusedError(`${file} line ${entry.line} repeats the _id ${id.slice(0, 100)}.`);
      ids.add(id);
      count++;
    }
    if (count !== expected.count)
      throw new RestoreRefusedError(`${file} holds ${count} documents; the manifest says ${expected.count}.`);
  }
}

/** What the database already holds, by collection (empty collections left out). */
async function existingData(connection: Connection): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const name of await dataCollections(connection)) {
    const count = await connection.db!.collection(name).countDocuments({});
    if (count > 0) found[name] = count;
  }
  return found;
}

/**
 * Restores the backup in `dir` into the connection's database. The backup is checked in full first
 * (checksums, counts, every line); a database that holds anything is refused unless `replace`, which
 * deletes every collection before restoring. Run it with the app stopped: the app's caches do not
 * expect their data to be swapped underneath them.
 */
export async function restoreBackup(
  connection: Connection,
  dir: string,
  { replace = false, force = false } = {},
): Promise<RestoreResult> {
  const manifest = readManifest(dir);
  await verifyBackup(dir, manifest);
  // The app's caches do not expect their data swapped underneath them, and its writes would mix in.
  const running = force ? undefined : await runningApp(connection);
  if (running)
    throw new RestoreRefusedError(
      `The app is running on this database (${running.host}, process ${running.pid}, last seen ${running.at.toISOString()}): stop it first. If it has stopped and this is wrong, add --force.`,
    );
  const existing = await existingData(connection);
  const held = Object.entries(existing);
  if (held.length > 0 && !replace)
    throw new RestoreRefusedError(
      `The database ${connection.db!.databaseName} is not empty (${held
        .map(([name, count]) => `${name}: ${count}`)
        .join(', ')}): restore into an empty database, or add --replace to delete everything in it first.`,
    );
  const db = connection.db!;
  const replaced = replace ? await dataCollections(connection) : [];
  for (const name of replaced) await db.collection(name).drop();
  // Built from data that is now swapped: whatever they say no longer holds.
  await dropAllCheckpoints(connection);
  const present = new Set(await dataCollections(connection));

  const restored: Record<string, number> = {};
  let current = '';
  try {
    for (const [name, entry] of Object.entries(manifest.collections)) {
      current = name;
      if (!present.has(name)) await db.createCollection(name);
      const collection = db.collection(name);
      for (const index of entry.indexes)
        await collection.createIndex(index.key, { name: index.name, ...(index.unique ? { unique: true } : {}) });
      let batch: Document[] = [];
      let count = 0;
      for await (const { document } of documentsIn(path.join(dir, collectionFile(name)))) {
        batch.push(document);
        if (batch.length === 500) {
          await collection.insertMany(batch, { ordered: true });
          count += batch.length;
          batch = [];
        }
      }
      if (batch.length > 0) await collection.insertMany(batch, { ordered: true });
      restored[name] = count + batch.length;
    }
  } catch (error) {
    // Nothing is rolled back (no transactions on FerretDB): say what is there now, and how to retry.
    const done = Object.keys(restored);
    throw new Error(
      `The restore failed in ${current} (${(error as Error).message}). The database is now partial: ${
        done.length > 0 ? `restored in full: ${done.join(', ')}` : 'no collection was restored in full'
      }. Fix the cause, then run restore again with --replace.`,
      { cause: error },
    );
  }
  const documents = Object.values(restored).reduce((sum, count) => sum + count, 0);
  return { database: db.databaseName, restored, documents, replaced };
}
