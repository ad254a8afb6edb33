import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../../config.js';
import { readDataFile } from '../../data-files.js';
import { surveyCounterKey, type ChangeCounters } from '../../db/change-counter.js';
import { dropSurveyCheckpoints } from '../../db/checkpoint-collections.js';
import type { SurveyRegistry } from '../registry.js';
import type { SurveySchedules } from '../schedule.js';
import type { ResponseModel } from './model.js';

export const defaultRetentionFile = path.join(projectRoot, 'server', 'surveys', 'retention.json');

/** Per survey, the closed questions whose answers anonymising removes (data, in retention.json). */
export type AnonymiseRules = Map<string, string[]>;

/**
 * Reads and checks retention.json: every survey named exists, and each question listed is one of
 * its closed questions, other than those the outputs break down by (the profile questions).
 */
export function loadAnonymiseRules(surveys: SurveyRegistry, file = defaultRetentionFile): AnonymiseRules {
  const raw = readDataFile(file, z.record(z.string(), z.array(z.string())), 'retention rules');
  const rules: AnonymiseRules = new Map();
  for (const [surveyId, questionIds] of Object.entries(raw)) {
    const survey = surveys.get(surveyId);
    if (!survey) throw new Error(`${file}: there is no survey "${surveyId}"`);
    const profile = Object.values(survey.definition.profile);
    for (const questionId of questionIds) {
      const question = survey.questions.find((candidate) => candidate.id === questionId);
      if (!question || question.type === 'text' || question.type === 'consent' || profile.includes(questionId))
        throw new Error(
          `${file}: ${surveyId}.${questionId} must be a closed question of the survey, not one of its profile questions (${profile.join(', ')})`,
        );
    }
    rules.set(surveyId, questionIds);
  }
  return rules;
}

export interface RetentionSettings {
  /** From this instant every unsent answer (draft) of every survey is deleted. */
  purgeDraftsAfter?: Date;
  /** From this instant sent answers are anonymised further: free text kept, attributes coarsened. */
  anonymiseAfter?: Date;
}

export interface RetentionReport {
  dryRun: boolean;
  /** Drafts deleted (or that would be), by survey. */
  drafts: Record<string, number>;
  /** Sent answers anonymised (or that would be), by survey, with the answers removed from each. */
  anonymised: Record<string, { responses: number; removes: string[] }>;
  /** Surveys still open, whose drafts were kept: a respondent may be half-way through. */
  openKept?: string[];
}

const monthStart = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));

interface Parts {
  surveys: SurveyRegistry;
  responses: ResponseModel;
  counters: ChangeCounters;
  rules: AnonymiseRules;
  /** When given, the drafts of a survey still open are never purged (the app and the command pass it). */
  schedules?: Pick<SurveySchedules, 'isOpen'>;
}

/**
 * Applies the retention dates (or, with `dryRun`, says what they would do). Anonymising keeps every
 * free-text answer and the profile answers the outputs are broken down by; it removes the answers
 * retention.json lists for the survey and rounds the response's times down to the month. Each
 * response is anonymised once (`anonymisedAt`), so a sweep can run every hour.
 */
export async function applyRetention(
  parts: Parts,
  settings: RetentionSettings,
  { now = new Date(), dryRun = false } = {},
): Promise<RetentionReport> {
  const report: RetentionReport = { dryRun, drafts: {}, anonymised: {} };
  for (const survey of parts.surveys.values()) {
    const open =
      settings.purgeDraftsAfter && now >= settings.purgeDraftsAfter && (await parts.schedules?.isOpen(survey, now));
    if (open) report.openKept = [...(report.openKept ?? []), survey.id];
    else if (settings.purgeDraftsAfter && now >= settings.purgeDraftsAfter) {
      const filter = { surveyId: survey.id, status: 'draft' as const };
      report.drafts[survey.id] = dryRun
        ? await parts.responses.countDocuments(filter)
        : (await parts.responses.deleteMany(filter)).deletedCount;
    }
    if (settings.anonymiseAfter && now >= settings.anonymiseAfter) {
      const removes = parts.rules.get(survey.id) ?? [];
      const due = await parts.responses
        .find(
          { surveyId: survey.id, status: 'submitted', anonymisedAt: { $exists: false } },
          { submittedAt: 1, createdAt: 1 },
        )
        .lean<{ _id: unknown; submittedAt?: Date; createdAt?: Date }[]>();
      report.anonymised[survey.id] = { responses: due.length, removes };
      if (dryRun || due.length === 0) continue;
      for (const response of due) {
        const month = monthStart(response.submittedAt ?? response.createdAt ?? now);
        await parts.responses.updateOne(
          { _id: response._id },
          {
            $set: { submittedAt: month, createdAt: month, updatedAt: month, anonymisedAt: now },
            ...(removes.length > 0
              ? {
                  $unset: Object.fromEntries(
                    removes.flatMap((id) => [
                      [`answers.${id}`, ''],
                      [`otherText.${id}`, ''],
                    ]),
                  ),
                }
              : {}),
          },
          { timestamps: false, strict: false },
        );
      }
      await parts.counters.bump(surveyCounterKey(survey.id));
      // Checkpoints hold copies of the answers just removed.
      await dropSurveyCheckpoints(parts.responses.db, survey.id);
    }
  }
  return report;
}
