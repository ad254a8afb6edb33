import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable } from '../db/errors.js';
import { MessageCatalogue } from '../i18n/catalogue.js';
import { AppError, NotFoundError, SurveyClosedError } from './errors.js';

/** Errors from body parsing carry an HTTP status and a `type`; nothing else of theirs is shown. */
interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  name?: string;
}


function safely(make: () => string, fallback: string): string {
  try {
    return make();
  } catch {
    return fallback;
  }
}

export const notFoundHandler: RequestHandler = (_request, _response, next) => next(new NotFoundError());

/** The one place errors become pages. Users see a plain message; stack traces stay in the log. */
export function errorHandler(fallbackCatalogue: MessageCatalogue): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const t = response.locals.t ?? fallbackCatalogue.translator('en');
    const httpError = (error ?? {}) as HttpLikeError;
    let status = 500;
    let title = t('error.generic.title');
    let message = t('error.generic.body');

    if (error instanceof SurveyClosedError) {
      response.status(403).render('closed', { survey: error.survey, dates: error.dates, t, pick: response.locals.pick });
      return;
    }
    if (error instanceof AppError) {
      status = error.status;
      title = safely(() => t(error.titleKey), title);
      message = error.message;
    } else if (httpError.type === 'entity.too.large') {
      status = 413;
      title = t('error.badRequest.title');
      message = t('error.tooLarge');
    } else if (typeof httpError.type === 'string' && httpError.type.startsWith('entity.')) {
      status = 400;
      title = t('error.badRequest.title');
      message = t('error.wrongType');
    } else if (typeof httpError.status === 'number' && httpError.status >= 400 && httpError.status < 500) {
      status = httpError.status;
      title = t(status === 404 ? 'error.notFound.title' : 'error.badRequest.title');
      message = status === 404 ? new NotFoundError().message : t('error.wrongType');
    } else if (isDatabaseUnavailable(error)) {
      status = 503;
      title = t('error.unavailable.title');
      message = 'We could not reach our database just now. Nothing you typed on this page was saved: go back and try again in a minute.';
    } else {
      console.error(`Unhandled error on ${request.method} ${request.originalUrl}:`, error);
    }
    if (response.headersSent) return;
    response.status(status).render('error', { title, message, status, t, pick: response.locals.pick });
  };
}
