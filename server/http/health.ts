import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import { databaseReachable } from '../db/health.js';

/**
 * `GET /healthz` for a load balancer: 200 when the database answers, 503 when it does not. It is
 * mounted before sessions, so it never creates one, and says nothing about anyone.
 */
export function healthCheck(connection: Connection): RequestHandler {
  return (_request, response, next) => {
    databaseReachable(connection).then((up) => {
      response
        .status(up ? 200 : 503)
        .set('Cache-Control', 'no-store')
        .json({ status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' });
    }, next);
  };
}
