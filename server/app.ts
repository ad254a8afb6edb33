import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import { projectRoot } from './config.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { helpRoutes } from './help/routes.js';
import type { Signposting } from './help/signposting.js';
import type { MessageCatalogue } from './i18n/catalogue.js';
import { localeMiddleware } from './i18n/middleware.js';
import { responseModel } from './responses/model.js';
import type { SurveyRegistry } from './surveys/registry.js';
import { surveyRoutes } from './surveys/routes.js';

export interface AppDependencies {
  connection: Connection;
  surveys: SurveyRegistry;
  signposting: Signposting;
  catalogue: MessageCatalogue;
  now?: () => Date;
  trustProxy?: boolean;
}

/** Room for a full page of long answers (10,000 characters each, percent-encoded), and no more. */
export const BODY_LIMIT = '512kb';

export function createApp({ connection, surveys, signposting, catalogue, now = () => new Date(), trustProxy = false }: AppDependencies): Express {
  const app = express();
  app.set('trust proxy', trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', path.join(projectRoot, 'views'));
  app.disable('x-powered-by');

  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'frame-ancestors': ["'none'"], 'form-action': ["'self'"] } },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: trustProxy,
    }),
  );
  app.use('/public', express.static(path.join(projectRoot, 'public'), { maxAge: '1h', fallthrough: false }));
  app.use(localeMiddleware(catalogue));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 200 }));
  app.use(express.json({ limit: BODY_LIMIT, strict: true }));

  app.use(helpRoutes(signposting));
  app.use(surveyRoutes({ surveys, responses: responseModel(connection), now }));

  app.use(notFoundHandler);
  app.use(errorHandler(catalogue));
  return app;
}
