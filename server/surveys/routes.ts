import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { isDatabaseUnavailable } from '../db/errors.js';
import { NotFoundError } from '../http/errors.js';
import { validate } from '../http/validate.js';
import type { Translate } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/localised.js';
import { InvalidPageError, NotSentError, UnsavedPageError } from './errors.js';
import { resumeTokenSchema } from './responses/tokens.js';
import { surveyPaths } from './paths.js';
import { checkView, deletableDraft, deleteDraft, donePage, submit } from './check-and-send.js';
import {
  answerFirstPage,
  answerPage,
  firstPageView,
  nextStep,
  openSurvey,
  openSurveys,
  pageView,
  unsavedPageView,
  type PageOutcome,
  type RespondentContext,
} from './service.js';

const surveyParams = z.object({ surveyId: z.string().max(64) });
const draftParams = surveyParams.extend({ token: resumeTokenSchema });
const pageParams = draftParams.extend({ pageId: z.string().max(64) });

const parseParams = <T extends z.ZodType>(schema: T, request: Request): z.infer<T> =>
  validate(request, { params: schema }).params;

/**
 * Redirects, keeping the language when the request named it (`?lang=cy` on the form's action), so a
 * browser that refuses cookies stays in Welsh. A path that already names a language keeps its own.
 */
function redirect(response: Response, to: string): void {
  const { languageInLink, withLanguage } = response.locals as {
    languageInLink?: boolean;
    withLanguage?: (path: string) => string;
  };
  response.redirect(303, languageInLink && withLanguage && !/[?&]lang=/.test(to) ? withLanguage(to) : to);
}

/** A redirect, the page, or (when what was sent needs fixing) the page with its errors, through the error handler. */
function respond(response: Response, outcome: PageOutcome): void {
  if (outcome.kind === 'redirect') return redirect(response, outcome.to);
  if (outcome.view.errors.length > 0) throw new InvalidPageError(outcome.view);
  response.render('survey-page', { view: outcome.view, paths: surveyPaths });
}

/**
 * If the database cannot be reached while a page is posted, the respondent gets the same page back
 * with their answers in it and a "try again" message: nothing is acknowledged that was not stored.
 */
function keepAnswersIfOffline(
  context: RespondentContext,
  pageIdOf: (request: Request) => string,
  handler: (request: Request, response: Response) => Promise<void>,
) {
  return async (request: Request, response: Response) => {
    try {
      await handler(request, response);
    } catch (error) {
      const survey = context.surveys.get(String(request.params.surveyId));
      if (!isDatabaseUnavailable(error) || !survey || survey.origin === 'imported') throw error;
      const token = typeof request.params.token === 'string' ? request.params.token : undefined;
      throw new UnsavedPageError(
        unsavedPageView(survey, pageIdOf(request), token, request.body, response.locals.t('error.saveFailed')),
      );
    }
  };
}

