import { randomUUID } from 'node:crypto';
import mongoose, { type Connection, type Model } from 'mongoose';
import type { SessionUser } from '../auth/roles.js';
import { activeCodes, survivingCodeId } from '../codebooks/service.js';
import { modelOn } from '../db/models.js';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import { eventFor, type NewEvent } from './actions.js';
import { NO_CODE } from './model.js';
import { codingTarget, type CodingDataContext, type CodingTarget } from './target.js';

/**
 * One code given to many answers in one step (code by search), kept so that the analyst can undo
 * the step as a whole. Lists only the answers the step changed: an answer the analyst had already
 * given the code keeps it when the step is undone.
 */
export interface CodeBatch {
  _id: string;
  surveyId: string;
  questionId: string;
  codebookId: string;
  coderId: string;
  codeId: string;
  /** Answers that got the code in this step. */
  responseIds: string[];
  /** Answers whose "no code applies" the step replaced, restored by undo. */
  clearedNoCode: string[];
  at: Date;
  undoneAt?: Date;
  /** How many answers the undo took the code off (fewer than `responseIds` where the analyst had taken it off meanwhile). */
  undoneCount?: number;
}

const batchSchema = new mongoose.Schema<CodeBatch>(
  {
    _id: String,
    surveyId: String,
    questionId: String,
    codebookId: String,
    coderId: String,
    codeId: String,
    responseIds: [String],
    clearedNoCode: [String],
    at: Date,
    undoneAt: Date,
    undoneCount: Number,
  },
  { versionKey: false },
);

export const codeBatchModel = (connection: Connection): Model<CodeBatch> =>
  modelOn(connection, 'CodeBatch', batchSchema);

const hasWholeCode = (target: CodingTarget, responseId: string, coderId: string, codeId: string) =>
  target.index
    .codingsOf(responseId, coderId)
    .some((coding) => coding.start === undefined && survivingCodeId(target.codebook, coding.codeId) === codeId);

/**
 * One step at a time per analyst and question in this process: two steps sent at once (a double
 * click, two tabs) each see the other's codings, so no answer is listed by both.
 */
const running = new Map<string, Promise<unknown>>();
function oneAtATime<T>(key: string, step: () => Promise<T>): Promise<T> {
  const done = (running.get(key) ?? Promise.resolve()).then(step, step);
  const settled = done.catch(() => undefined);
  running.set(key, settled);
  void settled.then(() => {
    if (running.get(key) === settled) running.delete(key);
  });
  return done;
}
/**
 * The question as it stands when a step's turn comes: the one read before waiting may be out of
 * date, if another process changed the survey meanwhile (this process then drops the index the
 * step before was applied to, rather than updating it).
 */
const current = (context: CodingDataContext, target: CodingTarget) =>
  codingTarget(context, target.survey.id, target.question.id, target.codebook.id);
const stepKey = (target: CodingTarget, user: SessionUser) => `${user.id}:${target.survey.id}:${target.question.id}`;

/**
 * Gives `codeId` to each of the answers, as this analyst's codings, in one write; returns the step
 * (to undo it) or undefined when every answer already had the code.
 */
export async function applyCodeToAnswers(
  context: CodingDataContext,
  batches: Model<CodeBatch>,
  target: CodingTarget,
  user: SessionUser,
  responseIds: string[],
  codeId: string,
): Promise<CodeBatch | undefined> {
  codeId = survivingCodeId(target.codebook, codeId);
  if (!activeCodes(target.codebook).some((code) => code.codeId === codeId))
    throw new BadRequestError(`"${codeId}" is not an active code of ${target.codebook.name}.`);
  const unique = [...new Set(responseIds)];
  const missing = unique.filter((responseId) => !target.index.byResponse.has(responseId));
  if (missing.length > 0) throw new BadRequestError('Some of the ticked answers are not part of this question.');
  return oneAtATime(stepKey(target, user), async () =>
    applyStep(context, batches, await current(context, target), user, unique, codeId),
  );
}

