import os from 'node:os';
import type { Connection } from 'mongoose';

/** Where a running app says it is alive. Not data: backups leave it out and restores keep it. */
export const HEARTBEAT_COLLECTION = 'heartbeats';
/** How often the app writes its heartbeat; one older than twice this is an app that has stopped. */
export const HEARTBEAT_EVERY_MS = 15_000;

interface Heartbeat {
  _id: string;
  at: Date;
  host: string;
  pid: number;
}

const id = () => `${os.hostname()}:${process.pid}`;
const heartbeats = (connection: Connection) => connection.db!.collection<Heartbeat>(HEARTBEAT_COLLECTION);

/** Writes this process's heartbeat now and every `everyMs`; `stop` removes it (a clean shutdown). */
export function startHeartbeat(connection: Connection, everyMs = HEARTBEAT_EVERY_MS): { stop(): Promise<void> } {
  const beat = () =>
    heartbeats(connection)
      .updateOne({ _id: id() }, { $set: { at: new Date(), host: os.hostname(), pid: process.pid } }, { upsert: true })
      .catch((error: unknown) => console.error('Heartbeat failed:', error instanceof Error ? error.message : error));
  void beat();
  const timer = setInterval(() => void beat(), everyMs).unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await heartbeats(connection)
        .deleteOne({ _id: id() })
        .catch(() => undefined);
    },
  };
}

/** The newest heartbeat younger than twice the interval: an app running on this database. */
export async function runningApp(
  connection: Connection,
  now = new Date(),
  everyMs = HEARTBEAT_EVERY_MS,
): Promise<Heartbeat | undefined> {
  const found = await heartbeats(connection)
    .find({ at: { $gt: new Date(now.getTime() - 2 * everyMs) } })
    .toArray();
  return found.sort((a, b) => b.at.getTime() - a.at.getTime())[0];
}
