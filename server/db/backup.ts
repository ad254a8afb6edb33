import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EJSON, type Document } from 'bson';
import type { Connection, mongo } from 'mongoose';
import { z } from 'zod';
import { projectRoot } from '../config.js';
import { HEARTBEAT_COLLECTION } from './heartbeat.js';
import { DERIVED_COLLECTIONS } from './checkpoint-collections.js';

/**
 * The shape of the stored data. Raise it when a change to the models means an older backup can no
 * longer be restored as it is; `restore` refuses a backup of another schema version.
 */
export const SCHEMA_VERSION = 1;
export const MANIFEST = 'manifest.json';

const indexSchema = z.object({
  name: z.string(),
  key: z.record(
    z.string(),
    z.custom<mongo.IndexDirection>((value) => typeof value === 'number' || typeof value === 'string'),
  ),
  unique: z.boolean().optional(),
});
export type IndexSpec = z.infer<typeof indexSchema>;

export const manifestSchema = z.object({
  app: z.object({ name: z.string(), version: z.string() }),
  schemaVersion: z.number().int(),
  createdAt: z.string(),
  collections: z.record(
    z.string(),
    z.object({
      count: z.number().int().min(0),
      sha256: z.string().regex(/^[a-f0-9]{64}$/),
      indexes: z.array(indexSchema).default([]),
    }),
  ),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function appVersion(): { name: string; version: string } {
  const parsed = z
    .object({ name: z.string(), version: z.string() })
    .parse(JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')));
  return { name: parsed.name, version: parsed.version };
}

/** The collections that hold the app's data, by name (the database's own system collections left out). */
export async function dataCollections(connection: Connection): Promise<string[]> {
  const db = connection.db;
  if (!db) throw new Error('The database is not connected.');
  const listed = await db.listCollections({}, { nameOnly: true }).toArray();
  return listed
    .map((entry) => entry.name)
    .filter(
      (name) => !name.startsWith('system.') && name !== HEARTBEAT_COLLECTION && !DERIVED_COLLECTIONS.includes(name),
    )
    .sort();
}

/** A collection's file: one document per line, canonical Extended JSON, so every type comes back as it was. */
export const collectionFile = (name: string) => `${name}.jsonl`;
export const toLine = (document: Document) => `${EJSON.stringify(document, { relaxed: false })}\n`;

function indexesOf(listed: Document[]): IndexSpec[] {
  return listed
    .filter((index) => index.name !== '_id_')
    .map((index) => indexSchema.parse({ name: index.name, key: index.key, unique: index.unique || undefined }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Writes every collection to `dir` (which must be missing or empty), each in `_id` order so the same
 * data gives the same file, then `manifest.json` with each file's count and SHA-256: a folder
 * without a manifest is an unfinished backup. Reads run alongside the app's writes; each collection
 * is read once, from start to end.
 */
export async function writeBackup(connection: Connection, dir: string, now = new Date()): Promise<Manifest> {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0)
    throw new Error(`${dir} is not empty: give a new folder for each backup.`);
  // The backup holds every answer and account: readable by the app's user only.
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const db = connection.db!;
  const collections: Manifest['collections'] = {};
  for (const name of await dataCollections(connection)) {
    const collection = db.collection(name);
    const hash = crypto.createHash('sha256');
    const out = fs.createWriteStream(path.join(dir, collectionFile(name)), { mode: 0o600 });
    let count = 0;
    try {
      for await (const document of collection.find({}).sort({ _id: 1 }).batchSize(1000)) {
        const line = toLine(document);
        hash.update(line);
        count++;
        if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
    } finally {
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    }
    collections[name] = { count, sha256: hash.digest('hex'), indexes: indexesOf(await collection.indexes()) };
  }
  const manifest: Manifest = {
    app: appVersion(),
    schemaVersion: SCHEMA_VERSION,
    createdAt: now.toISOString(),
    collections,
  };
  fs.writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}
