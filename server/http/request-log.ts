import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';

/** One request, as logged: no address, no query string, no account, no answer, no token. */
export interface RequestLogLine {
  time: string;
  id: string;
  method: string;
  /** The route's pattern where one matched (`/s/:surveyId/r/:token`), otherwise the path with tokens hidden. */
  path: string;
  status: number;
  ms: number;
}

export type RequestLogger = (line: RequestLogLine) => void;

/** One JSON line per request on standard output. */
export const jsonLinesLogger: RequestLogger = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

/**
 * The private resume token sits in the path (`/s/<survey>/r/<token>/...`): whoever holds it can read
 * the answers, so it never reaches a log. Anything after `/r/` up to the next slash is replaced.
 */
export function redactedPath(url: string): string {
  const path = decoded(url.split('?')[0]!.split('#')[0]!);
  return (
    path
      .replace(/\/r\/[^/]*/gi, '/r/:token')
      // Anything else shaped like a token's secret half (32 URL-safe characters), however it got there.
      .replace(/[A-Za-z0-9_-]{32,}/g, ':redacted')
      .slice(0, 300)
  );
}

/** Percent-encoding undone (twice-encoded too), so `%2F` or `%72` cannot hide a token from the patterns. */
function decoded(path: string): string {
  let text = path;
  for (let round = 0; round < 3 && /%[0-9a-f]{2}/i.test(text); round++)
    text = text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        // Bytes that are not UTF-8: each decoded alone, as a Latin-1 character.
        return run.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      }
    });
  return text;
}

function routeOf(request: Request): string {
  const route = (request as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return redactedPath(`${request.baseUrl}${route.path}`);
  return redactedPath(request.originalUrl);
}

/**
 * Gives every request an id (sent back as `X-Request-Id`, so a person's report of a problem can be
 * matched to its line) and logs it when the response is finished or the client goes away.
 */
export function requestLog(logger: RequestLogger): RequestHandler {
  return (request, response, next) => {
    const started = process.hrtime.bigint();
    const id = crypto.randomUUID();
    response.locals.requestId = id;
    response.setHeader('X-Request-Id', id);
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      logger({
        time: new Date().toISOString(),
        id,
        method: request.method,
        path: routeOf(request),
        status: response.writableFinished ? response.statusCode : 499,
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
      });
    };
    response.once('finish', log);
    response.once('close', log);
    next();
  };
}
