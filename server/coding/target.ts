import type { Audit } from '../audit/service.js';
import type { SuggestionSource } from './suggestions.js';
import type { UserModel } from '../auth/user-model.js';
import { getCodebookAt, type Codebook } from '../codebooks/service.js';
import type { CodebookModels } from '../codebooks/model.js';
import { codebookCounterKey, surveyCounterKey, type ChangeCounters } from '../db/change-counter.js';
import { AppError, NotFoundError } from '../http/errors.js';
import type { TextQuestion } from '../surveys/question-types/index.js';
import type { Survey, SurveyRegistry } from '../surveys/registry.js';
import type { CodingModels, QuestionSettings } from './model.js';
import { questionSettings } from './settings.js';
import type { CodingReadModel, QuestionIndex, Unit } from './read-model.js';

/** What every coding feature needs: the surveys, codebooks, coding records and the in-memory read model. */
export interface CodingContext {
  /** The audit trail, for what the back office must account for (reconciliations, downloads). */
  audit: Audit;
  surveys: SurveyRegistry;
  codebooks: CodebookModels;
  coding: CodingModels;
  readModel: CodingReadModel;
  counters: ChangeCounters;
  suggestions: SuggestionSource;
  /** The accounts: for coders' names, and whom a lead may assign answers to. */
  users: UserModel;
}

/** What reading a question's codings needs: everything but the suggestions (the command line has none). */
export type CodingDataContext = Omit<CodingContext, 'suggestions' | 'audit'>;

/** One open question being coded with one codebook, as it stands now. */
export interface CodingTarget {
  survey: Survey;
  question: TextQuestion;
  codebook: Codebook;
  index: QuestionIndex;
  settings: QuestionSettings;
}

/** The codebook a lead chose for the question, else the one its survey definition names, else none. */
export function questionCodebook(question: TextQuestion, settings: QuestionSettings): string | undefined {
  return settings.codebookId ?? question.codedWith;
}

/** Coding a question needs a codebook: it is never borrowed from another question. */
export class NoCodebookError extends AppError {
  constructor(question: TextQuestion) {
    super(
      409,
      `No codebook has been chosen for "${question.id}" yet. A lead chooses one on the question's set-up page (Choose what to code, then Set up).`,
      'error.noCodebook.title',
    );
  }
}

/** A survey and one of its open questions, or "not found". */
export function openQuestion(context: Pick<CodingContext, 'surveys'>, surveyId: string, questionId: string) {
  const survey = context.surveys.get(surveyId);
  const question = survey?.openQuestions().find((candidate) => candidate.id === questionId);
  if (!survey || !question) throw new NotFoundError(`There is no open question "${questionId}" in "${surveyId}".`);
  return { survey, question };
}

/** Resolves a survey, one of its open questions and a codebook, or says which of them is wrong. */
export async function codingTarget(
  context: CodingDataContext,
  surveyId: string,
  questionId: string,
  codebookId?: string,
): Promise<CodingTarget> {
  const target = await resolveTarget(context, surveyId, questionId, codebookId, Infinity);
  return target!;
}

/**
 * As `codingTarget`, for overviews that must not wait minutes while a large question is first
 * read into memory: undefined if its answers are not in memory within `waitMs` (they go on
 * loading in the background, so a later visit finds them).
 */
export async function codingTargetIfReady(
  context: CodingContext,
  surveyId: string,
  questionId: string,
  waitMs: number,
): Promise<CodingTarget | undefined> {
  return resolveTarget(context, surveyId, questionId, undefined, waitMs);
}

async function resolveTarget(
  context: CodingDataContext,
  surveyId: string,
  questionId: string,
  codebookId: string | undefined,
  waitMs: number,
): Promise<CodingTarget | undefined> {
  const { survey, question } = openQuestion(context, surveyId, questionId);
  const settingsRead = questionSettings(context.coding, surveyId, questionId);
  // Workbench links name the codebook, so the usual path reads the settings and versions together.
  const chosen = codebookId ?? questionCodebook(question, await settingsRead);
  if (!chosen) throw new NoCodebookError(question);
  // One round trip tells whether the cached codebook and answers are current.
  const [versions, settings] = await Promise.all([
    context.counters.readMany([surveyCounterKey(survey.id), codebookCounterKey(chosen)]),
    settingsRead,
  ]);
  if (codebookId && codebookId !== questionCodebook(question, settings))
    await checkUsedBefore(context, survey, question, codebookId);
  const codebook = await getCodebookAt(context.codebooks, chosen, versions.get(codebookCounterKey(chosen)) ?? 0);
  const loading = context.readModel.getAt(
    survey,
    questionId,
    codebook.id,
    versions.get(surveyCounterKey(survey.id)) ?? 0,
  );
  if (waitMs === Infinity) return { survey, question, codebook, index: await loading, settings };
  loading.catch(() => undefined);
  const index = await Promise.race([loading, new Promise<undefined>((resolve) => setTimeout(resolve, waitMs))]);
  return index && { survey, question, codebook, index, settings };
}

/**
 * A codebook other than the question's own is allowed only where the question has already been
 * coded with it (an earlier choice, kept for its results); never as a way round "no codebook yet".
 */
async function checkUsedBefore(context: CodingDataContext, survey: Survey, question: TextQuestion, codebookId: string) {
  const used = await context.coding.questionCodebooks.exists({ _id: `${survey.id}:${question.id}:${codebookId}` });
  if (!used)
    throw new AppError(
      409,
      `"${question.id}" is not coded with the codebook "${codebookId}". A lead chooses its codebook on the question's set-up page.`,
      'error.noCodebook.title',
    );
}

export function unitOf(target: CodingTarget, responseId: string): Unit {
  const unit = target.index.byResponse.get(responseId);
  if (!unit) throw new NotFoundError('That answer is not part of this question.');
  return unit;
}
