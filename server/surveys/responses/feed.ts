import type { Connection } from 'mongoose';
import type { ChangeCounters } from '../../db/change-counter.js';
import { SequenceLog } from '../../db/sequence-log.js';

/** That a response was submitted: what a coding read model needs to add its answers. */
export interface SubmissionEntry {
  /** Absent once the response is erased: the entry keeps its place in the feed, nothing else. */
  responseId?: string;
  at: Date;
}

export const SUBMISSION_FEED = 'submissionfeed';

/**
 * Each survey's submissions in order, one numbered stream per survey (see SequenceLog), so every
 * process adds new answers to what it holds without re-reading the survey's responses. An entry
 * is written after its response is stored as submitted; a repeated entry for one response is harmless.
 */
export function submissionFeed(connection: Connection, counters: ChangeCounters): SequenceLog<SubmissionEntry> {
  return new SequenceLog<SubmissionEntry>(() => connection.db!.collection(SUBMISSION_FEED), counters, 'submissions');
}

/** What is left of an erased response's entries. */
export const ERASED_ENTRY_UPDATE = { $set: { erased: true }, $unset: { responseId: '' } } as const;
