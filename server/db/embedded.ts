import fs from 'node:fs';
import path from 'node:path';
import { ferretdbBinary, startFerretDb, type RunningDatabase } from './ferretdb.js';

/**
 * The database `npm start` uses when MONGODB_URI is not set, keeping its data under `dataDir`
 * across restarts: FerretDB when its launcher has been built (Go is available), otherwise a real
 * mongod from mongodb-memory-server (downloaded once, then cached).
 */
export async function startEmbeddedDatabase({ dataDir, kind }: { dataDir: string; kind: 'auto' | 'ferretdb' | 'mongod' }): Promise<RunningDatabase> {
  const useFerretDb = kind === 'ferretdb' || (kind === 'auto' && fs.existsSync(ferretdbBinary));
  if (useFerretDb) return startFerretDb({ dataDir: path.join(dataDir, 'ferretdb') });
  return startMongod(path.join(dataDir, 'mongod'));
}

async function startMongod(dbPath: string): Promise<RunningDatabase> {
  fs.mkdirSync(dbPath, { recursive: true });
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const server = await MongoMemoryServer.create({ instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1' } });
  return {
    uri: server.getUri(),
    stop: async () => {
      await server.stop({ doCleanup: false });
    },
  };
}
