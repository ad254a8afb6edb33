import { hasRole, type SessionUser } from '../auth/roles.js';
import { coderNames } from '../auth/service.js';
import type { Survey } from '../surveys/registry.js';
import type { TextQuestion } from '../surveys/question-types/index.js';
import { assignmentsFor, questionProgress, type QuestionProgress } from './assignments.js';
import type { QuestionSettings } from './model.js';
import { disagreements } from './reconcile-service.js';
import { questionSettings } from './settings.js';
import { codingTargetIfReady, questionCodebook, type CodingContext } from './target.js';

export interface QuestionWork {
  question: TextQuestion;
  settings: QuestionSettings;
  codebook?: { id: string; name: string };
  progress?: QuestionProgress;
  /** My share: answers assigned to me (0: none assigned, I may code any) and how many of them I have coded. */
  mine?: { assigned: number; coded: number; left: number };
  /** For leads: disagreements still to reconcile. */
  disagreementsLeft?: number;
  /** The answers are still being read into memory (a large question, after a restart). */
  loading?: boolean;
}

/** How long the overview waits for one question's answers to be in memory before saying they are loading. */
const READY_WAIT_MS = 500;

export interface WorkOverview {
  surveys: { survey: Survey; questions: QuestionWork[] }[];
  names: Map<string, string>;
}

async function questionWork(
  context: CodingContext,
  user: SessionUser,
  survey: Survey,
  question: TextQuestion,
): Promise<QuestionWork> {
  const settings = await questionSettings(context.coding, survey.id, question.id);
  const codebookId = questionCodebook(question, settings);
  if (!codebookId) return { question, settings };
  const target = await codingTargetIfReady(context, survey.id, question.id, READY_WAIT_MS);
  if (!target) return { question, settings, codebook: { id: codebookId, name: codebookId }, loading: true };
  const assignments = assignmentsFor(target.index, settings.assignments);
  const progress = questionProgress(target.index, assignments);
  const assigned = assignments.get(user.id);
  const coded = assigned
    ? [...assigned].filter((id) => target.index.isCodedBy(id, user.id)).length
    : target.index.codedCount(user.id);
  return {
    question,
    settings,
    codebook: { id: target.codebook.id, name: target.codebook.name },
    progress,
    mine: {
      assigned: assigned?.size ?? 0,
      coded,
      left: (assigned?.size ?? target.index.units.length) - coded,
    },
    disagreementsLeft: hasRole(user, 'lead') ? disagreements(target).length : undefined,
  };
}

/** "Choose what to code": every open question with its codebook, mode and each coder's progress. */
export async function workOverview(context: CodingContext, user: SessionUser): Promise<WorkOverview> {
  const [surveys, names] = await Promise.all([
    Promise.all(
      [...context.surveys.values()].map(async (survey) => ({
        survey,
        questions: await Promise.all(
          survey.openQuestions().map((question) => questionWork(context, user, survey, question)),
        ),
      })),
    ),
    coderNames(context.users),
  ]);
  return { surveys, names };
}
