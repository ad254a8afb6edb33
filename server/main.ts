import { startApp } from './startup.js';

try {
  const app = await startApp();
  console.log(`Survey platform listening on ${app.url}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  // Start-up problems (a broken definition, no database) are the operator's to fix: say what, not where.
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