/** The public survey pages. Nothing here needs a login or JavaScript. */
export function surveyRoutes(context: RespondentContext): Router {
  const router = Router({ caseSensitive: true });

  router.use('/s', (_request, response, next) => {
    // Answers may be personal: no browser or proxy should keep a copy.
    response.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/', async (_request, response) => {
    response.render('index', { surveys: await openSurveys(context), paths: surveyPaths });
  });

  router.get('/s/:surveyId', async (request, response) => {
    const survey = await openSurvey(context, parseParams(surveyParams, request).surveyId);
    response.render('survey-page', { view: firstPageView(survey), paths: surveyPaths });
  });

  router.post(
    '/s/:surveyId',
    keepAnswersIfOffline(
      context,
      (request) => context.surveys.get(String(request.params.surveyId))?.definition.pages[0]?.id ?? '',
      async (request, response) => {
        const survey = await openSurvey(context, parseParams(surveyParams, request).surveyId);
        const { locale, t } = response.locals;
        respond(response, await answerFirstPage(context, { survey, body: request.body, locale, t }));
      },
    ),
  );

  router.get('/s/:surveyId/r/:token', async (request, response) => {
    const { surveyId, token } = parseParams(draftParams, request);
    redirect(response, await nextStep(context, await openSurvey(context, surveyId), token));
  });

  router.get('/s/:surveyId/r/:token/p/:pageId', async (request, response) => {
    const { surveyId, token, pageId } = parseParams(pageParams, request);
    respond(response, await pageView(context, await openSurvey(context, surveyId), token, pageId));
  });

  router.post(
    '/s/:surveyId/r/:token/p/:pageId',
    keepAnswersIfOffline(
      context,
      (request) => String(request.params.pageId),
      async (request, response) => {
        const { surveyId, token, pageId } = parseParams(pageParams, request);
        const { locale, t } = response.locals;
        const survey = await openSurvey(context, surveyId);
        respond(response, await answerPage(context, { survey, token, pageId, body: request.body, locale, t }));
      },
    ),
  );

  router.get('/s/:surveyId/r/:token/check', async (request, response) => {
    const { surveyId, token } = parseParams(draftParams, request);
    const view = await checkView(
      context,
      await openSurvey(context, surveyId),
      token,
      response.locals as { t: Translate; locale: Locale },
    );
    if ('redirect' in view) return redirect(response, view.redirect);
    response.render('check-answers', { view, paths: surveyPaths });
  });

  router.post('/s/:surveyId/r/:token/submit', async (request, response) => {
    const { surveyId, token } = parseParams(draftParams, request);
    try {
      redirect(response, await submit(context, await openSurvey(context, surveyId), token));
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      throw new NotSentError(surveyPaths.submit(surveyId, token), surveyPaths.check(surveyId, token));
    }
  });

  router.get('/s/:surveyId/r/:token/saved', async (request, response) => {
    const { surveyId, token } = parseParams(draftParams, request);
    const survey = await openSurvey(context, surveyId);
    // Never built from the Host header, which the client chooses: the configured address, or a relative link.
    // The link keeps the respondent's language, so it reopens the survey in the language they chose.
    const { locale } = response.locals as { locale: Locale };
    const language = locale === 'en' ? '' : `?lang=${locale}`;
    const resumeUrl = `${context.publicUrl ?? ''}${surveyPaths.resume(survey.id, token)}${language}`;
    const deleteUrl = surveyPaths.delete(survey.id, token);
    response.render('saved', { survey, resumeUrl, deleteUrl, continueUrl: await nextStep(context, survey, token) });
  });

  // A respondent's own unsent answers, deleted from their private link (even once the survey has closed).
  router.get('/s/:surveyId/r/:token/delete', async (request, response) => {
    const { surveyId, token } = parseParams(draftParams, request);
    const survey = context.surveys.get(surveyId);
    if (!survey || survey.origin === 'imported') throw new NotFoundError();
    const deletable = await deletableDraft(context, survey, token);
    response.render('delete-draft', { survey, token, paths: surveyPaths, state: deletable ? 'confirm' : 'sent' });
  });

  router.post('/s/:surveyId/r/:token/delete', async (request, response) => {
    const { surveyId, token } = parseParams(draftParams, request);
    const survey = context.surveys.get(surveyId);
    if (!survey || survey.origin === 'imported') throw new NotFoundError();
    const state = await deleteDraft(context, survey, token);
    response.render('delete-draft', { survey, token, paths: surveyPaths, state });
  });

  router.get('/s/:surveyId/r/:token/done', async (request, response) => {
    const { surveyId, token } = parseParams(draftParams, request);
    const survey = context.surveys.get(surveyId);
    if (!survey || survey.origin === 'imported') throw new NotFoundError();
    // A respondent who submitted just before the close date still sees their thank-you page.
    const done = await donePage(context, survey, token);
    if (done.redirect) return redirect(response, done.redirect);
    response.render('thanks', { survey, reference: done.reference });
  });

  return router;
}
