import type { RequestHandler } from 'express';
import type { MessageCatalogue } from './catalogue.js';
import { pick, type Locale, type Localised } from './localised.js';

const LANGUAGE_COOKIE = 'lang';

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/**
 * Chooses the page language: `?lang=` (remembered in a cookie), then the cookie, then English.
 * Only languages with a message catalogue are offered, so adding Welsh is a matter of data.
 */
export function localeMiddleware(catalogue: MessageCatalogue): RequestHandler {
  const available = catalogue.available;
  const isAvailable = (value: unknown): value is Locale =>
    typeof value === 'string' && (available as string[]).includes(value);
  return (request, response, next) => {
    // `?lang=CY` in a hand-typed invitation link still means Welsh.
    const requested = typeof request.query.lang === 'string' ? request.query.lang.toLowerCase() : undefined;
    let locale: Locale = 'en';
    if (isAvailable(requested)) {
      locale = requested;
      response.cookie(LANGUAGE_COOKIE, locale, {
        httpOnly: true,
        sameSite: 'lax',
        secure: request.secure,
        maxAge: 365 * 24 * 3600 * 1000,
      });
    } else {
      const remembered = cookieValue(request.headers.cookie, LANGUAGE_COOKIE);
      if (isAvailable(remembered)) locale = remembered;
    }
    response.locals.locale = locale;
    response.locals.locales = available;
    response.locals.t = catalogue.translator(locale);
    response.locals.pick = (text: Localised) => pick(text, locale);
    response.locals.currentPath = request.path;
    next();
  };
}
