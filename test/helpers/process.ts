import { startAppProcess } from '../../scripts/app-process.js';

export { kill, startAppProcess, type AppProcess } from '../../scripts/app-process.js';

export function runToExit(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  return startAppProcess(env).then(
    (app) => {
      app.child.kill('SIGKILL');
      return { code: null, output: app.output() };
    },
    (error: { code?: number; output?: string }) => ({
      code: error.code ?? null,
      output: error.output ?? String(error),
    }),
  );
}
