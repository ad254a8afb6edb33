import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import mongoose, { type Connection, type mongo } from 'mongoose';
import { CHECKPOINT_CHUNKS, CHECKPOINT_HEADS, chunkId } from '../db/checkpoint-collections.js';
import type { Survey } from '../surveys/registry.js';
import type { Projection, Positions } from './projection.js';
import { QuestionIndex, shared, type Coding, type Unit } from './question-index.js';
import { StoredUnit, TextBlock } from './text-block.js';

const deflate = promisify(zlib.deflateRaw);
const inflate = promisify(zlib.inflateRaw);

/** Bumped whenever what a chunk holds changes shape: an older checkpoint is then rebuilt, never misread. */
const FORMAT = 2;
/** Answers per chunk: about 1-2 MB compressed for long answers, well under any document limit. */
const UNITS_PER_CHUNK = 5000;

interface Head {
  _id: string;
  surveyId: string;
  generation: string;
  chunks: number;
  positions: Positions;
  format: number;
  writtenAt: Date;
}

/** One answer as a chunk holds it, but its text: id, group, country, flags (1 quote consent, 2 Welsh), codings by coder. */
type StoredAnswer = [string, string | null, string | null, number, [string, Coding[]][]];

/**
 * Saves and loads projections, so a process that starts (or opens a question for the first time)
 * reads a few compressed documents and replays only the log after them instead of the whole survey.
 *
 * Saving takes the answers as they are at the start (the positions saved are those of that moment)
 * while codings are read chunk by chunk as they then stand, without stopping the process. A chunk
 * can therefore already hold a coding from after the saved position; replaying the log from that
 * position sets each coding to its last event's value again, so the loaded state is the same.
 */
export class Checkpoints {
  constructor(private readonly connection: Connection) {}

  private get heads(): mongo.Collection<Head> {
    return this.connection.db!.collection<Head>(CHECKPOINT_HEADS);
  }

  private get chunks(): mongo.Collection<{ _id: string; data: mongo.Binary; texts?: mongo.Binary }> {
    return this.connection.db!.collection(CHECKPOINT_CHUNKS);
  }

  /** `epochNow` reads the survey's change counter: a checkpoint that an erasure overtook is removed again. */
  async save(projection: Projection, epochNow: () => Promise<number>): Promise<void> {
    const { key, index, survey } = projection;
    const positions = { ...projection.positions };
    const units = [...index.units];
    const generation = randomUUID();
    const parts = Math.max(1, Math.ceil(units.length / UNITS_PER_CHUNK));
    for (let part = 0; part < parts; part++) {
      const slice = units.slice(part * UNITS_PER_CHUNK, (part + 1) * UNITS_PER_CHUNK);
      const answers: StoredAnswer[] = slice.map((unit) => [
        unit.responseId,
        unit.group ?? null,
        unit.country ?? null,
        (unit.quoteConsent ? 1 : 0) | (unit.language === 'cy' ? 2 : 0),
        index.entriesOf(unit.responseId),
      ]);
      // The texts apart: a loaded checkpoint keeps them as they are stored, compressed (TextBlock).
      const [data, texts] = await Promise.all([
        deflate(Buffer.from(JSON.stringify(answers)), { level: 1 }),
        deflate(Buffer.from(JSON.stringify(slice.map((unit) => unit.text))), { level: 1 }),
      ]);
      // An erasure meanwhile: stop before writing more copies of its answers (it removed what was written).
      if ((await epochNow()) !== positions.epoch) return this.dropChunks(key, { generation, chunks: part });
      await this.chunks.insertOne({
        _id: chunkId(key, generation, part),
        data: new mongoose.mongo.Binary(data),
        texts: new mongoose.mongo.Binary(texts),
      });
    }
    const previous = await this.heads.findOne({ _id: key });
    const head: Head = {
      _id: key,
      surveyId: survey.id,
      generation,
      chunks: parts,
      positions,
      format: FORMAT,
      writtenAt: new Date(),
    };
    // Replaces only the checkpoint read above: of two processes saving at once, one wins and the
    // other removes its own chunks.
    const won = previous
      ? (await this.heads.replaceOne({ _id: key, generation: previous.generation }, head)).modifiedCount === 1
      : await this.heads.insertOne(head).then(
          () => true,
          () => false,
        );
    await this.dropChunks(key, won ? previous : head);
    if (won && (await epochNow()) !== positions.epoch) {
      await this.heads.deleteOne({ _id: key, generation });
      await this.dropChunks(key, head);
    }
  }

  private async dropChunks(key: string, head: Pick<Head, 'generation' | 'chunks'> | null): Promise<void> {
    if (!head) return;
    for (let part = 0; part < head.chunks; part++)
      await this.chunks.deleteOne({ _id: chunkId(key, head.generation, part) });
  }

  /** The question's checkpoint as a projection, or undefined if there is none, or it is stale or damaged. */
  async load(survey: Survey, questionId: string, codebookId: string, key: string, epoch: number) {
    const head = await this.heads.findOne({ _id: key });
    if (!head || head.format !== FORMAT || head.positions.epoch !== epoch) return undefined;
    const documents = await Promise.all(
      Array.from({ length: head.chunks }, (_, part) =>
        this.chunks.findOne({ _id: chunkId(key, head.generation, part) }),
      ),
    );
    if (documents.some((document) => !document)) return undefined;
    const units: Unit[] = [];
    const codings: [string, [string, Coding[]][]][] = [];
    for (const document of documents) {
      const answers = await inflate(document!.data.buffer).then(
        (bytes) => JSON.parse(bytes.toString()) as StoredAnswer[],
        () => undefined,
      );
      if (!answers || !document!.texts || !TextBlock.holds(document!.texts.buffer, answers.length)) return undefined;
      const block = new TextBlock(document!.texts.buffer);
      answers.forEach(([responseId, group, country, flags, entries], position) => {
        const language = flags & 2 ? ('cy' as const) : undefined;
        const consent = (flags & 1) === 1;
        units.push(
          new StoredUnit(
            responseId,
            shared(group ?? undefined),
            shared(country ?? undefined),
            consent,
            language,
            units.length,
            block,
            position,
          ),
        );
        if (entries.length > 0) codings.push([responseId, entries]);
      });
    }
    const index = new QuestionIndex(0, units);
    for (const [responseId, entries] of codings) index.restore(responseId, entries);
    const projection: Projection = { key, survey, questionId, codebookId, index, positions: { ...head.positions } };
    return projection;
  }
}
