import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startFerretDb } from '../../server/db/ferretdb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

/**
 * One real database server for the whole run: MONGODB_URI when given, otherwise a FerretDB on a
 * free port with a throwaway data folder. Each test file works in its own database.
 */
export default async function setup(project: TestProject) {
  if (process.env.MONGODB_URI) {
    project.provide('mongoUri', process.env.MONGODB_URI);
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'survey-test-db-'));
  const database = await startFerretDb({ dataDir });
  project.provide('mongoUri', database.uri);
  return async () => {
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
