import type { LoginThrottle } from './auth/throttle.js';
import type { ResponseModel } from './surveys/responses/model.js';
import { purgeClosedDrafts } from './surveys/responses/service.js';
import type { SurveyRegistry } from './surveys/registry.js';
import type { SurveySchedules } from './surveys/schedule.js';

export interface HousekeepingSettings {
  /** Days after a survey closes before its unfinished answers are deleted. */
  draftRetentionDays: number;
  /** Days a sign-in attempt record is kept. */
  signInRecordDays: number;
}

export interface Housekeeping {
  surveys: SurveyRegistry;
  schedules: SurveySchedules;
  responses: ResponseModel;
  throttle: LoginThrottle;
}

/** One sweep: drafts of long-closed surveys and old sign-in records. Returns what it deleted. */
export async function sweep(
  parts: Housekeeping,
  settings: HousekeepingSettings,
  now = new Date(),
): Promise<{ drafts: number; signInRecords: number }> {
  let drafts = 0;
  for (const survey of parts.surveys.values()) {
    const { closes } = await parts.schedules.datesOf(survey);
    drafts += await purgeClosedDrafts(parts.responses, survey.id, closes, settings.draftRetentionDays, now);
  }
  const signInRecords = await parts.throttle.purge(settings.signInRecordDays * 24 * 3600 * 1000, now);
  return { drafts, signInRecords };
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
        if (deleted.drafts + deleted.signInRecords > 0)
          console.log(
            `Housekeeping: deleted ${deleted.drafts} drafts of closed surveys and ${deleted.signInRecords} old sign-in records`,
          );
      },
      (error: unknown) => console.error('Housekeeping failed:', error instanceof Error ? error.message : error),
    );
  run();
  const timer = setInterval(run, everyMs).unref();
  return { stop: () => clearInterval(timer) };
}
