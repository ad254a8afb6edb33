import path from 'node:path';
import express, { type Express } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import { adminOperationsRoutes } from './admin/operations-routes.js';
import { adminRoutes } from './admin/routes.js';
import { auditTrail } from './audit/service.js';
import { ensureCsrfToken } from './auth/csrf.js';
import { currentUser } from './auth/guard.js';
import { configurePassport } from './auth/passport.js';
import { authRoutes } from './auth/routes.js';
import { isAccount } from './auth/service.js';
import { MongoSessionStore } from './auth/session-store.js';
import { LoginThrottle, type ThrottleSettings } from './auth/throttle.js';
import { userModel } from './auth/user-model.js';
import { searchRoutes } from './autocode/search-routes.js';
import { EngineSuggestions } from './autocode/service.js';
import { themeRoutes } from './autocode/themes-routes.js';
import type { SuggestionSource } from './coding/suggestions.js';
import { codebookModels } from './codebooks/model.js';
import { codebookEditRoutes, codebookReadRoutes, codebookUploadRoutes } from './codebooks/routes.js';
import { codeBatchModel } from './coding/bulk-actions.js';
import { EventCodeUsage } from './coding/code-usage.js';
import { codingModels } from './coding/model.js';
import { CodingReadModel } from './coding/read-model.js';
import { leadRoutes } from './coding/lead-routes.js';
import { memoRoutes } from './coding/memo-routes.js';
import { codingRoutes } from './coding/routes.js';
import type { CodingContext } from './coding/target.js';
import { projectRoot } from './config.js';
import { ChangeCounters } from './db/change-counter.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { defaultRateLimits, rateLimits, type RateLimitSettings } from './http/rate-limits.js';
import { healthCheck } from './http/health.js';
import { requestLog, type RequestLogger } from './http/request-log.js';
import { helpRoutes } from './help/routes.js';
import type { Signposting } from './help/signposting.js';
import type { MessageCatalogue } from './i18n/catalogue.js';
import { localeMiddleware } from './i18n/middleware.js';
import { ImportedSurveyCatalogue } from './imports/catalogue.js';
import { importRoutes } from './imports/routes.js';
import { reportRoutes } from './reports/routes.js';
import { responseModel } from './surveys/responses/model.js';
import type { MutableSurveyRegistry, SurveyRegistry } from './surveys/registry.js';
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
  /** How many proxies stand in front of the app (0: none). */
  trustProxy?: number;
  /** Where respondents reach the surveys, for the private resume link; without it the link is relative. */
  publicUrl?: string;
  throttle?: ThrottleSettings;
  rateLimits?: RateLimitSettings;
  /** Breakdown columns with fewer answers than this withhold their percentages (default 5). */
  minimumBase?: number;
  /** Where each request's log line goes (none when absent). */
  requestLogger?: RequestLogger;
}

/** The app, and the parts of it that background jobs (purging old records) work with. */
export interface AppParts {
  app: Express;
  throttle: LoginThrottle;
  schedules: SurveySchedules;
  /** Checkpoints of open questions still being saved: a clean shutdown lets them land. */
  checkpointsSaved(): Promise<void>;
}

/** Room for a full page of long answers (10,000 characters each, percent-encoded), and no more. */
export const BODY_LIMIT = '512kb';
const SESSION_HOURS = 8;

function setUpExpress(app: Express, trustProxy: number): void {
  // Set before anything is mounted: routers built afterwards take these as their defaults.
  app.set('case sensitive routing', true);
  app.set('trust proxy', trustProxy);
  app.set('view engine', 'ejs');
  // Pages in views/; each question type's partial beside its module in server/surveys/question-types/.
  app.set('views', [path.join(projectRoot, 'views'), path.join(projectRoot, 'server', 'surveys')]);
  // Compiled templates are kept unless someone is editing them (Express only caches in production by default).
  app.set('view cache', process.env.NODE_ENV !== 'development');
  app.disable('x-powered-by');
}

function setUpSecurityHeaders(app: Express, behindProxy: boolean): void {
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'frame-ancestors': ["'none'"], 'form-action': ["'self'"] } },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: behindProxy,
    }),
  );
}

function setUpRequestParsing(app: Express, catalogue: MessageCatalogue): void {
  // The language first: every page, error pages for static files included, is rendered in one.
  app.use(localeMiddleware(catalogue));
  app.use('/public', express.static(path.join(projectRoot, 'public'), { maxAge: '1h', fallthrough: false }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 200 }));
  app.use(express.json({ limit: BODY_LIMIT, strict: true }));
}

