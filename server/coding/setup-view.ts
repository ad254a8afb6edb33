import { listAccounts, type AccountRow } from '../auth/service.js';
import { hasRole } from '../auth/roles.js';
import { listCodebooks } from '../codebooks/service.js';
import type { CodebookRecord } from '../codebooks/model.js';
import type { Survey } from '../surveys/registry.js';
import type { TextQuestion } from '../surveys/question-types/index.js';
import { assignedAnswers, assignmentsFor, questionProgress, type QuestionProgress } from './assignments.js';
import type { AssignmentRule, QuestionSettings } from './model.js';
import { disagreements } from './reconcile-service.js';
import { questionSettings } from './settings.js';
import { codingTarget, openQuestion, questionCodebook, type CodingContext } from './target.js';

export type LeadContext = CodingContext;

export interface SetupView {
  survey: Survey;
  question: TextQuestion;
  settings: QuestionSettings;
  codebookId?: string;
  codebooks: CodebookRecord[];
  /** Accounts that may code, for the assignment form and the report-coder choice. */
  coders: AccountRow[];
  names: Map<string, string>;
  /** Accounts disabled since: their assigned answers wait for someone else. */
  disabled: Set<string>;
  rules: { rule: AssignmentRule; answers: number }[];
  progress?: QuestionProgress;
  disagreementsLeft?: number;
}

/** Everything a lead sees when setting up a question: its codebook, mode, assignments and progress. */
export async function setupView(context: LeadContext, surveyId: string, questionId: string): Promise<SetupView> {
  const { survey, question } = openQuestion(context, surveyId, questionId);
  const [settings, codebooks, accounts] = await Promise.all([
    questionSettings(context.coding, surveyId, questionId),
    listCodebooks(context.codebooks),
    listAccounts(context.users),
  ]);
  const codebookId = questionCodebook(question, settings);
  const rules = settings.assignments ?? [];
  const view: SetupView = {
    survey,
    question,
    settings,
    codebookId,
    codebooks,
    coders: accounts.filter((account) => !account.disabled && hasRole(account, 'analyst')),
    names: new Map(accounts.map((account) => [account.id, account.email])),
    disabled: new Set(accounts.filter((account) => account.disabled).map((account) => account.id)),
    rules: rules.map((rule) => ({ rule, answers: 0 })),
  };
  if (!codebookId) return view;
  const target = await codingTarget(context, surveyId, questionId, codebookId);
  view.rules = rules.map((rule) => {
    const given = new Set<string>();
    for (const set of assignedAnswers(target.index.units, [rule]).values()) for (const id of set) given.add(id);
    return { rule, answers: given.size };
  });
  view.progress = questionProgress(target.index, assignmentsFor(target.index, rules));
  view.disagreementsLeft = disagreements(target).length;
  return view;
}
