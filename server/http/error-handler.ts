import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { MessageCatalogue, Translate } from '../i18n/catalogue.js';
import {
  AppError,
  BadRequestError,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
  type FieldIssue,
} from './errors.js';
import { wantsJson } from './negotiate.js';
import { redactedPath } from './request-log.js';

/** Errors from body parsing carry an HTTP status and a `type`; nothing else of theirs is shown. */
interface HttpLikeError {
  status?: number;
  type?: string;
}

export const notFoundHandler: RequestHandler = (_request, _response, next) => next(new NotFoundError());

/** Any error as an AppError: the ones the app raised as they are, the rest classified. */
function toAppError(error: unknown, t: Translate): { error: AppError; expected: boolean } {
  if (error instanceof AppError) return { error, expected: true };
  const http = (error ?? {}) as HttpLikeError;
  if (http.type === 'entity.too.large')
    return { error: new AppError(413, t('error.tooLarge'), 'error.badRequest.title'), expected: true };
  if (typeof http.type === 'string' && http.type.startsWith('entity.'))
    return { error: new BadRequestError(t('error.wrongType')), expected: true };
  if (typeof http.status === 'number' && http.status >= 400 && http.status < 500) {
    return {
      error:
        http.status === 404
          ? new NotFoundError()
          : new AppError(http.status, t('error.wrongType'), 'error.badRequest.title'),
      expected: true,
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      error: new ServiceUnavailableError(t('error.databaseUnavailable')),
      expected: true,
    };
  }
  return { error: new AppError(500, t('error.generic.body')), expected: false };
}

function translated(t: Translate, key: string, fallback: string): string {
  try {
    return t(key);
  } catch {
    return fallback;
  }
}

/**
 * The one place errors become responses. People see a plain message, in the back-office layout
 * when signed in, or the error's own page; a client that asks for JSON gets JSON. Stack traces
 * stay in the log.
 */
export function errorHandler(fallbackCatalogue: MessageCatalogue): ErrorRequestHandler {
  return (raw: unknown, request, response, _next) => {
    const t: Translate = response.locals.t ?? fallbackCatalogue.translator('en');
    const { error, expected } = toAppError(raw, t);
    if (!expected) console.error(`Unhandled error on ${request.method} ${redactedPath(request.originalUrl)}:`, raw);
    // Half a download already went out: end the connection so the client sees it failed.
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const title = translated(
      t,
      error.titleKey,
      translated(t, 'error.generic.title', 'Sorry, there is a problem with the service'),
    );
    const issues: FieldIssue[] = error instanceof ValidationError ? error.issues : [];
    response.status(error.status).set(error.presentation.headers ?? {});
    if (wantsJson(request)) {
      response.json({ error: { status: error.status, title, message: error.message, issues } });
      return;
    }
    const locals = {
      t,
      pick: response.locals.pick ?? ((text: { en: string }) => text.en),
      locale: response.locals.locale ?? 'en',
      locales: response.locals.locales ?? ['en'],
    };
    const view = error.presentation.view ?? (response.locals.user ? 'office/error' : 'error');
    const data = error.presentation.view
      ? error.presentation.locals
      : {
          title,
          message: error.presentation.messageKey
            ? translated(t, error.presentation.messageKey, error.message)
            : error.message,
          status: error.status,
          issues,
        };
    // If even the error page cannot be drawn, a line of plain text: never Express's page with a stack trace.
    response.render(view, { ...locals, ...data }, (renderError, html) => {
      if (renderError) {
        console.error(
          `Could not render the error page for ${request.method} ${redactedPath(request.originalUrl)}:`,
          renderError,
        );
        response.type('text/plain').send(`${title}: ${error.message}`);
        return;
      }
      response.send(html);
    });
  };
}
