import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { ferretdbBinary, startFerretDb, type RunningDatabase } from './ferretdb.js';

const markerSchema = z.object({ uri: z.string(), pid: z.number().int() });

/**
 * The database `npm start` uses when MONGODB_URI is not set, keeping its data under `dataDir`
 * across restarts: FerretDB when its launcher has been built (Go is available), otherwise a real
 * mongod from mongodb-memory-server (downloaded once, then cached).
 *
 * A second process on the same folder (another app process, or the CLI) joins the running server
 * rather than opening the same files with a second one.
 */
export async function startEmbeddedDatabase({
  dataDir,
  kind,
}: {
  dataDir: string;
  kind: 'auto' | 'ferretdb' | 'mongod';
}): Promise<RunningDatabase> {
  const useFerretDb = kind === 'ferretdb' || (kind === 'auto' && fs.existsSync(ferretdbBinary));
  const folder = path.join(dataDir, useFerretDb ? 'ferretdb' : 'mongod');
  const marker = path.join(folder, 'running.json');
  const running = await runningServer(marker);
  if (running) return { uri: running, stop: async () => undefined };

  const database = useFerretDb ? await startFerretDb({ dataDir: folder }) : await startMongod(folder);
  fs.writeFileSync(marker, JSON.stringify({ uri: database.uri, pid: process.pid }));
  return {
    uri: database.uri,
    stop: async () => {
      fs.rmSync(marker, { force: true });
      await database.stop();
    },
  };
}

/** The URI in the marker file, if the process that wrote it is alive and its server answers. */
async function runningServer(marker: string): Promise<string | undefined> {
  if (!fs.existsSync(marker)) return undefined;
  const parsed = markerSchema.safeParse(JSON.parse(fs.readFileSync(marker, 'utf8')));
  if (!parsed.success || !isAlive(parsed.data.pid)) return undefined;
  const { hostname, port } = new URL(parsed.data.uri);
  const answers = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
  return answers ? parsed.data.uri : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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
