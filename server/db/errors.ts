/** Errors that mean "the database could not be reached", as opposed to a bad query. */
const UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoExpiredSessionError',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { name, cause } = current as { name?: string; cause?: unknown };
    if (name && UNAVAILABLE.has(name)) return true;
    current = cause;
  }
  return false;
}