async function applyStep(
  context: CodingDataContext,
  batches: Model<CodeBatch>,
  target: CodingTarget,
  user: SessionUser,
  unique: string[],
  codeId: string,
): Promise<CodeBatch | undefined> {
  const coded = unique.filter((responseId) => !hasWholeCode(target, responseId, user.id, codeId));
  if (coded.length === 0) return undefined;
  const clearedNoCode = coded.filter((responseId) => target.index.decidedNoCode(responseId, user.id));
  const batch: CodeBatch = {
    _id: randomUUID(),
    surveyId: target.survey.id,
    questionId: target.question.id,
    codebookId: target.codebook.id,
    coderId: user.id,
    codeId,
    responseIds: coded,
    clearedNoCode,
    at: new Date(),
  };
  // The step is stored first: if the codings then fail to save, undoing it changes nothing.
  await batches.create(batch);
  await context.readModel.record(target.survey, [
    ...clearedNoCode.map((responseId) => eventFor(target, responseId, user.id, NO_CODE, false)),
    ...coded.map((responseId) => eventFor(target, responseId, user.id, codeId, true)),
  ]);
  return batch;
}

/** The step, if it is this analyst's, on this question. */
export async function codeBatchOf(
  batches: Model<CodeBatch>,
  target: CodingTarget,
  user: SessionUser,
  batchId: string,
): Promise<CodeBatch> {
  const batch = await batches.findById(batchId).lean<CodeBatch>();
  if (
    !batch ||
    batch.coderId !== user.id ||
    batch.surveyId !== target.survey.id ||
    batch.questionId !== target.question.id ||
    batch.codebookId !== target.codebook.id
  )
    throw new NotFoundError('There is no such step of yours to undo.');
  return batch;
}

/**
 * Undoes a step: takes the code off the answers it gave it to (where the analyst still has it) and
 * restores the "no code applies" it replaced (where the answer has no other code by then). A
 * second undo, in parallel or replayed, finds the step already undone and changes nothing.
 */
export async function undoCodeBatch(
  context: CodingDataContext,
  batches: Model<CodeBatch>,
  target: CodingTarget,
  user: SessionUser,
  batchId: string,
): Promise<{ batch: CodeBatch; undone: boolean }> {
  const batch = await codeBatchOf(batches, target, user, batchId);
  return oneAtATime(stepKey(target, user), async () =>
    undoStep(context, batches, await current(context, target), user, batch),
  );
}

async function undoStep(
  context: CodingDataContext,
  batches: Model<CodeBatch>,
  target: CodingTarget,
  user: SessionUser,
  batch: CodeBatch,
): Promise<{ batch: CodeBatch; undone: boolean }> {
  const claimed = await batches.updateOne({ _id: batch._id, undoneAt: null }, { $set: { undoneAt: new Date() } });
  if (claimed.modifiedCount === 0) return { batch, undone: false };
  // The coding the step stored, under the code id it stored it with: a merge since then leaves
  // codings as they were (the merged code counts for its survivor), so the step's codings are
  // still those, and a coding the analyst had of the survivor beforehand is not the step's.
  const stepCoding = (coding: { codeId: string; start?: number }) =>
    coding.start === undefined && coding.codeId === batch.codeId;
  // An answer whose step coding the analyst took off since keeps what it has now: a code given
  // again afterwards (by hand or by a later step) is that later decision, not this step's.
  const takenOff = new Set(
    (
      await context.coding.events
        .find(
          {
            surveyId: batch.surveyId,
            questionId: batch.questionId,
            codebookId: batch.codebookId,
            coderId: user.id,
            codeId: batch.codeId,
            responseId: { $in: batch.responseIds },
            start: null,
            present: false,
            at: { $gte: batch.at },
          },
          { responseId: 1 },
        )
        .lean<{ responseId: string }[]>()
    ).map((event) => event.responseId),
  );
  const removals: NewEvent[] = [];
  for (const responseId of batch.responseIds)
    if (!takenOff.has(responseId) && target.index.codingsOf(responseId, user.id).some(stepCoding))
      removals.push(eventFor(target, responseId, user.id, batch.codeId, false));
  const removed = new Set(removals.map((event) => event.responseId));
  const restored = batch.clearedNoCode.filter(
    (responseId) => removed.has(responseId) && target.index.codingsOf(responseId, user.id).every(stepCoding),
  );
  try {
    await context.readModel.record(target.survey, [
      ...removals,
      ...restored.map((responseId) => eventFor(target, responseId, user.id, NO_CODE, true)),
    ]);
  } catch (error) {
    // Nothing was undone: the step stays undoable.
    await batches.updateOne({ _id: batch._id }, { $unset: { undoneAt: 1 } });
    throw error;
  }
  await batches.updateOne({ _id: batch._id }, { $set: { undoneCount: removed.size } });
  return { batch: { ...batch, undoneCount: removed.size }, undone: true };
}