/** Sessions exist only for the back office: respondents never get a session cookie. */
function setUpSessions(app: Express, connection: Connection, secret: string): ReturnType<typeof configurePassport> {
  app.use(
    session({
      name: 'sid',
      secret,
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
    response.locals.user = currentUser(request);
    // Every back-office page, error pages included, carries the sign-out form and its token.
    if (response.locals.user) response.locals.csrfToken = ensureCsrfToken(request);
    next();
  });
  return passport;
}

function codingContextFor(dependencies: AppDependencies): CodingContext {
  const { connection, surveys } = dependencies;
  const counters = new ChangeCounters(connection);
  const coding = codingModels(connection);
  const readModel = new CodingReadModel({ responses: responseModel(connection), coding, counters });
  return {
    surveys,
    codebooks: codebookModels(connection),
    coding,
    readModel,
    counters,
    users: userModel(connection),
    audit: auditTrail(connection),
    suggestions: dependencies.suggestions ?? suggestionEngine(readModel, surveys),
  };
}

/** The auto-coding engine, taught every coding the read model sees: the one place the two are joined. */
function suggestionEngine(readModel: CodingReadModel, surveys: SurveyRegistry): SuggestionSource {
  const engine = new EngineSuggestions(readModel, surveys);
  readModel.onChange((change) => engine.learnChange(change));
  return engine;
}

export function createAppParts(given: AppDependencies): AppParts {
  // Imported surveys join the definition files' surveys in this app's own registry as they are found.
  const registry: MutableSurveyRegistry = new Map(given.surveys);
  const dependencies = { ...given, surveys: registry };
  const { connection, surveys, signposting, catalogue, now = () => new Date(), trustProxy = 0 } = dependencies;
  const app = express();
  setUpExpress(app, trustProxy);
  if (dependencies.requestLogger) app.use(requestLog(dependencies.requestLogger));
  setUpSecurityHeaders(app, trustProxy > 0);
  // For load balancers: before sessions (it never makes one) and before sign-in.
  app.get('/healthz', healthCheck(connection));
  setUpRequestParsing(app, catalogue);
  const passport = setUpSessions(app, connection, dependencies.sessionSecret);

  const coding = codingContextFor(dependencies);
  const importedSurveys = new ImportedSurveyCatalogue(connection, coding.counters, registry);
  // Only the back office shows imported surveys, so only signed-in requests look for new ones.
  app.use(async (request, _response, next) => {
    if (request.user) await importedSurveys.refresh();
    next();
  });
  const responses = responseModel(connection);
  const users = userModel(connection);
  const schedules = new SurveySchedules(connection);

  const limits = rateLimits(dependencies.rateLimits ?? defaultRateLimits);
  app.use('/s', limits.publicPosts);
  app.use('/login', limits.logins);

  // Public: anyone may reach these.
  app.use(helpRoutes(signposting));
  app.use(
    surveyRoutes({
      surveys,
      responses,
      schedules,
      counters: coding.counters,
      now,
      publicUrl: dependencies.publicUrl,
      // The survey and the response id, so a restore can delete it again; never the private link's secret.
      draftDeleted: (surveyId, responseId) =>
        coding.audit({
          actor: 'respondent',
          action: 'draft.deleted',
          target: surveyId,
          detail: { response: responseId },
        }),
    }),
  );
  const throttle = new LoginThrottle(connection, dependencies.throttle);
  app.use(authRoutes(passport, throttle, coding.audit, (email) => isAccount(coding.users, email)));

  // The back office: each router refuses anyone without its role, before any of its handlers.
  app.use('/work', codingRoutes(coding));
  app.use('/lead', leadRoutes(coding));
  app.use('/lead', themeRoutes(coding));
  app.use('/work', memoRoutes(coding));
  app.use('/work', searchRoutes(coding, codeBatchModel(connection)));
  // Reading codebooks is for everyone in the back office; any change falls through to the leads' router.
  const codebooks = { models: coding.codebooks, usage: new EventCodeUsage(coding.coding), users, audit: coding.audit };
  app.use('/codebooks', codebookUploadRoutes(codebooks));
  app.use('/codebooks', codebookReadRoutes(codebooks));
  app.use('/codebooks', codebookEditRoutes(codebooks));
  app.use(
    '/reports',
    reportRoutes({ ...coding, responses, users, schedules, now, minimumBase: dependencies.minimumBase ?? 5 }),
  );
  app.use('/admin/imports', importRoutes({ connection, registry }));
  app.use('/admin', adminRoutes({ ...coding, users, schedules, responses, now }));
  app.use('/admin', adminOperationsRoutes({ ...coding, users, schedules, responses, now, connection }));

  app.use(notFoundHandler);
  app.use(errorHandler(catalogue));
  return { app, throttle, schedules, checkpointsSaved: () => coding.readModel.checkpointsSaved() };
}

export function createApp(dependencies: AppDependencies): Express {
  return createAppParts(dependencies).app;
}
