import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectDatabase } from '../../server/db/connection.js';
import { CHECKPOINT_CHUNKS, CHECKPOINT_HEADS } from '../../server/db/checkpoint-collections.js';
import { CODING_EVENTS } from '../../server/coding/log.js';
import { SUBMISSION_FEED } from '../../server/surveys/responses/feed.js';
import { prepareDatabase } from '../../server/startup.js';

/** A database of the file's own for read-model tests, without the app: the connection once ready. */
export function readModelDatabase(): () => Connection {
  let connection: Connection;
  beforeAll(async () => {
    connection = await connectDatabase(inject('mongoUri'), `test_${crypto.randomUUID().slice(0, 12)}`);
    await prepareDatabase(connection);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });
  return () => connection;
}

/** Empties what a read model is built from and saves: responses, the log, the feed, checkpoints (and the counters unless kept). */
export async function clearReadModelData(connection: Connection, { keepCounters = false } = {}): Promise<void> {
  const names = ['responses', CODING_EVENTS, SUBMISSION_FEED, CHECKPOINT_HEADS, CHECKPOINT_CHUNKS];
  if (!keepCounters) names.push('changecounters');
  await Promise.all(names.map((name) => connection.collection(name).deleteMany({})));
}
