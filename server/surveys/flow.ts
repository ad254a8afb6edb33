import type { Condition, Question, SurveyPage } from './definition-schema.js';
import type { Survey } from './registry.js';

/** Stored answers: a choice value, a list of choice values, or free text, keyed by question id. */
export type Answers = Record<string, string | string[]>;

export function conditionHolds(condition: Condition | undefined, answers: Answers): boolean {
  if (!condition) return true;
  const answer = answers[condition.question];
  if (answer === undefined) return false;
  const chosen = Array.isArray(answer) ? answer : [answer];
  return chosen.some((value) => condition.is.includes(value));
}

export function isVisible(question: Question, answers: Answers): boolean {
  return conditionHolds(question.showIf, answers);
}

export function visibleQuestions(page: SurveyPage, answers: Answers): Question[] {
  return page.questions.filter((question) => isVisible(question, answers));
}

/** Pages with at least one question the respondent should see, given what they have answered. */
export function visiblePages(survey: Survey, answers: Answers): SurveyPage[] {
  return survey.definition.pages.filter((page) => visibleQuestions(page, answers).length > 0);
}

export interface PagePosition {
  page: SurveyPage;
  number: number;
  total: number;
  previous?: SurveyPage;
  next?: SurveyPage;
}

/** A page still counts towards "Page n of N" until an answer rules it out, so N shrinks rather than grows. */
function mayBeShown(page: SurveyPage, answers: Answers): boolean {
  return page.questions.some(
    (question) => !question.showIf || answers[question.showIf.question] === undefined || isVisible(question, answers),
  );
}

export function locatePage(survey: Survey, pageId: string, answers: Answers): PagePosition | undefined {
  const pages = visiblePages(survey, answers);
  const index = pages.findIndex((page) => page.id === pageId);
  const page = pages[index];
  if (!page) return undefined;
  const counted = survey.definition.pages.filter((candidate) => mayBeShown(candidate, answers));
  return {
    page,
    number: counted.indexOf(page) + 1,
    total: counted.length,
    previous: pages[index - 1],
    next: pages[index + 1],
  };
}

/** The first visible page the respondent has not finished, or undefined when all are done. */
export function firstUnfinishedPage(
  survey: Survey,
  answers: Answers,
  finished: readonly string[],
): SurveyPage | undefined {
  return visiblePages(survey, answers).find((page) => !finished.includes(page.id));
}

/** Drops answers to questions that are hidden now (a condition that no longer holds). */
export function dropHiddenAnswers(survey: Survey, answers: Answers, otherText: Record<string, string>) {
  const keptAnswers: Answers = {};
  const keptOther: Record<string, string> = {};
  for (const question of survey.questions) {
    const answer = answers[question.id];
    if (answer === undefined || !isVisible(question, keptAnswers)) continue;
    keptAnswers[question.id] = answer;
    const other = otherText[question.id];
    if (other !== undefined) keptOther[question.id] = other;
  }
  return { answers: keptAnswers, otherText: keptOther };
}
