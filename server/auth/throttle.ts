import mongoose, { type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from '../db/duplicates.js';
import { modelOn } from '../db/models.js';
import { TooManyRequestsError } from '../http/errors.js';

/** One sign-in attempt: `${key}|${window}|${n}`, the n-th of that key's allowance in that window. */
interface AttemptSlot {
  _id: string;
  at: Date;
}

const slotSchema = new mongoose.Schema<AttemptSlot>({ _id: String, at: Date }, { versionKey: false });

export class TooManyAttemptsError extends TooManyRequestsError {
  constructor(retryAfterSeconds: number) {
    super(
      `Too many failed sign-in attempts. Try again in ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} minutes.`,
      retryAfterSeconds,
    );
  }
}

export interface ThrottleSettings {
  /** Attempts an account may make in any `windowMs`; after that it is locked until the oldest is that old. */
  maxFailures: number;
  windowMs: number;
}

/** An address may front several people (an office, a proxy), so it gets more tries than an account. */
const ADDRESS_ALLOWANCE = 4;

export const defaultThrottle: ThrottleSettings = { maxFailures: 5, windowMs: 15 * 60 * 1000 };

/** What a claimed attempt holds, to give back what a successful sign-in should not use up. */
export interface Claim {
  keys: string[];
  slots: string[];
}

const slotId = (key: string, window: number, n: number) => `${key}|${window}|${n}`;

/**
 * Counts sign-in attempts per account and per client address in MongoDB, shared by every process,
 * over a sliding window: no more than the allowance in any `windowMs`, however the attempts fall.
 *
 * An attempt is claimed before its password is checked by inserting a numbered slot: a unique
 * `_id` makes each claim atomic on every backend, so 50 guesses sent at once get no more checks
 * than the allowance. Slots are numbered per fixed window, starting after the previous window's
 * slots that are still within `windowMs`: every claimed number is above that count, so the live
 * attempts never exceed the allowance, even across a window's edge. A successful sign-in clears
 * the account's slots and gives back its own address slot, so an office signing in all morning is
 * not locked out. If the count cannot be kept, sign-in is refused.
 */
export class LoginThrottle {
  private readonly slots: Model<AttemptSlot>;

  constructor(
    connection: Connection,
    private readonly settings: ThrottleSettings = defaultThrottle,
  ) {
    this.slots = modelOn(connection, 'LoginAttemptSlot', slotSchema);
  }

  private limitOf(key: string): number {
    return key.startsWith('ip:') ? this.settings.maxFailures * ADDRESS_ALLOWANCE : this.settings.maxFailures;
  }

  async claim(keys: string[], now = new Date()): Promise<Claim> {
    const { windowMs } = this.settings;
    const window = Math.floor(now.getTime() / windowMs);
    const claimed: string[] = [];
    for (const key of keys) {
      const limit = this.limitOf(key);
      const ids = [window - 1, window].flatMap((w) => Array.from({ length: limit }, (_, i) => slotId(key, w, i + 1)));
      const existing = await this.slots.find({ _id: { $in: ids } }).lean();
      const live = existing.filter((slot) => slot.at.getTime() > now.getTime() - windowMs);
      const livePrevious = live.filter((slot) => slot._id.startsWith(`${key}|${window - 1}|`)).length;
      const slot = await this.claimSlot(key, window, livePrevious + 1, limit, now);
      if (!slot) {
        const oldest = Math.min(now.getTime(), ...live.map((entry) => entry.at.getTime()));
        throw new TooManyAttemptsError((oldest + windowMs - now.getTime()) / 1000);
      }
      claimed.push(slot);
    }
    return { keys, slots: claimed };
  }

  private async claimSlot(
    key: string,
    window: number,
    first: number,
    limit: number,
    now: Date,
  ): Promise<string | undefined> {
    for (let n = first; n <= limit; n++) {
      const _id = slotId(key, window, n);
      try {
        await this.slots.create({ _id, at: now });
        return _id;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return undefined;
  }

  /** The account starts afresh; the address gets back the slot this sign-in used. */
  async succeeded(claim: Claim, now = new Date()): Promise<void> {
    const window = Math.floor(now.getTime() / this.settings.windowMs);
    const ids = claim.keys
      .filter((key) => !key.startsWith('ip:'))
      .flatMap((key) =>
        [window - 1, window].flatMap((w) =>
          Array.from({ length: this.limitOf(key) }, (_, i) => `${key}|${w}|${i + 1}`),
        ),
      );
    ids.push(...claim.slots.filter((slot) => slot.startsWith('ip:')));
    await this.slots.deleteMany({ _id: { $in: ids } });
  }

  /** Deletes attempt records older than `olderThanMs`; returns how many. */
  async purge(olderThanMs: number, now = new Date()): Promise<number> {
    const result = await this.slots.deleteMany({ at: { $lt: new Date(now.getTime() - olderThanMs) } });
    return result.deletedCount;
  }
}
