import type { Connection } from 'mongoose';
import type { ChangeCounters } from '../db/change-counter.js';
import { SequenceLog } from '../db/sequence-log.js';
import type { CodingEvent } from './model.js';

/** The coding log's collection: the same events every other reader (exports, usage) reads. */
export const CODING_EVENTS = 'codingevents';

/** One question coded with one codebook: one stream of the coding log. */
export const questionKey = (surveyId: string, questionId: string, codebookId: string) =>
  `${surveyId}:${questionId}:${codebookId}`;

/**
 * An event as stored. Events written before the log was numbered (and by seeding scripts) have an
 * ObjectId and no `seq`; they come before every numbered one. An erased answer's events keep their
 * place in the log with their answer, coder and code removed (`erased`), so the numbering has no holes.
 */
export type StoredEvent = Omit<CodingEvent, 'responseId' | 'coderId' | 'codeId'> & {
  _id: unknown;
  seq?: number;
  erased?: true;
  responseId?: string;
  coderId?: string;
  codeId?: string;
};

/** Log order: unnumbered events first, by time then insertion; then by number. */
export function compareLogOrder(a: StoredEvent, b: StoredEvent): number {
  if (a.seq !== undefined || b.seq !== undefined) return (a.seq ?? -1) - (b.seq ?? -1);
  return a.at.getTime() - b.at.getTime() || (String(a._id) < String(b._id) ? -1 : 1);
}

/** Each question's numbered stream of coding events (see SequenceLog). */
export function codingLog(connection: Connection, counters: ChangeCounters): SequenceLog<CodingEvent> {
  return new SequenceLog<CodingEvent>(() => connection.db!.collection(CODING_EVENTS), counters, 'coding-log');
}

/** What is left of an erased answer's events: their place in the log, without the answer, coder or code. */
export const ERASED_EVENT_UPDATE = {
  $set: { erased: true },
  $unset: { responseId: '', coderId: '', codeId: '', start: '', end: '' },
} as const;
