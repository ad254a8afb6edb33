import type { Connection } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Watches the driver's connection pool, so that a shutdown can let database work already under way
 * finish. A request whose client has gone away is no longer counted by the HTTP server, but its
 * handler is still saving; closing the pool under it fails the save and logs an error.
 */
export function watchPoolActivity(connection: Connection): {
  settled(quietMs: number, deadline: number): Promise<void>;
} {
  let busy = 0;
  let lastChange = Date.now();
  const client = connection.getClient();
  client.on('connectionCheckedOut', () => {
    busy++;
    lastChange = Date.now();
  });
  client.on('connectionCheckedIn', () => {
    busy--;
    lastChange = Date.now();
  });
  return {
    // A handler makes its calls one after another: only a pool quiet for a moment is really idle.
    async settled(quietMs, deadline) {
      while (Date.now() < deadline && (busy > 0 || Date.now() - lastChange < quietMs)) await sleep(20);
    },
  };
}
