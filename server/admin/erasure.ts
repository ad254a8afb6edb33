import { codebookModels } from '../codebooks/model.js';
import { codeBatchModel } from '../coding/bulk-actions.js';
import { CODING_EVENTS, ERASED_EVENT_UPDATE } from '../coding/log.js';
import { surveyCounterKey } from '../db/change-counter.js';
import { dropSurveyCheckpoints } from '../db/checkpoint-collections.js';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import { ERASED_ENTRY_UPDATE, SUBMISSION_FEED } from '../surveys/responses/feed.js';
import { normaliseReference, responseReference } from '../surveys/responses/reference.js';
import type { OperationsContext } from './operations-routes.js';

/** A response found for erasure: what it is and what goes with it, never what it says. */
export interface ErasureCandidate {
  responseId: string;
  reference: string;
  surveyId: string;
  surveyTitle: string;
  status: string;
  submittedAt?: Date;
  codings: number;
  memos: number;
  quotes: number;
}

type ErasureContext = Pick<OperationsContext, 'responses' | 'coding' | 'counters' | 'surveys' | 'audit'>;

interface Found {
  _id: unknown;
  surveyId: string;
  status: string;
  submittedAt?: Date | null;
}

const memoIds = (surveyId: string, responseId: string) => ({ _id: { $regex: `^${surveyId}:[^:]*:${responseId}:` } });

/** The response with this reference (as the respondent was shown it) or id (as in the exports). */
async function findResponse(context: ErasureContext, given: string): Promise<Found> {
  const fields = { surveyId: 1, status: 1, submittedAt: 1 };
  const text = given.trim();
  if (/^[a-f0-9]{24}$/i.test(text)) {
    const byId = await context.responses.findById(text.toLowerCase(), fields).lean<Found>();
    if (byId) return byId;
    throw new NotFoundError(`No response has the id ${text.toLowerCase()}.`);
  }
  const reference = normaliseReference(text);
  if (!reference)
    throw new BadRequestError('Enter a response reference like 7KQ2-9XMD, or a 24-character response id.');
  let found = await context.responses.find({ reference }, fields).lean<Found[]>();
  // Responses stored before references were (or imported ones) are found by working theirs out.
  if (found.length === 0) {
    const all = await context.responses.find({ reference: { $exists: false } }, fields).lean<Found[]>();
    found = all.filter((response) => responseReference(String(response._id)) === reference);
  }
  if (found.length === 0) throw new NotFoundError(`No response has the reference ${reference}.`);
  if (found.length > 1)
    throw new BadRequestError(
      `More than one response has the reference ${reference}: give the response id from the responses download instead.`,
    );
  return found[0]!;
}

export async function findForErasure(context: ErasureContext, given: string): Promise<ErasureCandidate> {
  const response = await findResponse(context, given);
  const responseId = String(response._id);
  const [codings, memos, quotes] = await Promise.all([
    context.coding.events.countDocuments({ responseId }),
    context.coding.notes.countDocuments(memoIds(response.surveyId, responseId)),
    context.coding.quotes.countDocuments({ responseId }),
  ]);
  return {
    responseId,
    reference: responseReference(responseId),
    surveyId: response.surveyId,
    surveyTitle: context.surveys.get(response.surveyId)?.definition.title.en ?? response.surveyId,
    status: response.status,
    submittedAt: response.submittedAt ?? undefined,
    codings,
    memos,
    quotes,
  };
}

/**
 * Deletes one response on its respondent's request, with everything kept about it: every coding
 * (the final one too), memo, star and redaction. What hangs off the response goes first and the
 * response last, so an erasure cut short is finished by running it again. The survey's change
 * counter then tells every app process to rebuild what it holds in memory, so no output or export
 * counts it again, and the audit trail records who erased which reference, without its content.
 */
export async function eraseResponse(
  context: ErasureContext,
  responseId: string,
  actor: string,
): Promise<ErasureCandidate> {
  const candidate = await findForErasure(context, responseId);
  const { surveyId } = candidate;
  const deleted = await deleteResponseAndTrace(context, surveyId, responseId);
  if (!deleted) return candidate;
  await context.audit({
    actor,
    action: 'response.erased',
    target: candidate.reference,
    detail: {
      survey: surveyId,
      // The id is not personal data: a restore of an older backup deletes this response again.
      response: responseId,
      status: candidate.status,
      codings: candidate.codings,
      memos: candidate.memos,
      quotes: candidate.quotes,
    },
  });
  return candidate;
}

/**
 * Deletes the response and everything kept about it; whether this call deleted the response (of
 * several at once, one does). Also used by a restore, to erase again what an older backup brings back.
 */
export async function deleteResponseAndTrace(
  context: Pick<ErasureContext, 'responses' | 'coding' | 'counters'>,
  surveyId: string,
  responseId: string,
): Promise<boolean> {
  // How many documents one sweep removed (a code-by-search step that lost an id counts as one).
  const deleteWhatHangsOff = async () => {
    const [events, , notes, quotes, batches, codes] = await Promise.all([
      // The events keep their places in their questions' numbered logs, emptied of answer, coder and code.
      context.responses.db.collection(CODING_EVENTS).updateMany({ responseId }, ERASED_EVENT_UPDATE),
      context.responses.db.collection(SUBMISSION_FEED).updateMany({ responseId }, ERASED_ENTRY_UPDATE),
      context.coding.notes.deleteMany(memoIds(surveyId, responseId)),
      context.coding.quotes.deleteMany({ responseId }),
      // A code-by-search step keeps the ids of the answers it coded, for its undo.
      codeBatchModel(context.responses.db).updateMany(
        { surveyId },
        { $pull: { responseIds: responseId, clearedNoCode: responseId } },
      ),
      // So does a code made from an emerging theme, for the group's answers.
      codebookModels(context.responses.db).codes.updateMany(
        { groupAnswers: responseId },
        { $pull: { groupAnswers: responseId } },
      ),
    ]);
    return (
      events.modifiedCount + notes.deletedCount + quotes.deletedCount + batches.modifiedCount + codes.modifiedCount
    );
  };
  await deleteWhatHangsOff();
  // One step (FerretDB's deleteOne is two): of several erasures at once, one deletes and records it.
  const deleted = await context.responses.findOneAndDelete({ _id: responseId });
  await context.counters.bump(surveyCounterKey(surveyId));
  // Checkpoints hold copies of the survey's answers; the change counter just moved makes them stale anyway.
  await dropSurveyCheckpoints(context.responses.db, surveyId);
  // A coding, memo or star saved by someone while the above ran is swept up too, until a sweep
  // finds nothing: a writer checks the response is still there after writing and removes its own
  // write if not, so anything written after this point removes itself.
  for (let sweep = 0; sweep < 10 && (await deleteWhatHangsOff()) > 0; sweep++);
  return deleted !== null;
}
