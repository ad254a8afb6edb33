import type { Connection } from 'mongoose';
import { auditModel } from '../audit/model.js';
import { record } from '../audit/service.js';
import { ChangeCounters } from '../db/change-counter.js';
import { restoreBackup, type RestoreResult } from '../db/restore.js';
import { codingModels } from '../coding/model.js';
import { responseModel } from '../surveys/responses/model.js';
import { deleteResponseAndTrace } from './erasure.js';

export interface RestoreKeepingErasures extends RestoreResult {
  /** References of responses the backup brought back that had been erased since: erased again. */
  reErased: string[];
  /** Drafts the backup brought back that their respondents had deleted since: deleted again. */
  reDeletedDrafts: number;
}

/**
 * Restores a backup (see `restoreBackup`) without undoing an erasure or a respondent's deletion of
 * their draft: the audit trail of the database being replaced is read first; afterwards every entry
 * the backup lacks is put back, each response erased since is deleted again with everything kept
 * about it, and each draft deleted since is deleted again. The restore itself is recorded.
 */
export async function restoreKeepingErasures(
  connection: Connection,
  dir: string,
  { replace = false, force = false } = {},
): Promise<RestoreKeepingErasures> {
  const trail = auditModel(connection);
  // The whole trail of the database being replaced: it is append-only, so a restore keeps every entry.
  const entries = await trail.find({}).lean();
  const erasures = entries.filter((entry) => entry.action === 'response.erased');
  const result = await restoreBackup(connection, dir, { replace, force });
  const context = {
    responses: responseModel(connection),
    coding: codingModels(connection),
    counters: new ChangeCounters(connection),
  };
  const reErased: string[] = [];
  for (const entry of entries) {
    if (!(await trail.exists({ _id: entry._id }))) await trail.collection.insertOne(entry);
  }
  let reDeletedDrafts = 0;
  for (const entry of entries.filter((candidate) => candidate.action === 'draft.deleted')) {
    const { response } = entry.detail as Record<string, unknown>;
    if (typeof response !== 'string') continue;
    if (await context.responses.findOneAndDelete({ _id: response, status: 'draft' })) reDeletedDrafts += 1;
  }
  for (const entry of erasures) {
    const { survey, response } = entry.detail as Record<string, unknown>;
    if (typeof survey !== 'string') continue;
    // Entries written before the id was kept name the response by its reference only.
    const id =
      typeof response === 'string'
        ? response
        : (await context.responses.findOne({ reference: entry.target, surveyId: survey }, { _id: 1 }).lean())?._id;
    if (id !== undefined && (await deleteResponseAndTrace(context, survey, String(id)))) reErased.push(entry.target);
  }
  await record(connection, {
    actor: 'command line',
    action: 'restore',
    target: dir.slice(-300),
    detail: { documents: result.documents, replace, reErased: reErased.length, reDeletedDrafts },
  });
  return { ...result, reErased, reDeletedDrafts };
}
