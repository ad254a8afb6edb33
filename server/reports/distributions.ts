import { z } from 'zod';
import { pick } from '../i18n/localised.js';
import { isVisible, type Answers } from '../surveys/flow.js';
import { choiceLabels, isChoiceQuestion, typeOf, type ChoiceQuestion } from '../surveys/question-types/index.js';
import type { Survey } from '../surveys/registry.js';
import type { ResponseModel } from '../surveys/responses/model.js';
import { breakdownsOf, type Breakdown } from './breakdowns.js';
import { percentOf } from './charts.js';

/** Filters by the respondent's group (role, relationship or age band) and country. */
export const filtersSchema = z.object({ group: z.string().max(60).optional(), country: z.string().max(60).optional() });
export type Filters = z.infer<typeof filtersSchema>;

export interface DistributionRow {
  value: string;
  label: string;
  count: number;
  percent: number;
}

export interface Distribution {
  id: string;
  title: string;
  /** Several answers could be chosen: the base is everyone asked, and rows need not sum to it. */
  multiple: boolean;
  /** The choices have an order of their own (a scale), kept in charts. */
  ordered: boolean;
  /** Respondents in this output (all, or those matching the filters). */
  respondents: number;
  /** Respondents who answered (for a several-answer question: who were asked it, since none is an answer). */
  base: number;
  /** Respondents routed past the question: never asked, so not in its base. */
  notAsked: number;
  /** Respondents asked who gave no answer. */
  notAnswered: number;
  rows: DistributionRow[];
}

/** Only filters naming a real choice are applied; anything else is ignored rather than matching nothing. */
export function validFilters(survey: Survey, filters: Filters): Filters {
  const valid = (questionId: string, value?: string) => {
    const question = survey.question(questionId);
    const known =
      question && isChoiceQuestion(question) && choiceLabels(question).some((choice) => choice.value === value);
    return value && known ? value : undefined;
  };
  return {
    group: valid(survey.definition.profile.group, filters.group),
    country: valid(survey.definition.profile.country, filters.country),
  };
}

/** Answers stored with a value the definition no longer offers (a choice removed after launch). */
export const RETIRED_CHOICES = '(retired)';

/** One question's tally as submitted responses stream past. */
class Tally {
  asked = 0;
  answered = 0;
  readonly counts = new Map<string, number>();
  add(values: string[]): void {
    for (const value of values) this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }
}

function toDistribution(
  id: string,
  title: string,
  choices: { value: string; label: string }[],
  tally: Tally,
  respondents: number,
  multiple: boolean,
  ordered: boolean,
): Distribution {
  const base = multiple ? tally.asked : tally.answered;
  const rows = choices.map(({ value, label }) => ({
    value,
    label,
    count: tally.counts.get(value) ?? 0,
    percent: percentOf(tally.counts.get(value) ?? 0, base),
  }));
  const known = new Set(choices.map((choice) => choice.value));
  const retired = [...tally.counts.entries()]
    .filter(([value]) => !known.has(value))
    .reduce((sum, [, count]) => sum + count, 0);
  // Counted in the base, so shown as a row of its own: the rows of a one-answer question always sum to the base.
  if (retired > 0)
    rows.push({
      value: RETIRED_CHOICES,
      label: 'Choices no longer in the survey',
      count: retired,
      percent: percentOf(retired, base),
    });
  return {
    id,
    title,
    multiple,
    ordered,
    respondents,
    base,
    notAsked: respondents - tally.asked,
    notAnswered: multiple ? 0 : tally.asked - tally.answered,
    rows,
  };
}

/**
 * Counts of the given choice questions over the submitted responses matching `filters`, in one
 * pass that streams the responses (memory stays flat). Each question's base is who answered it (who
 * was asked it, for a several-answer question); those the routing never asked are kept apart.
 */
