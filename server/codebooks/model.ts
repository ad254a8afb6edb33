import mongoose, { type Connection, type Model } from 'mongoose';
import { ChangeCounters } from '../db/change-counter.js';
import { modelOn } from '../db/models.js';

export interface CodebookRecord {
  _id: string;
  name: string;
  description: string;
  version: number;
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
  order: number;
  terms: string[];
  retired: boolean;
  mergedInto?: string;
}

export interface CodebookChangeRecord {
  codebookId: string;
  codeId: string;
  action: 'seeded' | 'added' | 'edited' | 'retired' | 'restored' | 'merged';
  by: string;
  at: Date;
  details: string;
}

const codebookSchema = new mongoose.Schema<CodebookRecord>(
  { _id: String, name: String, description: String, version: Number },
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
    order: { type: Number, required: true },
    terms: { type: [String], default: [] },
    retired: { type: Boolean, default: false },
    mergedInto: String,
  },
  { versionKey: false },
);
const changeSchema = new mongoose.Schema<CodebookChangeRecord>(
  { codebookId: String, codeId: String, action: String, by: String, at: Date, details: String },
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
