import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../config.js';

export const ferretdbBinary = path.join(projectRoot, '.bin', 'ferretdb');

export interface RunningDatabase {
  uri: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts the FerretDB launcher (tools/ferretdb, built by `npm install`) on its SQLite backend,
 * keeping its files in `dataDir`, and resolves once it accepts connections.
 */
export async function startFerretDb({ dataDir, port }: { dataDir: string; port?: number }): Promise<RunningDatabase> {
  if (!fs.existsSync(ferretdbBinary)) {
    throw new Error(
      `FerretDB launcher not found at ${ferretdbBinary}. Run "npm run build:ferretdb" (needs Go), or set MONGODB_URI.`,
    );
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const listen = `127.0.0.1:${port ?? (await freePort())}`;
  // An open stdin pipe ties FerretDB's life to ours: if this process is killed, FerretDB stops too.
  const child = spawn(ferretdbBinary, ['--listen', listen, '--data', dataDir, '--exit-on-stdin-close'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const uri = await waitForReady(child);
  return {
    uri,
    stop: () => stopChild(child),
  };
}

function waitForReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`FerretDB did not start within 30 s:\n${output}`)), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      const ready = /READY (mongodb:\/\/\S+)/.exec(chunk.toString());
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.once('exit', (code) => fail(new Error(`FerretDB exited (code ${code}) before it was ready:\n${output}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
