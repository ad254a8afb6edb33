import mongoose, { type Connection, type Model } from 'mongoose';
import { ChangeCounters } from '../db/change-counter.js';
import { modelOn } from '../db/models.js';

export interface CodebookRecord {
  _id: string;
  name: string;
  description: string;
  version: number;
  /** The highest top-level code number ever given in this codebook: numbers are never reused. */
  topKey?: number;
}

export interface CodeRecord {
  /** `${codebookId}/${codeId}`: every look-up is by this key or by codebook. */
  _id: string;
  codebookId: string;
  codeId: string;
  name: string;
  definition: string;
  include: string;
  exclude: string;
  colour: string;
  parentId?: string;
  /** Its stable number: "3" at the top level, "3.1" under code 3 (see keys.ts). */
  key?: string;
  /** Place among its siblings (codes with the same parent). */
  order: number;
  terms: string[];
  retired: boolean;
  mergedInto?: string;
  /** The emerging-theme group the code was made from (its fingerprint), so the group never makes two. */
  fromGroup?: string;
  /** That group's answers (ids only): suggestions learn them as the code's first examples. */
  groupAnswers?: string[];
  /**
   * The question ("survey/question") the group was of: a codebook may code several questions, and
   * the same respondents' answers to another question were never in the group.
   */
  groupQuestion?: string;
  /** The highest sub-code number ever given under this code: taken atomically, so never given twice. */
  childKeys?: number;
}

/** The question key a code made from an emerging theme records its group's question by. */
export function groupQuestionKey(surveyId: string, questionId: string): string {
  return `${surveyId}/${questionId}`;
}

/**
 * Whether the code was made from an emerging theme of this question. A code made before its group's
 * question was recorded counts for every question, as it did then.
 */
export function madeFromGroupOf(code: CodeRecord, surveyId: string, questionId: string): boolean {
  if (code.fromGroup === undefined && code.groupAnswers === undefined) return false;
  return code.groupQuestion === undefined || code.groupQuestion === groupQuestionKey(surveyId, questionId);
}

/** Whether this answer (to this question) was in the emerging theme the code was made from. */
export function inCodeGroup(code: CodeRecord, surveyId: string, questionId: string, responseId: string): boolean {
  return (code.groupAnswers?.includes(responseId) ?? false) && madeFromGroupOf(code, surveyId, questionId);
}

export type CodebookAction =
  | 'seeded'
  | 'created'
  | 'imported'
  | 'renamed'
  | 'added'
  | 'edited'
  | 'moved'
  | 'retired'
  | 'restored'
  | 'merged'
  | 'unmerged';

/** What a merge changed, so that it can be undone exactly. */
export interface MergeRecord {
  from: string;
  into: string;
  /** The codes that moved from under `from` to under `into`. */
  children: string[];
  /** `into` was a sub-code of `from` and was lifted to `from`'s parent (or the top level). */
  survivorParent?: string;
  /** The keys codes had before the merge, for every code whose key it changed. */
  keys: Record<string, string>;
  /** The places the moved codes had before the merge, to put them back in the same order. */
  orders?: Record<string, number>;
}

export interface CodebookChangeRecord {
  _id?: mongoose.Types.ObjectId;
  codebookId: string;
  codeId: string;
  action: CodebookAction;
  by: string;
  at: Date;
  details: string;
  merge?: MergeRecord;
  /** When the change was undone (merges only). */
  undoneAt?: Date;
  /** What an import found amiss in the file (imports only), shown on the codebook page. */
  warnings?: string[];
}

const codebookSchema = new mongoose.Schema<CodebookRecord>(
  { _id: String, name: String, description: String, version: Number, topKey: Number },
  { versionKey: false },
);
const codeSchema = new mongoose.Schema<CodeRecord>(
  {
    _id: String,
    codebookId: { type: String, required: true, index: true },
    codeId: { type: String, required: true },
    name: { type: String, required: true },
    definition: { type: String, default: '' },
    include: { type: String, default: '' },
    exclude: { type: String, default: '' },
    colour: { type: String, required: true },
    parentId: String,
    key: String,
    order: { type: Number, required: true },
    terms: { type: [String], default: [] },
    retired: { type: Boolean, default: false },
    childKeys: Number,
    mergedInto: String,
    fromGroup: String,
    groupAnswers: { type: [String], default: undefined },
    groupQuestion: String,
  },
  { versionKey: false },
);
const changeSchema = new mongoose.Schema<CodebookChangeRecord>(
  {
    codebookId: String,
    codeId: String,
    action: String,
    by: String,
    at: Date,
    details: String,
    merge: { type: mongoose.Schema.Types.Mixed, default: undefined },
    undoneAt: Date,
    warnings: { type: [String], default: undefined },
  },
  { versionKey: false },
);

export interface CodebookModels {
  codebooks: Model<CodebookRecord>;
  codes: Model<CodeRecord>;
  changes: Model<CodebookChangeRecord>;
  counters: ChangeCounters;
}

export function codebookModels(connection: Connection): CodebookModels {
  return {
    codebooks: modelOn(connection, 'Codebook', codebookSchema),
    codes: modelOn(connection, 'Code', codeSchema),
    changes: modelOn(connection, 'CodebookChange', changeSchema),
    counters: new ChangeCounters(connection),
  };
}
