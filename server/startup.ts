import type { Server } from 'node:http';
import type { Connection } from 'mongoose';
import { createAppParts } from './app.js';
import { readEnvironment, type Environment } from './config.js';
import { connectDatabase } from './db/connection.js';
import { startEmbeddedDatabase } from './db/embedded.js';
import { watchPoolActivity } from './db/pool-activity.js';
import type { RunningDatabase } from './db/ferretdb.js';
import { loadSignposting } from './help/signposting.js';
import { MessageCatalogue } from './i18n/catalogue.js';
import { defaultRateLimits } from './http/rate-limits.js';
import { jsonLinesLogger } from './http/request-log.js';
import { startHousekeeping } from './housekeeping.js';
import { startHeartbeat } from './db/heartbeat.js';
import { auditTrail } from './audit/service.js';
import { responseModel } from './surveys/responses/model.js';
import { sessionSecret } from './auth/secret.js';
import { userModel } from './auth/user-model.js';
import { loadCodebookFiles } from './codebooks/files.js';
import { codebookModels } from './codebooks/model.js';
import { seedCodebooks } from './codebooks/service.js';
import { codingModels } from './coding/model.js';
import { loadSurveys } from './surveys/registry.js';
import { loadAnonymiseRules } from './surveys/responses/retention.js';
import { ChangeCounters } from './db/change-counter.js';

export const EMBEDDED_DB_NAME = 'survey_platform';

/** Indexes, and the starter codebooks on first start. Safe to run on every start. */
export async function prepareDatabase(connection: Connection): Promise<void> {
  await Promise.all([
    responseModel(connection).init(),
    userModel(connection).init(),
    codingModels(connection).events.init(),
  ]);
  await seedCodebooks(codebookModels(connection), loadCodebookFiles());
}

export interface RunningApp {
  url: string;
  server: Server;
  connection: Connection;
  close(): Promise<void>;
}

/** Validates every data file, then connects to the database (starting the embedded one if needed) and listens. */
export async function startApp(env: Environment = readEnvironment()): Promise<RunningApp> {
  const surveys = loadSurveys(env.SURVEYS_DIR);
  const signposting = loadSignposting(env.SIGNPOSTING_FILE);
  const catalogue = MessageCatalogue.load();
  const rules = loadAnonymiseRules(surveys);

  let embedded: RunningDatabase | undefined;
  let uri = env.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedDatabase({ dataDir: env.DATA_DIR, kind: env.EMBEDDED_DB });
    uri = embedded.uri;
  }
  const connection = await connectDatabase(uri, embedded ? EMBEDDED_DB_NAME : undefined);
  const poolActivity = watchPoolActivity(connection);
  await prepareDatabase(connection);

  const { app, throttle, schedules, checkpointsSaved } = createAppParts({
    connection,
    surveys,
    signposting,
    catalogue,
    trustProxy: env.TRUST_PROXY,
    publicUrl: env.PUBLIC_URL,
    minimumBase: env.REPORT_MIN_BASE,
    rateLimits: { ...defaultRateLimits, publicPostsPerMinute: env.RATE_LIMIT_PUBLIC_PER_MINUTE },
    sessionSecret: await sessionSecret(connection, env.SESSION_SECRET),
    requestLogger: env.LOG_REQUESTS === 'on' ? jsonLinesLogger : undefined,
  });
  const housekeeping = startHousekeeping(
    {
      surveys,
      schedules,
      responses: responseModel(connection),
      throttle,
      counters: new ChangeCounters(connection),
      rules,
      audit: auditTrail(connection),
    },
    {
      draftRetentionDays: env.DRAFT_RETENTION_DAYS,
      signInRecordDays: env.SIGN_IN_RECORD_DAYS,
      retention: { purgeDraftsAfter: env.RETENTION_PURGE_DRAFTS_AFTER, anonymiseAfter: env.RETENTION_ANONYMISE_AFTER },
    },
  );
  // Lets a restore see that the app is running on this database, and refuse.
  const heartbeat = startHeartbeat(connection);
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(env.PORT, env.HOST, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  return {
    url: `http://${env.HOST}:${port}`,
    server,
    connection,
    close: async () => {
      // Stop taking requests, let the ones in flight finish and their saves land (10 s at most),
      // then close the database.
      housekeeping.stop();
      await heartbeat.stop();
      const deadline = Date.now() + 10_000;
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      server.closeAllConnections();
      // A checkpoint being saved spares the next start a rebuild; within the same 10 s.
      await Promise.race([
        checkpointsSaved(),
        new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref()),
      ]);
      await poolActivity.settled(200, deadline);
      await connection.close();
      await embedded?.stop();
    },
  };
}
