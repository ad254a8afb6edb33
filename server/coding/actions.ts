import { z } from 'zod';
import type { SessionUser } from '../auth/roles.js';
import { activeCodes, survivingCodeId } from '../codebooks/service.js';
import type { CodeRecord } from '../codebooks/model.js';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import { NO_CODE, noteKey, quoteKey, type CodingEvent } from './model.js';
import { redactionMatches } from './redaction.js';
import { unitOf, type CodingContext, type CodingTarget } from './target.js';

/**
 * Every action says the state it wants ("this code on", "star off"), never "toggle": a double key
 * press, a browser retry or a resent form leaves the answer as the analyst meant it.
 */

const emptyAsMissing = (value: unknown) => (value === '' ? undefined : value);
export const spanSchema = z
  .object({
    // A browser sends the hidden offset fields empty when the words were typed instead.
    start: z.preprocess(emptyAsMissing, z.coerce.number().int().min(0).optional()),
    end: z.preprocess(emptyAsMissing, z.coerce.number().int().min(1).optional()),
    words: z.string().max(10_000).optional(),
  })
  .transform((value) => ({ ...value, words: value.words?.trim() || undefined }));
export type SpanInput = z.infer<typeof spanSchema>;

/** A span given as offsets (from a text selection) or, without JavaScript, as the exact words. */
export function resolveSpan(text: string, input: SpanInput): { start: number; end: number } {
  if (input.words) {
    const start = text.indexOf(input.words);
    if (start < 0) throw new BadRequestError('Those words are not in the answer. Copy them exactly as they appear.');
    return { start, end: start + input.words.length };
  }
  if (input.start === undefined || input.end === undefined || input.start >= input.end || input.end > text.length) {
    throw new BadRequestError('Select some of the answer text first (or type the exact words).');
  }
  return { start: input.start, end: input.end };
}

function activeCode(target: CodingTarget, codeId: string): CodeRecord {
  const code = activeCodes(target.codebook).find((candidate) => candidate.codeId === codeId);
  if (!code) throw new BadRequestError(`"${codeId}" is not an active code of ${target.codebook.name}.`);
  return code;
}

export type NewEvent = Omit<CodingEvent, 'at'>;

export function eventFor(
  target: CodingTarget,
  responseId: string,
  coderId: string,
  codeId: string,
  present: boolean,
  span?: { start: number; end: number },
): NewEvent {
  return {
    surveyId: target.survey.id,
    questionId: target.question.id,
    codebookId: target.codebook.id,
    responseId,
    coderId,
    codeId,
    present,
    ...span,
  };
}

/** Giving a code replaces an earlier "no code applies". */
function clearNoCode(target: CodingTarget, responseId: string, coderId: string): NewEvent[] {
  return target.index.decidedNoCode(responseId, coderId) ? [eventFor(target, responseId, coderId, NO_CODE, false)] : [];
}

/** Puts the code on the whole answer, or takes it off (with any merged-away code that counts as it). */
export async function setWholeCode(
  context: CodingContext,
  target: CodingTarget,
  user: SessionUser,
  responseId: string,
  codeId: string,
  present: boolean,
): Promise<void> {
  unitOf(target, responseId);
  // A page loaded before a merge still names the merged-away code: act on the code it became.
  codeId = survivingCodeId(target.codebook, codeId);
  if (present) activeCode(target, codeId);
  const existing = target.index
    .codingsOf(responseId, user.id)
    .filter((coding) => coding.start === undefined && survivingCodeId(target.codebook, coding.codeId) === codeId);
  const events = present
    ? existing.length > 0
      ? []
      : [...clearNoCode(target, responseId, user.id), eventFor(target, responseId, user.id, codeId, true)]
    : existing.map((coding) => eventFor(target, responseId, user.id, coding.codeId, false));
  await context.readModel.record(target.survey, events);
}

/**
 * Records that no code of the codebook applies (clearing this coder's codes on the answer), or
 * withdraws that decision. It counts as coded, in progress and in agreement, as an empty set.
 */
export async function setNoCode(
  context: CodingContext,
  target: CodingTarget,
  user: SessionUser,
  responseId: string,
  present: boolean,
): Promise<void> {
  unitOf(target, responseId);
  const decided = target.index.decidedNoCode(responseId, user.id);
  if (!present)
    return context.readModel.record(
      target.survey,
      decided ? [eventFor(target, responseId, user.id, NO_CODE, false)] : [],
    );
  const cleared = target.index
    .codingsOf(responseId, user.id)
    .map((coding) =>
      eventFor(
        target,
        responseId,
        user.id,
        coding.codeId,
        false,
        coding.start === undefined ? undefined : { start: coding.start, end: coding.end! },
      ),
    );
  await context.readModel.record(target.survey, [
    ...cleared,
    ...(decided ? [] : [eventFor(target, responseId, user.id, NO_CODE, true)]),
  ]);
}

