import mongoose, { type Connection, type Model } from 'mongoose';
import { modelOn } from '../db/models.js';

/** The coder id under which the admin's reconciled (consensus) coding is kept. */
export const FINAL_CODER = 'final';

/**
 * The code id of a coder's decision that no code applies to an answer. Code ids are kebab-case, so
 * this can never be a real code's.
 */
export const NO_CODE = '_none';

/**
 * Codings are an append-only log: each event sets one coding present or absent. Inserts stay fast
 * on every backend (FerretDB's SQLite backend scans for any other write), and the log is the
 * history of who coded what, when.
 */
export interface CodingEvent {
  surveyId: string;
  questionId: string;
  codebookId: string;
  responseId: string;
  coderId: string;
  codeId: string;
  /** Character offsets into the answer, end exclusive; absent for a whole-answer coding. */
  start?: number;
  end?: number;
  present: boolean;
  at: Date;
}

export interface AnswerNote {
  /** `${surveyId}:${questionId}:${responseId}:${coderId}` */
  _id: string;
  memo: string;
  updatedAt: Date;
}

/**
 * An answer's quote state. Changed only by single atomic operators ($addToSet, $pull), so two
 * analysts starring or redacting at once both keep their change.
 */
export interface QuoteRecord {
  /** `${surveyId}:${questionId}:${responseId}` */
  _id: string;
  surveyId: string;
  questionId: string;
  responseId: string;
  /** Ids of the coders who starred the answer as a quote: it is a quote while anyone has. */
  starredBy: string[];
  /** Words or phrases to hide wherever they appear in the answer (any letter case). */
  redacted: string[];
  updatedAt: Date;
}

/**
 * Which answers a lead hands to which analysts. Kept as a rule, not a list of answers, so answers
 * arriving later are assigned too and a question of 100,000 answers stores a few bytes.
 */
export interface AssignmentRule {
  id: string;
  coders: string[];
  /** Which answers: all, or those of a role group, a country, or a range of answer numbers (1-based). */
  scope: { group?: string; country?: string; from?: number; to?: number };
  /** `each`: every coder codes every answer in scope; `share`: the answers are dealt out in turn. */
  split: 'each' | 'share';
  /** For `share`: the percentage of answers also given to the next coder, to measure agreement. */
  overlap: number;
}

export interface QuestionSettings {
  /** `${surveyId}:${questionId}` */
  _id: string;
  independent: boolean;
  /** Whose codings reports use for answers not yet reconciled. */
  reportCoder?: string;
  /** The codebook a lead chose; without it, the one the survey definition names. */
  codebookId?: string;
  /** Under independent coding, whether the lead has let analysts see each other's codes on the agreement page. */
  comparisonOpen?: boolean;
  assignments?: AssignmentRule[];
}

const eventSchema = new mongoose.Schema<CodingEvent>(
  {
    surveyId: { type: String, required: true },
    questionId: { type: String, required: true },
    codebookId: { type: String, required: true },
    responseId: { type: String, required: true },
    coderId: { type: String, required: true },
    codeId: { type: String, required: true },
    start: Number,
    end: Number,
    present: { type: Boolean, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
eventSchema.index({ surveyId: 1, questionId: 1, codebookId: 1 });

const noteSchema = new mongoose.Schema<AnswerNote>(
  { _id: String, memo: String, updatedAt: Date },
  { versionKey: false },
);
const quoteSchema = new mongoose.Schema<QuoteRecord>(
  {
    _id: String,
    surveyId: String,
    questionId: String,
    responseId: String,
    starredBy: { type: [String], default: undefined },
    redacted: { type: [String], default: undefined },
    updatedAt: Date,
  },
  { versionKey: false },
);
const assignmentSchema = new mongoose.Schema<AssignmentRule>(
  {
    id: String,
    coders: [String],
    scope: { group: String, country: String, from: Number, to: Number },
    split: String,
    overlap: Number,
  },
  { _id: false, versionKey: false },
);
const settingsSchema = new mongoose.Schema<QuestionSettings>(
  {
    _id: String,
    independent: Boolean,
    reportCoder: String,
    codebookId: String,
    comparisonOpen: Boolean,
    assignments: { type: [assignmentSchema], default: undefined },
  },
  { versionKey: false },
);

/** That a question has been coded with a codebook: so every coded question is listed in the outputs. */
export interface QuestionCodebook {
  /** `${surveyId}:${questionId}:${codebookId}` */
  _id: string;
  surveyId: string;
  questionId: string;
  codebookId: string;
}

const questionCodebookSchema = new mongoose.Schema<QuestionCodebook>(
  { _id: String, surveyId: String, questionId: String, codebookId: String },
  { versionKey: false },
);

export interface CodingModels {
  events: Model<CodingEvent>;
  questionCodebooks: Model<QuestionCodebook>;
  notes: Model<AnswerNote>;
  quotes: Model<QuoteRecord>;
  settings: Model<QuestionSettings>;
}

export function codingModels(connection: Connection): CodingModels {
  return {
    events: modelOn(connection, 'CodingEvent', eventSchema),
    questionCodebooks: modelOn(connection, 'QuestionCodebook', questionCodebookSchema),
    notes: modelOn(connection, 'AnswerNote', noteSchema),
    quotes: modelOn(connection, 'Quote', quoteSchema),
    settings: modelOn(connection, 'QuestionSettings', settingsSchema),
  };
}

export const quoteKey = (surveyId: string, questionId: string, responseId: string) =>
  `${surveyId}:${questionId}:${responseId}`;
export const noteKey = (surveyId: string, questionId: string, responseId: string, coderId: string) =>
  `${surveyId}:${questionId}:${responseId}:${coderId}`;
export const settingsKey = (surveyId: string, questionId: string) => `${surveyId}:${questionId}`;
