import { Router } from 'express';
import type { Signposting } from './signposting.js';

export function helpRoutes(signposting: Signposting): Router {
  const router = Router({ caseSensitive: true });
  router.use((_request, response, next) => {
    // Every page links to help and the thank-you page lists it, so the views always have it.
    response.locals.signposting = signposting;
    next();
  });
  router.get('/help', (_request, response) => response.render('help'));
  router.get('/accessibility', (_request, response) => response.render('accessibility'));
  return router;
}
