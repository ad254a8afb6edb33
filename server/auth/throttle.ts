import mongoose, { type Connection, type Model } from 'mongoose';
import { modelOn } from '../db/models.js';
import { AppError } from '../http/errors.js';

interface Attempts {
  _id: string;
  failures: number;
  windowStart: Date;
  lockedUntil?: Date;
}

const attemptsSchema = new mongoose.Schema<Attempts>(
  { _id: String, failures: Number, windowStart: Date, lockedUntil: Date },
  { versionKey: false },
);

export class TooManyAttemptsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`, 'error.badRequest.title');
  }
}

export interface ThrottleSettings {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

const ADDRESS_ALLOWANCE = 4;

export const defaultThrottle: ThrottleSettings = { maxFailures: 5, windowMs: 15 * 60 * 1000, lockMs: 15 * 60 * 1000 };

/**
 * Counts failed sign-ins per account and per client address in MongoDB (shared by all processes).
 * If the count cannot be read, the sign-in is refused: the throttle fails closed.
 */
export class LoginThrottle {
  private readonly attempts: Model<Attempts>;

  constructor(
    connection: Connection,
    private readonly settings: ThrottleSettings = defaultThrottle,
  ) {
    this.attempts = modelOn(connection, 'LoginAttempts', attemptsSchema);
  }

  async assertAllowed(keys: string[], now = new Date()): Promise<void> {
    for (const key of keys) {
      const record = await this.attempts.findById(key).lean();
      if (record?.lockedUntil && record.lockedUntil > now) {
        throw new TooManyAttemptsError((record.lockedUntil.getTime() - now.getTime()) / 1000);
      }
    }
  }

  async recordFailure(keys: string[], now = new Date()): Promise<void> {
    for (const key of keys) {
      const record = await this.attempts.findById(key).lean();
      const windowOpen = record && now.getTime() - record.windowStart.getTime() < this.settings.windowMs;
      const failures = windowOpen ? record.failures + 1 : 1;
      // An address may front several people (an office, a proxy), so it gets more tries than an account.
      const limit = key.startsWith('ip:') ? this.settings.maxFailures * ADDRESS_ALLOWANCE : this.settings.maxFailures;
      const lockedUntil = failures >= limit ? new Date(now.getTime() + this.settings.lockMs) : undefined;
      await this.attempts.updateOne(
        { _id: key },
        { $set: { failures, windowStart: windowOpen ? record.windowStart : now, ...(lockedUntil ? { lockedUntil } : {}) } },
        { upsert: true },
      );
    }
  }

  async recordSuccess(keys: string[]): Promise<void> {
    await this.attempts.deleteMany({ _id: { $in: keys } });
  }
}
