import crypto from 'node:crypto';
import path from 'node:path';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApp } from '../../server/app.js';
import { projectRoot } from '../../server/config.js';
import { connectDatabase } from '../../server/db/connection.js';
import { loadSignposting } from '../../server/help/signposting.js';
import { MessageCatalogue } from '../../server/i18n/catalogue.js';
import { responseModel, type ResponseModel } from '../../server/surveys/responses/model.js';
import { loadSurveys } from '../../server/surveys/registry.js';
import { prepareDatabase } from '../../server/startup.js';
import type { ThrottleSettings } from '../../server/auth/throttle.js';
import type { SuggestionSource } from '../../server/coding/suggestions.js';
import type { RateLimitSettings } from '../../server/http/rate-limits.js';
import type { RequestLogger } from '../../server/http/request-log.js';

export const definitionsDir = path.join(projectRoot, 'server', 'surveys', 'definitions');

export interface TestApp {
  app: Express;
  connection: Connection;
  responses: ResponseModel;
  close(): Promise<void>;
}

/** The real app on the real test database, in a database of its own. */
interface AppOptions {
  surveysDir?: string;
  now?: () => Date;
  cataloguesDir?: string;
  throttle?: ThrottleSettings;
  suggestions?: SuggestionSource;
  trustProxy?: number;
  publicUrl?: string;
  rateLimits?: RateLimitSettings;
  requestLogger?: RequestLogger;
}

/** Another instance of the app on an existing database, e.g. one whose clock is past a close date. */
export function appOn(connection: Connection, options: AppOptions = {}): Express {
  return createApp({
    sessionSecret: 'test-secret-test-secret-test-secret-test-secret',
    throttle: options.throttle,
    suggestions: options.suggestions,
    trustProxy: options.trustProxy,
    publicUrl: options.publicUrl,
    rateLimits: options.rateLimits ?? { publicPostsPerMinute: 100_000, loginsPerMinute: 100_000 },
    connection,
    surveys: loadSurveys(options.surveysDir ?? definitionsDir),
    signposting: loadSignposting(path.join(projectRoot, 'server', 'help', 'signposting.json')),
    catalogue: MessageCatalogue.load(options.cataloguesDir),
    now: options.now,
    requestLogger: options.requestLogger,
  });
}

export async function startTestApp(options: AppOptions = {}): Promise<TestApp> {
  const connection = await connectDatabase(inject('mongoUri'), `test_${crypto.randomUUID().slice(0, 12)}`);
  const responses = responseModel(connection);
  await prepareDatabase(connection);
  const app = appOn(connection, options);
  return {
    app,
    connection,
    responses,
    close: async () => {
      await connection.dropDatabase();
      await connection.close();
    },
  };
}

/**
 * The real app on its own database for one test file: started before the file's tests and
 * dropped after them. Its fields are filled in once the file's first hook has run.
 */
export function useTestApp(options: AppOptions = {}): TestApp {
  const testApp = {} as TestApp;
  beforeAll(async () => {
    Object.assign(testApp, await startTestApp(options));
  });
  afterAll(async () => testApp.close());
  return testApp;
}
