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
 * A path in the given language: `?lang=cy` added for any language but English, so a respondent whose
 * browser refuses cookies keeps Welsh from page to page (English is what a link without it shows).
 */
export function inLanguage(path: string, locale: Locale): string {
  if (locale === 'en') return path;
  return `${path}${path.includes('?') ? '&' : '?'}lang=${locale}`;
}

/**
 * Chooses the page language: `?lang=` (remembered in a cookie for the browser session), then the
 * cookie, then English. Only languages with a message catalogue are offered, so adding Welsh is a
 * matter of data. Pages carry the language in their links and form actions (`withLanguage`), and a
 * redirect answering a request that named its language names it too (`languageInLink`), so Welsh
 * survives a browser that refuses cookies.
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
        // No Max-Age: a session cookie, so a shared computer does not keep the next person in Welsh.
      });
    } else {
      const remembered = cookieValue(request.headers.cookie, LANGUAGE_COOKIE);
      if (isAvailable(remembered)) locale = remembered;
    }
    response.locals.locale = locale;
    response.locals.locales = available;
    response.locals.t = catalogue.translator(locale);
    response.locals.pick = (text: Localised) => pick(text, locale);
    response.locals.languageInLink = isAvailable(requested);
    response.locals.withLanguage = (path: string) => inLanguage(path, locale);
    // The switch on a page without a form links to this page in the other language: only a page
    // reached by GET can be reached again that way (a page may name another, `switchPath`).
    response.locals.currentPath = request.method === 'GET' || request.method === 'HEAD' ? request.path : '/';
    next();
  };
}
