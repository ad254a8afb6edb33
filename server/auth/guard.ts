import { Router, type Request, type RequestHandler } from 'express';
import { AppError } from '../http/errors.js';
import { csrfProtection } from './csrf.js';
import { hasRole, type Role, type SessionUser } from './roles.js';

export class ForbiddenError extends AppError {
  constructor() {
    super(403, 'Your account does not have access to this page.', 'error.forbidden.title');
  }
}

export class SignInRequiredError extends AppError {
  constructor() {
    super(401, 'Please sign in again: your session has ended.', 'error.signIn.title');
  }
}

export function currentUser(request: Pick<Request, 'user'>): SessionUser | undefined {
  const user = request.user as SessionUser | undefined;
  return user && typeof user === 'object' && 'role' in user ? user : undefined;
}

/** The signed-in user of a request that a back-office router has already let through. */
export function signedInUser(request: Pick<Request, 'user'>): SessionUser {
  const user = currentUser(request);
  if (!user) throw new SignInRequiredError();
  return user;
}

/**
 * Refuses any request without a signed-in user of at least `role`. Pages send people to sign in;
 * anything else gets a 401. The user is read afresh on every request (see configurePassport), so a
 * disabled account or a changed role takes effect on the next request.
 */
export function requireRole(role: Role): RequestHandler {
  return (request, response, next) => {
    const user = currentUser(request);
    if (!user) {
      if (request.method === 'GET' || request.method === 'HEAD') {
        return response.redirect(303, `/login?next=${encodeURIComponent(request.originalUrl)}`);
      }
      return next(new SignInRequiredError());
    }
    if (!hasRole(user, role)) return next(new ForbiddenError());
    next();
  };
}

/**
 * A router for one part of the back office. Its first layers refuse anyone without `role` and any
 * form without its CSRF token, so no handler added to it can be reached otherwise, whatever the
 * method or spelling of the path (routing is case-sensitive, so "/ADMIN" matches nothing at all).
 */
export function backOfficeRouter(role: Role): Router {
  const router = Router({ caseSensitive: true });
  router.use(requireRole(role), csrfProtection);
  return router;
}
