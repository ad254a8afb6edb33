import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../server/config.js';

export interface AppProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/**
 * Runs `server/main.ts` as `npm start` does, in its own process, and waits for it to listen. Used by
 * the tests that kill and restart the app, the load script and the benchmarks. `echoErrors` passes
 * the app's error output through, for runs long enough that a failure should show as it happens.
 */
export function startAppProcess(
  env: Record<string, string | undefined>,
  { echoErrors = false, compiled = false } = {},
): Promise<AppProcess> {
  const { MONGODB_URI: _ignored, ...inherited } = process.env;
  // `compiled`: the built JavaScript `npm start` runs (benchmarks of memory); otherwise TypeScript through tsx.
  const main = compiled
    ? [path.join(projectRoot, 'dist', 'server', 'main.js')]
    : ['--import', 'tsx', path.join(projectRoot, 'server', 'main.ts')];
  const child = spawn(process.execPath, main, {
    cwd: projectRoot,
    env: { ...inherited, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`App did not start:\n${output}`)), 45_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      if (listening?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: listening[1], output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    if (echoErrors) child.stderr.pipe(process.stderr);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`App exited with code ${code}:\n${output}`), { code, output }));
    });
  });
}

export function kill(app: AppProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (app.child.exitCode !== null || app.child.signalCode !== null) return resolve();
    app.child.once('exit', () => resolve());
    app.child.kill(signal);
  });
}
