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
}

/**
 * Restores a backup (see `restoreBackup`) without undoing an erasure: the erasures recorded in the
 * database being replaced are read first; afterwards each response they name is deleted again, with
 * everything kept about it, and their audit entries are put back. The restore itself is recorded.
 */
export async function restoreKeepingErasures(
  connection: Connection,
  dir: string,
  { replace = false, force = false } = {},
): Promise<RestoreKeepingErasures> {
  const trail = auditModel(connection);
  const erasures = await trail.find({ action: 'response.erased' }).lean();
  const result = await restoreBackup(connection, dir, { replace, force });
  const context = {
    responses: responseModel(connection),
    coding: codingModels(connection),
    counters: new ChangeCounters(connection),
  };
  const reErased: string[] = [];
  for (const entry of erasures) {
    if (!(await trail.exists({ _id: entry._id }))) await trail.collection.insertOne(entry);
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
    detail: { documents: result.documents, replace, reErased: reErased.length },
  });
  return { ...result, reErased };
}
