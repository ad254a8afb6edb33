import type { SuggestionSource } from './suggestions.js';
import { getCodebookAt, type Codebook } from '../codebooks/service.js';
import type { CodebookModels } from '../codebooks/model.js';
import { codebookCounterKey, surveyCounterKey, type ChangeCounters } from '../db/change-counter.js';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import type { TextQuestion } from '../surveys/question-types/index.js';
import type { Survey, SurveyRegistry } from '../surveys/registry.js';
import type { CodingModels, QuestionSettings } from './model.js';
import { questionSettings } from './settings.js';
import type { CodingReadModel, QuestionIndex, Unit } from './read-model.js';

/** What every coding feature needs: the surveys, codebooks, coding records and the in-memory read model. */
export interface CodingContext {
  surveys: SurveyRegistry;
  codebooks: CodebookModels;
  coding: CodingModels;
  readModel: CodingReadModel;
  counters: ChangeCounters;
  suggestions: SuggestionSource;
}

/** One open question being coded with one codebook, as it stands now. */
export interface CodingTarget {
  survey: Survey;
  question: TextQuestion;
  codebook: Codebook;
  index: QuestionIndex;
  settings: QuestionSettings;
}

/** Resolves a survey, one of its open questions and a codebook, or says which of them is wrong. */
export async function codingTarget(
  context: CodingContext,
  surveyId: string,
  questionId: string,
  codebookId?: string,
): Promise<CodingTarget> {
  const survey = context.surveys.get(surveyId);
  const question = survey?.openQuestions().find((candidate) => candidate.id === questionId);
  if (!survey || !question) throw new NotFoundError(`There is no open question "${questionId}" in "${surveyId}".`);
  const chosen = codebookId ?? question.codedWith;
  if (!chosen) throw new BadRequestError('Choose a codebook for this question.');
  // One round trip tells whether the cached codebook and answers are current.
  const [versions, settings] = await Promise.all([
    context.counters.readMany([surveyCounterKey(survey.id), codebookCounterKey(chosen)]),
    questionSettings(context.coding, surveyId, questionId),
  ]);
  const codebook = await getCodebookAt(context.codebooks, chosen, versions.get(codebookCounterKey(chosen)) ?? 0);
  const index = await context.readModel.getAt(
    survey,
    questionId,
    codebook.id,
    versions.get(surveyCounterKey(survey.id)) ?? 0,
  );
  return { survey, question, codebook, index, settings };
}

export function unitOf(target: CodingTarget, responseId: string): Unit {
  const unit = target.index.byResponse.get(responseId);
  if (!unit) throw new NotFoundError('That answer is not part of this question.');
  return unit;
}
