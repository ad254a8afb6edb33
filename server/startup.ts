import type { Server } from 'node:http';
import type { Connection } from 'mongoose';
import { createApp } from './app.js';
import { readEnvironment, type Environment } from './config.js';
import { connectDatabase } from './db/connection.js';
import { startEmbeddedDatabase } from './db/embedded.js';
import type { RunningDatabase } from './db/ferretdb.js';
import { loadSignposting } from './help/signposting.js';
import { MessageCatalogue } from './i18n/catalogue.js';
import { responseModel } from './responses/model.js';
import { loadSurveys } from './surveys/registry.js';

export const EMBEDDED_DB_NAME = 'survey_platform';

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

  let embedded: RunningDatabase | undefined;
  let uri = env.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedDatabase({ dataDir: env.DATA_DIR, kind: env.EMBEDDED_DB });
    uri = embedded.uri;
  }
  const connection = await connectDatabase(uri, embedded ? EMBEDDED_DB_NAME : undefined);
  await responseModel(connection).init();

  const app = createApp({ connection, surveys, signposting, catalogue, trustProxy: env.TRUST_PROXY });
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
      await embedded?.stop();
    },
  };
}
