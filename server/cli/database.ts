import type { Connection } from 'mongoose';
import { readEnvironment } from '../config.js';
import { connectDatabase } from '../db/connection.js';
import { startEmbeddedDatabase } from '../db/embedded.js';
import { EMBEDDED_DB_NAME } from '../startup.js';

/**
 * Runs `work` on the app's database: MONGODB_URI, or the embedded one (joining it when the app is
 * running on the same DATA_DIR), closed afterwards.
 */
export async function withDatabase<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
  const env = readEnvironment();
  const embedded = env.MONGODB_URI
    ? undefined
    : await startEmbeddedDatabase({ dataDir: env.DATA_DIR, kind: env.EMBEDDED_DB });
  const connection = await connectDatabase(env.MONGODB_URI ?? embedded!.uri, embedded ? EMBEDDED_DB_NAME : undefined);
  try {
    return await work(connection);
  } finally {
    await connection.close();
    await embedded?.stop();
  }
}
