import type { Audit } from './audit/service.js';
import type { LoginThrottle } from './auth/throttle.js';
import type { ChangeCounters } from './db/change-counter.js';
import { londonDayStart } from './surveys/london-time.js';
import { applyRetention, type AnonymiseRules, type RetentionSettings } from './surveys/responses/retention.js';
import type { ResponseModel } from './surveys/responses/model.js';
import { purgeClosedDrafts } from './surveys/responses/service.js';
import type { SurveyRegistry } from './surveys/registry.js';
import type { SurveySchedules } from './surveys/schedule.js';

export interface HousekeepingSettings {
  /** Days after a survey closes before its unfinished answers are deleted. */
  draftRetentionDays: number;
  /** Days a sign-in attempt record is kept. */
  signInRecordDays: number;
  /** The retention dates, as configured (YYYY-MM-DD). */
  retention?: { purgeDraftsAfter?: string; anonymiseAfter?: string };
}

/** The configured retention days, as the instants they start in London. */
export function retentionDates(settings: HousekeepingSettings['retention']): RetentionSettings {
  return {
    purgeDraftsAfter: settings?.purgeDraftsAfter ? londonDayStart(settings.purgeDraftsAfter) : undefined,
    anonymiseAfter: settings?.anonymiseAfter ? londonDayStart(settings.anonymiseAfter) : undefined,
  };
}

export interface Housekeeping {
  surveys: SurveyRegistry;
  schedules: SurveySchedules;
  responses: ResponseModel;
  throttle: LoginThrottle;
  counters: ChangeCounters;
  rules: AnonymiseRules;
  /** Where a sweep that deleted or anonymised answers is recorded (counts only). */
  audit?: Audit;
}

/**
 * One sweep: drafts of long-closed surveys and old sign-in records, and the retention dates (whose
 * draft purge skips a survey still open). Returns what it deleted; answers deleted or anonymised
 * are recorded in the audit trail, as counts.
 */
export async function sweep(
  parts: Housekeeping,
  settings: HousekeepingSettings,
  now = new Date(),
): Promise<{ drafts: number; signInRecords: number; anonymised: number }> {
  let drafts = 0;
  for (const survey of parts.surveys.values()) {
    const { closes } = await parts.schedules.datesOf(survey);
    drafts += await purgeClosedDrafts(parts.responses, survey.id, closes, settings.draftRetentionDays, now);
  }
  const signInRecords = await parts.throttle.purge(settings.signInRecordDays * 24 * 3600 * 1000, now);
  const retained = await applyRetention(parts, retentionDates(settings.retention), { now });
  drafts += Object.values(retained.drafts).reduce((sum, count) => sum + count, 0);
  const anonymised = Object.values(retained.anonymised).reduce((sum, entry) => sum + entry.responses, 0);
  if (drafts + anonymised > 0)
    await parts.audit?.({
      actor: 'housekeeping',
      action: 'retention',
      target: 'all surveys',
      detail: { drafts, anonymised },
    });
  return { drafts, signInRecords, anonymised };
}

/** Sweeps at start and then every `everyMs` (no TTL index: FerretDB's SQLite backend has none). */
export function startHousekeeping(
  parts: Housekeeping,
  settings: HousekeepingSettings,
  everyMs = 60 * 60 * 1000,
): { stop(): void } {
  const run = () =>
    void sweep(parts, settings).then(
      (deleted) => {
        if (deleted.drafts + deleted.signInRecords + deleted.anonymised > 0)
          console.log(
            `Housekeeping: deleted ${deleted.drafts} drafts and ${deleted.signInRecords} old sign-in records; anonymised ${deleted.anonymised} responses`,
          );
      },
      (error: unknown) => console.error('Housekeeping failed:', error instanceof Error ? error.message : error),
    );
  run();
  const timer = setInterval(run, everyMs).unref();
  return { stop: () => clearInterval(timer) };
}
