import type { mongo } from 'mongoose';
import type { ChangeCounters } from './change-counter.js';
import { isDuplicateKey } from './duplicates.js';

/** Any document under a string `_id`, as the driver sees it. */
type StoredDocument = { _id: string } & Record<string, unknown>;

/** A stored entry of a sequence log: its stream's key and its place in it. */
export interface Sequenced {
  _id: string;
  seq: number;
}

/** The `_id` of entry `seq` of stream `key`: fixed-width, so ids sort in log order too. */
export const sequenceId = (key: string, seq: number) => `${key}#${String(seq).padStart(10, '0')}`;

/** How many look-ups go out at once while reading ahead. */
const READ_AHEAD = 16;
/** The remembered end of a stream moves in steps of this many entries. */
const REMEMBER_EVERY = 16;

/**
 * Streams of entries numbered 1, 2, 3… with no gaps, one stream per key, in one collection.
 *
 * An entry's number is claimed by inserting it under the `_id` that number gives: the insert
 * either succeeds or fails as a duplicate because another writer took the number first, and then
 * the writer moves on to the next. A number is only tried once the one before it exists, so a
 * stream never has a hole and every reader sees the same order. Reading what follows position P
 * is a look-up of each next `_id`, which every backend answers from its `_id` index (FerretDB's
 * SQLite backend uses no other index), so it costs the same however long the stream is. A small
 * counter remembers roughly where each stream ends, so nobody starts from 1.
 */
export class SequenceLog<T extends object> {
  constructor(
    private readonly collectionOf: () => mongo.Collection<StoredDocument>,
    private readonly counters: ChangeCounters,
    private readonly name: string,
  ) {}

  private get collection(): mongo.Collection<StoredDocument> {
    return this.collectionOf();
  }

  private headKey(key: string): string {
    return `${this.name}:${key}`;
  }

  /** The entry at `seq`, or null. */
  async at(key: string, seq: number): Promise<(T & Sequenced) | null> {
    return (await this.collection.findOne({ _id: sequenceId(key, seq) })) as (T & Sequenced) | null;
  }

  /**
   * Entries after `position`, in order, up to the first that does not exist yet (at most `limit`).
   * `known` gives entries the caller already holds (its own writes), which are not read again.
   */
  async readAfter(key: string, position: number, known = new Map<number, T & Sequenced>(), limit = Infinity) {
    const found: (T & Sequenced)[] = [];
    let next = position + 1;
    // Usually nothing or one entry is new: one look-up first, then more at once while entries keep coming.
    let width = 1;
    while (found.length < limit) {
      const seqs = Array.from({ length: Math.min(width, limit - found.length) }, (_, i) => next + i);
      width = Math.min(READ_AHEAD, width * 4);
      const entries = await Promise.all(seqs.map((seq) => known.get(seq) ?? this.at(key, seq)));
      for (const entry of entries) {
        if (!entry) return found;
        found.push(entry);
      }
      next += seqs.length;
    }
    return found;
  }

  /** The last entry's number: from `from` (a position the caller knows exists) or the remembered end, read forward. */
  async head(key: string, from = 0): Promise<number> {
    let position = Math.max(from, await this.counters.read(this.headKey(key)));
    for (;;) {
      const ahead = await Promise.all(
        Array.from({ length: READ_AHEAD }, (_, i) =>
          this.collection.findOne({ _id: sequenceId(key, position + 1 + i) }, { projection: { _id: 1 } }),
        ),
      );
      const missing = ahead.indexOf(null);
      if (missing >= 0) return position + missing;
      position += READ_AHEAD;
    }
  }

  /**
   * Appends `entries` in order after whatever the stream holds, starting the search for the end at
   * `from`; returns them as stored, with their numbers (another writer's entries may fall between).
   */
  async append(key: string, entries: T[], from = 0): Promise<(T & Sequenced)[]> {
    const stored: (T & Sequenced)[] = [];
    // A writer that has read the stream up to `from` tries the next number straight away.
    let next = from > 0 ? from + 1 : (await this.head(key)) + 1;
    while (stored.length < entries.length) {
      const batch = entries
        .slice(stored.length)
        .map((entry, i) => ({ ...entry, _id: sequenceId(key, next + i), seq: next + i }));
      try {
        await this.collection.insertMany(batch as unknown as StoredDocument[], { ordered: true });
        stored.push(...batch);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // The inserts before the taken number went in; the rest try again after the new end.
        const inserted = firstFailure(error);
        stored.push(...batch.slice(0, inserted));
        next = (await this.head(key, next + inserted)) + 1;
        continue;
      }
    }
    // The remembered end only has to be near: readers go forward from it. Moved every 16th entry,
    // it costs a write now and then instead of one per append.
    const last = stored.at(-1)?.seq ?? 0;
    if (stored.length > 0 && Math.floor(last / REMEMBER_EVERY) > Math.floor((last - stored.length) / REMEMBER_EVERY))
      await this.counters.raise(this.headKey(key), last - (last % REMEMBER_EVERY));
    return stored;
  }
}

/** Where an ordered insert stopped: the index of its first failed document. */
function firstFailure(error: unknown): number {
  const { writeErrors } = error as { writeErrors?: { index?: number }[] | { index?: number } };
  const first = Array.isArray(writeErrors) ? writeErrors[0] : writeErrors;
  return first?.index ?? 0;
}
