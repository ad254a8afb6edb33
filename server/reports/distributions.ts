import { z } from 'zod';
import type { ResponseModel } from '../surveys/responses/model.js';
import { choiceLabels, isChoiceQuestion, typeOf } from '../surveys/question-types/index.js';
import type { ChoiceQuestion } from '../surveys/definition-schema.js';
import { isVisible, type Answers } from '../surveys/flow.js';
import type { Survey } from '../surveys/registry.js';
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
  question: ChoiceQuestion;
  /** Several answers could be chosen: the base is everyone asked, and rows need not sum to it. */
  multiple: boolean;
  /** Respondents who answered (for a multi-choice question: who were asked it, since none is an answer). */
  base: number;
  notAnswered: number;
  rows: DistributionRow[];
}

/** Only filters naming a real choice are applied; anything else is ignored rather than matching nothing. */
export function validFilters(survey: Survey, filters: Filters): Filters {
  const valid = (questionId: string, value?: string) => {
    const question = survey.question(questionId);
    return value &&
      question &&
      isChoiceQuestion(question) &&
      choiceLabels(question).some((choice) => choice.value === value)
      ? value
      : undefined;
  };
  return {
    group: valid(survey.definition.profile.group, filters.group),
    country: valid(survey.definition.profile.country, filters.country),
  };
}

export function submittedFilter(survey: Survey, filters: Filters): Record<string, unknown> {
  const match: Record<string, unknown> = { surveyId: survey.id, status: 'submitted' };
  if (filters.group) match[`answers.${survey.definition.profile.group}`] = filters.group;
  if (filters.country) match[`answers.${survey.definition.profile.country}`] = filters.country;
  return match;
}

/** Answers stored with a value the definition no longer offers (a choice removed after launch). */
export const RETIRED_CHOICES = '(retired)';

function toRows(question: ChoiceQuestion, counts: Map<string, number>, base: number): DistributionRow[] {
  const rows = choiceLabels(question).map(({ value, label }) => ({
    value,
    label,
    count: counts.get(value) ?? 0,
    percent: percentOf(counts.get(value) ?? 0, base),
  }));
  const known = new Set(rows.map((row) => row.value));
  const retired = [...counts.entries()]
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
  return rows;
}

/** Counts of a one-answer question, grouped in MongoDB ($match and $group, which FerretDB supports too). */
async function singleDistribution(
  responses: ResponseModel,
  survey: Survey,
  question: ChoiceQuestion,
  filters: Filters,
  total: number,
): Promise<Distribution> {
  const field = `answers.${question.id}`;
  const groups = await responses.aggregate<{ _id: unknown; n: number }>([
    { $match: { ...submittedFilter(survey, filters), [field]: { $exists: true } } },
    { $group: { _id: `$${field}`, n: { $sum: 1 } } },
  ]);
  const counts = new Map(groups.map((group) => [String(group._id), group.n]));
  const base = groups.reduce((sum, group) => sum + group.n, 0);
  return { question, multiple: false, base, notAnswered: total - base, rows: toRows(question, counts, base) };
}

/**
 * Counts of every multi-choice question in one pass over the responses (FerretDB cannot $unwind a
 * nested array), streamed so memory stays flat. The base is everyone who was asked the question.
 */
async function multiDistributions(
  responses: ResponseModel,
  survey: Survey,
  questions: ChoiceQuestion[],
  filters: Filters,
): Promise<Distribution[]> {
  const counts = new Map(questions.map((question) => [question.id, new Map<string, number>()]));
  const bases = new Map(questions.map((question) => [question.id, 0]));
  const cursor = responses.find(submittedFilter(survey, filters), { answers: 1 }).lean().cursor({ batchSize: 2000 });
  for await (const response of cursor) {
    const answers = (response.answers ?? {}) as Answers;
    for (const question of questions) {
      if (!isVisible(question, answers)) continue;
      bases.set(question.id, bases.get(question.id)! + 1);
      const chosen = answers[question.id];
      for (const value of Array.isArray(chosen) ? chosen : [])
        counts.get(question.id)!.set(value, (counts.get(question.id)!.get(value) ?? 0) + 1);
    }
  }
  return questions.map((question) => ({
    question,
    multiple: true,
    base: bases.get(question.id)!,
    notAnswered: 0,
    rows: toRows(question, counts.get(question.id)!, bases.get(question.id)!),
  }));
}

export async function countSubmitted(responses: ResponseModel, survey: Survey, filters: Filters): Promise<number> {
  return responses.countDocuments(submittedFilter(survey, filters));
}

/** Every single, multi and scale question's counts and percentages, in survey order. */
export async function closedQuestionDistributions(
  responses: ResponseModel,
  survey: Survey,
  filters: Filters,
): Promise<{ total: number; distributions: Distribution[] }> {
  const total = await countSubmitted(responses, survey, filters);
  const questions = survey.questions.filter(isChoiceQuestion);
  const multi = await multiDistributions(
    responses,
    survey,
    questions.filter((question) => typeOf(question).multiple),
    filters,
  );
  const distributions: Distribution[] = [];
  for (const question of questions) {
    distributions.push(
      multi.find((found) => found.question.id === question.id) ??
        (await singleDistribution(responses, survey, question, filters, total)),
    );
  }
  return { total, distributions };
}

/** Who answered: by group (role, relationship or age band), by country, and by region where asked. */
export async function respondentProfile(
  responses: ResponseModel,
  survey: Survey,
): Promise<{ total: number; distributions: Distribution[] }> {
  const total = await countSubmitted(responses, survey, {});
  const ids = [survey.definition.profile.group, survey.definition.profile.country, 'region'];
  const distributions: Distribution[] = [];
  for (const id of ids) {
    const question = survey.question(id);
    if (question && isChoiceQuestion(question))
      distributions.push(await singleDistribution(responses, survey, question, {}, total));
  }
  return { total, distributions };
}