/** Codes a passage, or removes this coder's coding of that passage with that code (following merges). */
export async function setSpanCode(
  context: CodingContext,
  target: CodingTarget,
  user: SessionUser,
  responseId: string,
  codeId: string,
  input: SpanInput,
  present: boolean,
): Promise<void> {
  const unit = unitOf(target, responseId);
  const span = resolveSpan(unit.text, input);
  codeId = survivingCodeId(target.codebook, codeId);
  const existing = target.index
    .codingsOf(responseId, user.id)
    .filter(
      (coding) =>
        coding.start === span.start &&
        coding.end === span.end &&
        survivingCodeId(target.codebook, coding.codeId) === codeId,
    );
  if (present) {
    activeCode(target, codeId);
    if (existing.length > 0) return;
    await context.readModel.record(target.survey, [
      ...clearNoCode(target, responseId, user.id),
      eventFor(target, responseId, user.id, codeId, true, span),
    ]);
    return;
  }
  // The passage may be stored under a code merged since: remove it under the id it was stored with.
  await context.readModel.record(
    target.survey,
    existing.map((coding) => eventFor(target, responseId, user.id, coding.codeId, false, span)),
  );
}

export async function saveMemo(
  context: CodingContext,
  target: CodingTarget,
  user: SessionUser,
  responseId: string,
  memo: string,
): Promise<void> {
  unitOf(target, responseId);
  const key = noteKey(target.survey.id, target.question.id, responseId, user.id);
  await context.coding.notes.updateOne(
    { _id: key },
    { $set: { memo: memo.trim().slice(0, 5000), updatedAt: new Date() } },
    { upsert: true },
  );
  await undoIfErased(context, responseId, () => context.coding.notes.deleteOne({ _id: key }));
}

// Insert, then verify: a memo or star written while the answer was erased is removed by its writer.
async function undoIfErased(context: CodingContext, responseId: string, undo: () => Promise<unknown>): Promise<void> {
  if (await context.readModel.responseExists(responseId)) return;
  await undo();
  throw new NotFoundError('This answer has been erased.');
}

const quoteFields = (target: CodingTarget, responseId: string) => ({
  surveyId: target.survey.id,
  questionId: target.question.id,
  responseId,
  updatedAt: new Date(),
});

/** Stars (or unstars) the answer as a quote for this coder; only answers whose respondent agreed to be quoted. */
export async function setStar(
  context: CodingContext,
  target: CodingTarget,
  user: SessionUser,
  responseId: string,
  starred: boolean,
): Promise<void> {
  const unit = unitOf(target, responseId);
  if (starred && !unit.quoteConsent) {
    throw new BadRequestError(
      'This respondent did not agree to be quoted, so this answer cannot be starred as a quote.',
    );
  }
  const key = quoteKey(target.survey.id, target.question.id, responseId);
  const change = starred ? { $addToSet: { starredBy: user.id } } : { $pull: { starredBy: user.id } };
  await context.coding.quotes.updateOne(
    { _id: key },
    { ...change, $set: quoteFields(target, responseId) },
    { upsert: true },
  );
  await undoIfErased(context, responseId, () => context.coding.quotes.deleteOne({ _id: key }));
}

export const redactionSchema = z.object({
  words: z.string().trim().min(1, 'Type the words to redact').max(200, 'Redact at most 200 characters at a time'),
  remove: z.literal('1').optional(),
  confirm: z.literal('1').optional(),
});

/** Hides a word or phrase wherever it appears in the answer (any letter case), or stops hiding it. */
export async function setRedaction(
  context: CodingContext,
  target: CodingTarget,
  responseId: string,
  words: string,
  present: boolean,
): Promise<void> {
  const unit = unitOf(target, responseId);
  const key = quoteKey(target.survey.id, target.question.id, responseId);
  if (present) {
    const quote = await context.coding.quotes.findById(key).lean();
    if (!quote?.starredBy?.length)
      throw new BadRequestError('Star the answer as a quote before marking words to redact.');
    if (redactionMatches(unit.text, [words]).length === 0)
      throw new BadRequestError('Those words are not in the answer.');
  }
  const change = present ? { $addToSet: { redacted: words } } : { $pull: { redacted: words } };
  await context.coding.quotes.updateOne({ _id: key }, { ...change, $set: quoteFields(target, responseId) });
}
