import path from 'node:path';
import express, { type Express } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import { adminRoutes } from './admin/routes.js';
import { accessGuard, currentUser } from './auth/access.js';
import { authRoutes, configurePassport } from './auth/routes.js';
import { MongoSessionStore } from './auth/session-store.js';
import type { ThrottleSettings } from './auth/throttle.js';
import { userModel } from './auth/user-model.js';
import { EngineSuggestions } from './autocode/service.js';
import type { SuggestionSource } from './autocode/suggest.js';
import { codebookModels } from './codebooks/model.js';
import { codebookRoutes } from './codebooks/routes.js';
import { codingModels } from './coding/model.js';
import { CodingReadModel } from './coding/read-model.js';
import { codingRoutes } from './coding/routes.js';
import { projectRoot } from './config.js';
import { ChangeCounters } from './db/change-counter.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { defaultRateLimits, rateLimits, type RateLimitSettings } from './http/rate-limits.js';
import { helpRoutes } from './help/routes.js';
import type { Signposting } from './help/signposting.js';
import type { MessageCatalogue } from './i18n/catalogue.js';
import { localeMiddleware } from './i18n/middleware.js';
import { exportRoutes, reportRoutes } from './reports/routes.js';
import { responseModel } from './responses/model.js';
import type { SurveyRegistry } from './surveys/registry.js';
import { surveyRoutes } from './surveys/routes.js';
import { SurveySchedules } from './surveys/schedule.js';

export interface AppDependencies {
  connection: Connection;
  surveys: SurveyRegistry;
  signposting: Signposting;
  catalogue: MessageCatalogue;
  sessionSecret: string;
  suggestions?: SuggestionSource;
  now?: () => Date;
  trustProxy?: boolean;
  throttle?: ThrottleSettings;
  rateLimits?: RateLimitSettings;
}

/** Room for a full page of long answers (10,000 characters each, percent-encoded), and no more. */
export const BODY_LIMIT = '512kb';
const SESSION_HOURS = 8;

export function createApp(dependencies: AppDependencies): Express {
  const { connection, surveys, signposting, catalogue, now = () => new Date(), trustProxy = false } = dependencies;
  const app = express();
  app.set('trust proxy', trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', path.join(projectRoot, 'views'));
  // Compiled templates are kept unless someone is editing them (Express only caches in production by default).
  app.set('view cache', process.env.NODE_ENV !== 'development');
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

  // Sessions exist only for the back office: respondents never get a session cookie.
  app.use(
    session({
      name: 'sid',
      secret: dependencies.sessionSecret,
      store: new MongoSessionStore(connection),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: SESSION_HOURS * 3600 * 1000 },
    }),
  );
  const passport = configurePassport(connection);
  app.use(passport.initialize());
  app.use(passport.session());
  app.use((request, response, next) => {
    response.locals.user = currentUser(request.user);
    next();
  });
  app.use(accessGuard);

  const counters = new ChangeCounters(connection);
  const responses = responseModel(connection);
  const coding = codingModels(connection);
  const codebooks = codebookModels(connection);
  const schedules = new SurveySchedules(connection);
  const readModel = new CodingReadModel({ responses, coding, counters });
  const codingContext = {
    surveys,
    codebooks,
    coding,
    readModel,
    suggestions: dependencies.suggestions ?? new EngineSuggestions(readModel, surveys),
  };

  const limits = rateLimits(dependencies.rateLimits ?? defaultRateLimits);
  app.use('/s', limits.publicPosts);
  app.use('/login', limits.logins);
  app.use(helpRoutes(signposting));
  app.use(surveyRoutes({ surveys, responses, schedules, counters, now }));
  app.use(authRoutes(connection, passport, dependencies.throttle));
  app.use(codingRoutes(codingContext));
  app.use(codebookRoutes(codebooks));
  app.use(adminRoutes({ ...codingContext, users: userModel(connection), schedules }));
  app.use(reportRoutes({ ...codingContext, responses, users: userModel(connection) }));
  app.use(exportRoutes({ ...codingContext, responses, users: userModel(connection) }));

  app.use(notFoundHandler);
  app.use(errorHandler(catalogue));
  return app;
}
