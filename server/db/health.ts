import type { Connection } from 'mongoose';

/** Whether the database answers a ping within `timeoutMs`: for the load balancer's health check. */
export async function databaseReachable(connection: Connection, timeoutMs = 2_000): Promise<boolean> {
  const db = connection.db;
  if (connection.readyState !== 1 || !db) return false;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const pinged = db.command({ ping: 1 }).then(
    (reply) => reply.ok === 1,
    () => false,
  );
  try {
    return await Promise.race([pinged, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
