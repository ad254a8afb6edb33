import { pick } from '../i18n/localised.js';
import { loadSurveys } from '../surveys/registry.js';

export interface SurveySummary {
  id: string;
  title: string;
  questions: number;
  open: boolean;
}

/** `surveys`: every survey definition with its question count and whether its own dates make it open now. */
export function listSurveys(dir: string, now: Date): SurveySummary[] {
  return [...loadSurveys(dir).values()].map((survey) => ({
    id: survey.id,
    title: pick(survey.definition.title, 'en'),
    questions: survey.questions.length,
    open: survey.isOpen(now),
  }));
}
