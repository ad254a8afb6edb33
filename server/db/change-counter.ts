import mongoose, { type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './duplicates.js';
import { modelOn } from './models.js';

interface Counter {
  _id: string;
  value: number;
}

const counterSchema = new mongoose.Schema<Counter>({ _id: String, value: Number }, { versionKey: false });

/**
 * A small collection of numbers bumped on every change to something an in-process cache holds.
 * Reading one is a cheap look-up on a tiny collection, so every process can tell whether its
 * cache is current without re-reading the data itself.
 */
export class ChangeCounters {
  private readonly counters: Model<Counter>;

  constructor(connection: Connection) {
    this.counters = modelOn(connection, 'ChangeCounter', counterSchema);
  }

  async read(key: string): Promise<number> {
    return (await this.counters.findById(key).lean())?.value ?? 0;
  }

  /** Several counters in one round trip. */
  async readMany(keys: string[]): Promise<Map<string, number>> {
    const found = await this.counters.find({ _id: { $in: keys } }).lean();
    return new Map(keys.map((key) => [key, found.find((counter) => counter._id === key)?.value ?? 0]));
  }

  /** Returns the value after this bump. */
  async bump(key: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const updated = await this.counters
          .findOneAndUpdate({ _id: key }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after' })
          .lean();
        return updated?.value ?? 1;
      } catch (error) {
        // Two first bumps racing to insert the same key: the loser retries as an update.
        if (!isDuplicateKey(error) || attempt >= 3) throw error;
      }
    }
  }

  /** Sets the counter to `value` unless it is already higher (a stream's last known position). */
  async raise(key: string, value: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.counters.updateOne({ _id: key }, { $max: { value } }, { upsert: true });
        return;
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 3) throw error;
      }
    }
  }
}

export const surveyCounterKey = (surveyId: string) => `survey:${surveyId}`;
export const codebookCounterKey = (codebookId: string) => `codebook:${codebookId}`;
