import mongoose, { type Connection, type Model } from 'mongoose';
import { modelOn } from '../db/models.js';

/** One thing someone did in the back office: who, when, what and to what; never an answer's content. */
export interface AuditEntry {
  at: Date;
  /** The signed-in account's email, or `command line` / `system` for what no one signed in did. */
  actor: string;
  /** e.g. `download.responses`, `user.changed`, `response.erased` (see auditActions). */
  action: string;
  /** What it was done to: a survey, question, account, codebook or response reference. */
  target: string;
  /** Ids, counts and settings only. */
  detail: Record<string, string | number | boolean>;
}

const auditSchema = new mongoose.Schema<AuditEntry>(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    target: { type: String, default: '' },
    detail: { type: mongoose.Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
);

export type AuditModel = Model<AuditEntry>;

export function auditModel(connection: Connection): AuditModel {
  return modelOn(connection, 'AuditEntry', auditSchema);
}
