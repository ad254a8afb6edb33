import type { RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import type { Translate } from '../i18n/catalogue.js';
import { TooManyRequestsError } from './errors.js';

export interface RateLimitSettings {
  /** Survey page posts per client address per minute. */
  publicPostsPerMinute: number;
  /** Sign-in attempts per client address per minute (on top of the per-account lock-out). */
  loginsPerMinute: number;
}

export const defaultRateLimits: RateLimitSettings = { publicPostsPerMinute: 600, loginsPerMinute: 20 };

/**
 * Limits on the two forms anyone can post to. They fail closed: if the count cannot be kept, the
 * request is refused rather than let through.
 */
export function rateLimits(settings: RateLimitSettings): { publicPosts: RequestHandler; logins: RequestHandler } {
  const common = {
    windowMs: 60_000,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    passOnStoreError: false,
    // Refusals go through the one error handler, as a page in the site's layout (or JSON).
    // The message is a catalogue key, so a respondent reads it in their own language.
    handler: ((_request, response, next, options) => {
      const t = response.locals.t as Translate | undefined;
      const key = String(options.message);
      next(new TooManyRequestsError(t ? t(key) : key, options.windowMs / 1000));
    }) as Options['handler'],
  };
  return {
    publicPosts: rateLimit({
      ...common,
      limit: settings.publicPostsPerMinute,
      skip: (request) => request.method !== 'POST',
      message: 'error.tooManyAnswers',
    }),
    logins: rateLimit({
      ...common,
      limit: settings.loginsPerMinute,
      skip: (request) => request.method !== 'POST',
      message: 'error.tooManySignIns',
    }),
  };
}
