import type { Request } from 'express';

/**
 * Whether a request asks for JSON rather than a page: the workbench script's fetches do (with
 * `Accept: application/json`), browsers' own form posts and links never do. The error handler and
 * the routes that answer either way use this one rule.
 */
export function wantsJson(request: Pick<Request, 'accepts'>): boolean {
  return request.accepts(['html', 'json']) === 'json';
}
