import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../http/errors.js';

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
  }
}

export class CsrfError extends AppError {
  constructor() {
    super(
      403,
      'This form has expired or did not come from this site. Go back, reload the page and try again.',
      'error.badRequest.title',
    );
  }
}

/** The session's CSRF token, made on first use; pages put it in every form. */
export function ensureCsrfToken(request: Request): string | undefined {
  if (!request.session) return undefined;
  request.session.csrfToken ??= crypto.randomBytes(24).toString('base64url');
  return request.session.csrfToken;
}

/** Whether `sent` is this session's CSRF token (compared in constant time). */
export function csrfTokenMatches(request: Request, sent: unknown): boolean {
  const token = request.session?.csrfToken;
  if (!token) return false;
  const expected = Buffer.from(token);
  const actual = Buffer.from(typeof sent === 'string' ? sent : '');
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

/**
 * Synchroniser-token CSRF protection for the back office: each session has a secret token that
 * every state-changing form (or fetch, as a header) must send back.
 */
export const csrfProtection: RequestHandler = (request, response, next) => {
  const token = ensureCsrfToken(request);
  if (!token) return next(new CsrfError());
  response.locals.csrfToken = token;
  // Checked already by an earlier back-office router at the same prefix (which took the token out of the body).
  if (request.method === 'GET' || request.method === 'HEAD' || response.locals.csrfVerified === true) return next();
  const body = request.body as Record<string, unknown> | undefined;
  const sent = typeof body?._csrf === 'string' ? body._csrf : request.get('x-csrf-token');
  if (!csrfTokenMatches(request, sent)) return next(new CsrfError());
  if (body && '_csrf' in body) delete body._csrf;
  response.locals.csrfVerified = true;
  next();
};
