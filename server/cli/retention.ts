import { z } from 'zod';
import { record } from '../audit/service.js';
import { readEnvironment } from '../config.js';
import { ChangeCounters } from '../db/change-counter.js';
import { retentionDates } from '../housekeeping.js';
import { londonDayEnd } from '../surveys/london-time.js';
import { loadSurveys } from '../surveys/registry.js';
import { responseModel } from '../surveys/responses/model.js';
import { SurveySchedules } from '../surveys/schedule.js';
import { applyRetention, loadAnonymiseRules, type RetentionReport } from '../surveys/responses/retention.js';
import { commandArgs, UsageError } from './args.js';
import { withDatabase } from './database.js';

const usage = 'retention [--dry-run] [--on YYYY-MM-DD]';

/**
 * `retention --dry-run`: what the retention dates (RETENTION_PURGE_DRAFTS_AFTER,
 * RETENTION_ANONYMISE_AFTER) would delete and anonymise now, or by the end of the day `--on`;
 * without --dry-run, does it (as the hourly sweep would) and records it in the audit trail.
 */
export async function retentionCommand(args: string[]): Promise<RetentionReport & { on: string }> {
  const options = commandArgs(args, { 'dry-run': { type: 'boolean' }, on: { type: 'string' } }, usage);
  const on = options.on;
  if (on !== undefined) {
    try {
      z.iso.date().parse(on);
    } catch {
      throw new UsageError(`--on takes a date as YYYY-MM-DD. Usage: ${usage}`);
    }
  }
  const dryRun = options['dry-run'] === true;
  if (on && !dryRun) throw new UsageError('--on only goes with --dry-run: the rules are applied as of now.');
  const env = readEnvironment();
  const settings = retentionDates({
    purgeDraftsAfter: env.RETENTION_PURGE_DRAFTS_AFTER,
    anonymiseAfter: env.RETENTION_ANONYMISE_AFTER,
  });
  if (!settings.purgeDraftsAfter && !settings.anonymiseAfter)
    throw new UsageError(
      'No retention date is set: give RETENTION_PURGE_DRAFTS_AFTER or RETENTION_ANONYMISE_AFTER (YYYY-MM-DD).',
    );
  const surveys = loadSurveys(env.SURVEYS_DIR);
  const rules = loadAnonymiseRules(surveys);
  const now = on ? londonDayEnd(on) : new Date();
  return withDatabase(async (connection) => {
    const parts = {
      surveys,
      rules,
      responses: responseModel(connection),
      counters: new ChangeCounters(connection),
      schedules: new SurveySchedules(connection),
    };
    const report = await applyRetention(parts, settings, { now, dryRun });
    if (!dryRun)
      await record(connection, {
        actor: 'command line',
        action: 'retention',
        target: 'all surveys',
        detail: {
          drafts: Object.values(report.drafts).reduce((sum, count) => sum + count, 0),
          anonymised: Object.values(report.anonymised).reduce((sum, entry) => sum + entry.responses, 0),
        },
      });
    return { ...report, on: now.toISOString() };
  });
}
