import type { Express } from 'express';

interface LayerLike {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

/** Every route the app has, read from Express itself (mount paths included), so a new route cannot escape a test. */
export function registeredRoutes(app: Express): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of [layer.route.path].flat())
          for (const method of Object.keys(layer.route.methods))
            routes.push({ method, path: `${prefix}${path}`.replace(/(.)\/$/, '$1') });
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '');
  return routes;
}

/** A path with its parameters filled in with values that exist in the test data. */
export const concrete = (path: string) =>
  path
    .replace(':surveyId', 'professionals')
    .replace(':questionId', 'drivers_text')
    .replace(':responseId', 'a'.repeat(24))
    .replace(':userId', 'b'.repeat(24))
    .replace(':codebookId', 'care-crisis-drivers')
    .replace(':codeId', 'austerity')
    .replace(':ruleId', 'c'.repeat(12))
    .replace(':changeId', 'c'.repeat(24));
