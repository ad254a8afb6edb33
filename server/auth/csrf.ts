import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../http/errors.js';

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
  }
}

export class CsrfError extends AppError {
  constructor() {
    super(403, 'This form has expired or did not come from this site. Go back, reload the page and try again.', 'error.badRequest.title');
  }
}

/**
 * Synchroniser-token CSRF protection for the back office: each session has a secret token that
 * every state-changing form (or fetch, as a header) must send back.
 */
export const csrfProtection: RequestHandler = (request, response, next) => {
  if (!request.session) return next(new CsrfError());
  request.session.csrfToken ??= crypto.randomBytes(24).toString('base64url');
  response.locals.csrfToken = request.session.csrfToken;
  if (request.method === 'GET' || request.method === 'HEAD') return next();
  const body = request.body as Record<string, unknown> | undefined;
  const sent = typeof body?._csrf === 'string' ? body._csrf : request.get('x-csrf-token');
  const expected = Buffer.from(request.session.csrfToken);
  const actual = Buffer.from(typeof sent === 'string' ? sent : '');
  if (actual.length !== expected.length || !crypto.timingSafeEqual(actual, expected)) return next(new CsrfError());
  if (body && '_csrf' in body) delete body._csrf;
  next();
};
