import type { Connection } from 'mongoose';

/** Where each question's newest checkpoint is: small documents, one per question and codebook. */
export const CHECKPOINT_HEADS = 'projectioncheckpoints';
/** The checkpoints' contents: a few large compressed documents each, read only by `_id`. */
export const CHECKPOINT_CHUNKS = 'projectionchunks';

/**
 * Checkpoints are derived from the responses and the coding log, and hold copies of answers: they
 * are left out of backups (a restore rebuilds them) and removed with the answers they copy.
 */
export const DERIVED_COLLECTIONS = [CHECKPOINT_HEADS, CHECKPOINT_CHUNKS];

/** Removes every checkpoint of a survey (after an erasure or anonymisation: they copy its answers). */
export async function dropSurveyCheckpoints(connection: Connection, surveyId: string): Promise<void> {
  const heads = connection.db!.collection<{ _id: string; generation: string; chunks: number }>(CHECKPOINT_HEADS);
  const chunks = connection.db!.collection<{ _id: string }>(CHECKPOINT_CHUNKS);
  for (const head of await heads.find({ surveyId }).toArray()) {
    await heads.deleteOne({ _id: head._id });
    for (let part = 0; part < head.chunks; part++)
      await chunks.deleteOne({ _id: chunkId(head._id, head.generation, part) });
  }
}

export const chunkId = (key: string, generation: string, part: number) => `${key}@${generation}#${part}`;

/** Removes every checkpoint (a restore: the data they were built from has been swapped). */
export async function dropAllCheckpoints(connection: Connection): Promise<void> {
  for (const name of DERIVED_COLLECTIONS) await connection.db!.collection(name).deleteMany({});
}
