// `npm start`: the compiled app, built first when it is missing or built from other sources, so
// `npm install && npm start` on a fresh clone still just works.
import { pathToFileURL } from 'node:url';
import { build, compiledMain, isStale } from './build.mjs';

try {
  if (isStale()) build();
} catch (error) {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
await import(pathToFileURL(compiledMain).href);
