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

/**
 * Removes every checkpoint of a survey (after an erasure or anonymisation: they copy its answers),
 * with every chunk of the survey's questions, including those of a save whose process died before
 * it wrote a head, which no head points at.
 */
export async function dropSurveyCheckpoints(connection: Connection, surveyId: string): Promise<void> {
  await connection.db!.collection(CHECKPOINT_HEADS).deleteMany({ surveyId });
  // A question's key, and so its chunks' ids, begins with the survey's id and a colon.
  const prefix = `${surveyId}:`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await connection.db!.collection<{ _id: string }>(CHECKPOINT_CHUNKS).deleteMany({ _id: { $regex: `^${prefix}` } });
}

export const chunkId = (key: string, generation: string, part: number) => `${key}@${generation}#${part}`;

/** Removes every checkpoint (a restore: the data they were built from has been swapped). */
export async function dropAllCheckpoints(connection: Connection): Promise<void> {
  for (const name of DERIVED_COLLECTIONS) await connection.db!.collection(name).deleteMany({});
}
