import session from 'express-session';
import mongoose, { type Connection, type Model } from 'mongoose';
import { modelOn } from '../db/models.js';

interface StoredSession {
  _id: string;
  data: string;
  expires: Date;
}

const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

const sessionSchema = new mongoose.Schema<StoredSession>(
  { _id: String, data: String, expires: Date },
  { versionKey: false },
);

/**
 * Sessions in MongoDB, so several app processes share them. Lookups are by `_id` only, and
 * expired sessions are swept every few minutes (no TTL index: FerretDB's SQLite backend lacks one).
 */
export class MongoSessionStore extends session.Store {
  private readonly sessions: Model<StoredSession>;
  private readonly sweeper: NodeJS.Timeout;
  private readonly lastTouched = new Map<string, number>();

  constructor(connection: Connection, sweepEveryMs = 10 * 60 * 1000) {
    super();
    this.sessions = modelOn(connection, 'Session', sessionSchema);
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), sweepEveryMs).unref();
  }

  override get(sid: string, callback: (error: unknown, session?: session.SessionData | null) => void): void {
    this.sessions
      .findById(sid)
      .lean()
      .then((stored) => {
        if (!stored || stored.expires.getTime() <= Date.now()) return callback(null, null);
        callback(null, JSON.parse(stored.data) as session.SessionData);
      }, callback);
  }

  override set(sid: string, data: session.SessionData, callback?: (error?: unknown) => void): void {
    const expires = data.cookie.expires ? new Date(data.cookie.expires) : new Date(Date.now() + 24 * 3600 * 1000);
    this.sessions.updateOne({ _id: sid }, { $set: { data: JSON.stringify(data), expires } }, { upsert: true }).then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }

  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.sessions.deleteOne({ _id: sid }).then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }

  /** Extends a session's expiry at most every few minutes, rather than writing on every request. */
  override touch(sid: string, data: session.SessionData, callback?: () => void): void {
    const last = this.lastTouched.get(sid) ?? 0;
    if (Date.now() - last < TOUCH_INTERVAL_MS) return callback?.();
    this.lastTouched.set(sid, Date.now());
    if (this.lastTouched.size > 10_000) this.lastTouched.clear();
    this.set(sid, data, () => callback?.());
  }

  async sweep(): Promise<void> {
    await this.sessions.deleteMany({ expires: { $lte: new Date() } });
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
