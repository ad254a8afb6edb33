import type { RequestHandler } from 'express';
import { AppError } from '../http/errors.js';
import type { Role, SessionUser } from './user-model.js';

/**
 * The one place that says who may reach which back-office path. Anything not listed here is public;
 * the route-walk test fails if a route is added outside these prefixes without being declared public.
 */
export const accessRules: readonly { prefix: string; role: Role }[] = [
  { prefix: '/admin', role: 'admin' },
  { prefix: '/work', role: 'analyst' },
  { prefix: '/codebooks', role: 'analyst' },
  { prefix: '/reports', role: 'analyst' },
];

const rank: Record<Role, number> = { analyst: 1, admin: 2 };

export function requiredRole(path: string): Role | undefined {
  return accessRules.find((rule) => path === rule.prefix || path.startsWith(`${rule.prefix}/`))?.role;
}

export class ForbiddenError extends AppError {
  constructor() {
    super(403, 'Your account does not have access to this page.', 'error.forbidden.title');
  }
}

export function currentUser(user: unknown): SessionUser | undefined {
  return user && typeof user === 'object' && 'role' in user ? (user as SessionUser) : undefined;
}

export const accessGuard: RequestHandler = (request, response, next) => {
  const role = requiredRole(request.path);
  if (!role) return next();
  const user = currentUser(request.user);
  if (!user) {
    if (request.method === 'GET') return response.redirect(303, `/login?next=${encodeURIComponent(request.originalUrl)}`);
    return next(new AppError(401, 'Please sign in again: your session has ended.', 'error.signIn.title'));
  }
  if (rank[user.role] < rank[role]) return next(new ForbiddenError());
  response.locals.user = user;
  next();
};