async function tallies(responses: ResponseModel, survey: Survey, questions: ChoiceQuestion[], filters: Filters) {
  const byQuestion = new Map(questions.map((question) => [question.id, new Tally()]));
  /** The language each response was sent in: every respondent has one. */
  const languages = new Tally();
  let respondents = 0;
  const { group, country } = survey.definition.profile;
  const cursor = responses
    .find({ surveyId: survey.id, status: 'submitted' }, { answers: 1, language: 1 })
    .lean()
    .cursor({ batchSize: 2000 });
  try {
    for await (const response of cursor) {
      const answers = (response.answers ?? {}) as Answers;
      if (filters.group && answers[group] !== filters.group) continue;
      if (filters.country && answers[country] !== filters.country) continue;
      respondents++;
      languages.asked++;
      languages.answered++;
      languages.add([response.language === 'cy' ? 'cy' : 'en']);
      for (const question of questions) {
        if (!isVisible(question, answers)) continue;
        const tally = byQuestion.get(question.id)!;
        tally.asked++;
        const answer = answers[question.id];
        if (answer === undefined) continue;
        tally.answered++;
        tally.add([answer].flat());
      }
    }
  } finally {
    await cursor.close();
  }
  return { respondents, byQuestion, languages };
}

const distributionOf = (question: ChoiceQuestion, tally: Tally, respondents: number) =>
  toDistribution(
    question.id,
    pick(question.text, 'en'),
    choiceLabels(question),
    tally,
    respondents,
    Boolean(typeOf(question).multiple),
    typeOf(question).ordered?.(question) ?? false,
  );

/** Every single, multi and scale question's counts and percentages, in survey order, for one set of respondents. */
export async function closedQuestionDistributions(
  responses: ResponseModel,
  survey: Survey,
  filters: Filters,
): Promise<{ total: number; distributions: Distribution[] }> {
  const questions = survey.questions.filter(isChoiceQuestion);
  const { respondents, byQuestion } = await tallies(responses, survey, questions, filters);
  return {
    total: respondents,
    distributions: questions.map((question) => distributionOf(question, byQuestion.get(question.id)!, respondents)),
  };
}

/** Who answered: by each grouping (role group, ...), by group (role, relationship or age band), country, region and language. */
export async function respondentProfile(
  responses: ResponseModel,
  survey: Survey,
): Promise<{ total: number; distributions: Distribution[] }> {
  const ids = [survey.definition.profile.group, survey.definition.profile.country, 'region'];
  const questions = ids
    .map((id) => survey.question(id))
    .filter((question): question is ChoiceQuestion => question !== undefined && isChoiceQuestion(question));
  const { respondents, byQuestion, languages } = await tallies(responses, survey, questions, {});
  const grouped = breakdownsOf(survey)
    .filter(
      (breakdown): breakdown is Breakdown & { field: 'group' | 'country' } =>
        breakdown.field !== 'language' && survey.definition.groupings.some((grouping) => grouping.id === breakdown.id),
    )
    .map((breakdown) => {
      const source = byQuestion.get(survey.definition.profile[breakdown.field])!;
      const tally = new Tally();
      tally.asked = source.asked;
      tally.answered = source.answered;
      for (const [value, count] of source.counts) {
        const column = breakdown.columns[breakdown.columnOf(value)]!;
        tally.counts.set(column.id, (tally.counts.get(column.id) ?? 0) + count);
      }
      const columns = breakdown.columns.filter(
        (column) => column.id !== '' && (column.id !== '-ungrouped' || tally.counts.has(column.id)),
      );
      return toDistribution(
        breakdown.id,
        breakdown.label,
        columns.map((column) => ({ value: column.id, label: column.label })),
        tally,
        respondents,
        false,
        false,
      );
    });
  return {
    total: respondents,
    distributions: [
      ...grouped,
      ...questions.map((question) => distributionOf(question, byQuestion.get(question.id)!, respondents)),
      // Only a survey respondents could answer in Welsh has a language to report.
      ...(survey.offersWelsh
        ? [toDistribution('language', 'Language answered in', languageChoices, languages, respondents, false, false)]
        : []),
    ],
  };
}

const languageChoices = [
  { value: 'en', label: 'English' },
  { value: 'cy', label: 'Welsh (Cymraeg)' },
];
