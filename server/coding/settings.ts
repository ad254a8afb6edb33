import { randomBytes } from 'node:crypto';
import { hasRole, type SessionUser } from '../auth/roles.js';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import { settingsKey, type AssignmentRule, type CodingModels, type QuestionSettings } from './model.js';

export async function questionSettings(
  coding: CodingModels,
  surveyId: string,
  questionId: string,
): Promise<QuestionSettings> {
  const stored = await coding.settings.findById(settingsKey(surveyId, questionId)).lean();
  // Independent coding is the safe default: nobody sees another coder's work until a lead says so.
  if (!stored) return { _id: settingsKey(surveyId, questionId), independent: true };
  // The database drops an empty scope ("all answers") along with the object that held it.
  return { ...stored, assignments: stored.assignments?.map((rule) => ({ ...rule, scope: rule.scope ?? {} })) };
}

export interface SetupInput {
  independent: boolean;
  comparisonOpen: boolean;
  reportCoder?: string;
  codebookId?: string;
}

export async function saveQuestionSettings(
  coding: CodingModels,
  surveyId: string,
  questionId: string,
  input: SetupInput,
): Promise<void> {
  const set: Partial<QuestionSettings> = { independent: input.independent, comparisonOpen: input.comparisonOpen };
  const unset: Record<string, ''> = {};
  for (const key of ['reportCoder', 'codebookId'] as const) {
    if (input[key]) set[key] = input[key];
    else unset[key] = '';
  }
  await coding.settings.updateOne(
    { _id: settingsKey(surveyId, questionId) },
    Object.keys(unset).length > 0 ? { $set: set, $unset: unset } : { $set: set },
    { upsert: true },
  );
}

export type AssignmentInput = Omit<AssignmentRule, 'id'>;

/** Adds a rule; `coders` must be accounts that may code (checked by the caller, who knows the accounts). */
export async function addAssignment(
  coding: CodingModels,
  surveyId: string,
  questionId: string,
  input: AssignmentInput,
): Promise<AssignmentRule> {
  const { from, to } = input.scope;
  if (from !== undefined && to !== undefined && from > to)
    throw new BadRequestError('The first answer number must not be after the last.');
  const rule: AssignmentRule = { id: randomBytes(6).toString('hex'), ...input };
  if (rule.split === 'each' || rule.coders.length < 2) rule.overlap = 0;
  await coding.settings.updateOne(
    { _id: settingsKey(surveyId, questionId) },
    { $push: { assignments: rule }, $setOnInsert: { independent: true } },
    { upsert: true },
  );
  return rule;
}

export async function removeAssignment(
  coding: CodingModels,
  surveyId: string,
  questionId: string,
  ruleId: string,
): Promise<void> {
  const _id = settingsKey(surveyId, questionId);
  const stored = await coding.settings.collection.findOne<Pick<QuestionSettings, 'assignments'>>({ _id: _id as never });
  const rule = stored?.assignments?.find((candidate) => candidate.id === ruleId);
  if (!rule) throw new NotFoundError('That assignment has already been removed.');
  // The element exactly as stored: FerretDB 1.x's $pull matches whole elements, not conditions.
  await coding.settings.collection.updateOne({ _id: _id as never }, { $pull: { assignments: rule } } as never);
}

/**
 * Whether this person may see each coder's codes answer by answer. Under independent coding an
 * analyst sees only figures until the lead opens the comparison, so no one is swayed by a colleague.
 */
export function mayCompareCoders(user: Pick<SessionUser, 'role'> | undefined, settings: QuestionSettings): boolean {
  return hasRole(user, 'lead') || !settings.independent || settings.comparisonOpen === true;
}
