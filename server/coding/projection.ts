import mongoose from 'mongoose';
import type { Survey } from '../surveys/registry.js';
import type { SequenceLog } from '../db/sequence-log.js';
import type { ResponseModel } from '../surveys/responses/model.js';
import type { SubmissionEntry } from '../surveys/responses/feed.js';
import type { CodingEvent } from './model.js';
import { CODING_EVENTS, compareLogOrder, questionKey, type StoredEvent } from './log.js';
import { QuestionIndex, shared, type Unit } from './question-index.js';

/** Where a projection stands: what it was built from, and how far it has read each stream. */
export interface Positions {
  /** The survey's change counter it was built at: a change that is not a submission (erasure, import) moves it. */
  epoch: number;
  /** The last coding-log entry applied. */
  log: number;
  /** The last submission-feed entry applied. */
  feed: number;
}

/** One question and codebook held in memory: its answers and codings, and how far it has read. */
export interface Projection {
  key: string;
  survey: Survey;
  questionId: string;
  codebookId: string;
  index: QuestionIndex;
  positions: Positions;
}

export interface ProjectionSources {
  responses: ResponseModel;
  log: SequenceLog<CodingEvent>;
  feed: SequenceLog<SubmissionEntry>;
}

type StoredResponse = { _id: unknown; answers?: unknown; language?: string; status?: string; surveyId?: string };
const RESPONSE_FIELDS = { _id: 1, answers: 1, language: 1, status: 1 } as const;

/** The question's answer in a submitted response, as a unit to code (index set by the caller). */
export function unitFrom(survey: Survey, questionId: string, response: StoredResponse): Unit | undefined {
  const answers = (response.answers ?? {}) as Record<string, unknown>;
  const text = answers[questionId];
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const { group, country, quoteConsent } = survey.definition.profile;
  return {
    responseId: String(response._id),
    text,
    group: typeof answers[group] === 'string' ? shared(answers[group] as string) : undefined,
    country: typeof answers[country] === 'string' ? shared(answers[country] as string) : undefined,
    quoteConsent: answers[quoteConsent] === 'yes',
    ...(response.language === 'cy' ? { language: 'cy' as const } : {}),
    index: 0,
  };
}

/**
 * Builds a projection from scratch: every submitted response and the question's whole coding log.
 * The streams' ends are read first, so whatever arrives during the scans is picked up after it
 * by `catchUp` (an answer or event seen twice is applied once).
 */
export async function rebuildProjection(
  sources: ProjectionSources,
  survey: Survey,
  questionId: string,
  codebookId: string,
  epoch: number,
): Promise<Projection> {
  const key = questionKey(survey.id, questionId, codebookId);
  const feed = await sources.feed.head(survey.id);
  const units: Unit[] = [];
  const cursor = sources.responses
    .find({ surveyId: survey.id, status: 'submitted' }, RESPONSE_FIELDS)
    .lean()
    .cursor({ batchSize: 2000 });
  for await (const response of cursor) {
    const unit = unitFrom(survey, questionId, response);
    if (unit) units.push(unit);
  }
  // ObjectIds begin with their creation time, so this is submission order on every backend.
  units.sort((a, b) => (a.responseId < b.responseId ? -1 : 1));
  units.forEach((unit, index) => (unit.index = index));
  const index = new QuestionIndex(0, units);
  const events = (await sources.responses.db
    .collection(CODING_EVENTS)
    .find({ surveyId: survey.id, questionId, codebookId })
    .toArray()) as unknown as StoredEvent[];
  events.sort(compareLogOrder);
  // Only the numbered events without a gap before them: a later one is read again after the gap fills.
  let log = 0;
  for (const event of events) {
    if (event.seq !== undefined) {
      if (event.seq !== log + 1) break;
      log = event.seq;
    }
    index.apply(event);
  }
  return { key, survey, questionId, codebookId, index, positions: { epoch, log, feed } };
}

/**
 * Brings a projection up to date: the coding events after its position, then the submissions
 * after its position (in that order, so an event on a new answer never arrives before the answer:
 * the answer's entry was written before anyone could code it). Returns the answers whose codings changed.
 */
export async function catchUp(
  sources: ProjectionSources,
  projection: Projection,
  known?: Map<number, CodingEvent & { _id: string; seq: number }>,
  { submissions = true } = {},
): Promise<string[]> {
  const { survey, questionId, key, index, positions } = projection;
  const events = await sources.log.readAfter(key, positions.log, known);
  // After its own write a process skips the feed: the next request reads it.
  const entries = submissions ? await sources.feed.readAfter(survey.id, positions.feed) : [];
  // The feed's new answers, and any answer an event names that this projection has not got: one
  // coded through a process that read it before this one read the feed (or whose entry was never
  // written, its submitting process having died), so its codings are not skipped for good.
  const fresh = new Set(
    [...entries, ...events].flatMap(({ responseId }) => (responseId === undefined ? [] : [responseId])),
  );
  for (const id of fresh) if (index.byResponse.has(id) || !mongoose.isObjectIdOrHexString(id)) fresh.delete(id);
  const responses = await Promise.all(
    [...fresh].map((id) => sources.responses.findById(id, { ...RESPONSE_FIELDS, surveyId: 1 }).lean<StoredResponse>()),
  );
  for (const response of responses) {
    if (response?.status !== 'submitted' || response.surveyId !== survey.id) continue;
    const unit = unitFrom(survey, questionId, response);
    if (unit) index.insert(unit);
  }
  for (const event of events) index.apply(event);
  positions.log = events.at(-1)?.seq ?? positions.log;
  positions.feed = entries.at(-1)?.seq ?? positions.feed;
  if (events.length > 0 || responses.length > 0) index.version++;
  return [...new Set(events.flatMap((event) => (event.responseId === undefined ? [] : [event.responseId])))];
}
