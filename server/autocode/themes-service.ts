import { z } from 'zod';
import type { SessionUser } from '../auth/roles.js';
import { addCode, codeInputSchema } from '../codebooks/edits.js';
import { groupQuestionKey, madeFromGroupOf, type CodeRecord } from '../codebooks/model.js';
import { inCodebookTurn } from '../codebooks/one-at-a-time.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { activeCodes, survivingCodeId, type Codebook } from '../codebooks/service.js';
import type { Unit } from '../coding/read-model.js';
import { confidenceOf } from '../coding/suggestions.js';
import { codingTarget, type CodingDataContext, type CodingTarget } from '../coding/target.js';
import { BadRequestError, ConflictError } from '../http/errors.js';
import { pathIdSchema } from '../http/validate.js';
import { autoCoderForCodebook } from './codebook.js';
import type { AutoCoder } from './engine.js';
import { groupAnswers, type ThemeGroup } from './themes.js';

export const themesQuerySchema = z.object({
  codebook: pathIdSchema.optional(),
  created: codeIdSchema.optional(),
});
export type ThemesQuery = z.infer<typeof themesQuerySchema>;

export const newThemeCodeSchema = z.object({
  codebook: pathIdSchema.optional(),
  fingerprint: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
  name: z.string().trim().min(1, 'Enter a name for the code').max(80),
  definition: z.string().trim().max(2000).default(''),
});
export type NewThemeCode = z.infer<typeof newThemeCodeSchema>;

/** Grouping is quadratic in places: past this many answers, the earliest submitted are grouped. */
export const MAX_GROUPED = 3000;

export interface ThemesView {
  target: CodingTarget;
  /** Answers nobody has given a code and the codebook does not fit (or marked "no code applies"). */
  unfit: number;
  /** Each with the code made from it, where one was (its answers may still be marked "no code applies"). */
  groups: (ThemeGroup & { code?: { codeId: string; name: string } })[];
  created?: { codeId: string; name: string; terms: string[] };
}

/** Cold-start engines per codebook version (a new object whenever the codebook is edited). */
const engines = new WeakMap<Codebook, AutoCoder>();
const bestScores = new WeakMap<AutoCoder, WeakMap<Unit, number>>();

function bestScore(codebook: Codebook, unit: Unit): number {
  let engine = engines.get(codebook);
  if (!engine) engines.set(codebook, (engine = autoCoderForCodebook(codebook)));
  let scores = bestScores.get(engine);
  if (!scores) bestScores.set(engine, (scores = new WeakMap()));
  let score = scores.get(unit);
  if (score === undefined) scores.set(unit, (score = engine.suggest(unit.text, 1)[0]?.score ?? 0));
  return score;
}

/**
 * The answers no code fits: not given a code by anyone, and either marked "no code applies" or
 * with no confident suggestion from the codebook alone (never from anyone's codings, so the groups
 * are the same for every lead and give no coder's work away).
 */
export function unfitAnswers(target: CodingTarget): Unit[] {
  return target.index.units.filter((unit) => {
    const coders = target.index.codersOf(unit.responseId);
    if (coders.some((coder) => target.index.codingsOf(unit.responseId, coder).length > 0)) return false;
    if (coders.some((coder) => target.index.decidedNoCode(unit.responseId, coder))) return true;
    return confidenceOf(bestScore(target.codebook, unit)) === 'unlikely';
  });
}

export async function themesView(
  context: CodingDataContext,
  surveyId: string,
  questionId: string,
  query: ThemesQuery,
): Promise<ThemesView> {
  const target = await codingTarget(context, surveyId, questionId, query.codebook);
  const unfit = unfitAnswers(target);
  // Only an active code made from a group of this question is announced as one: `?created=` naming
  // any other code (or one retired or merged since) says nothing.
  const created = query.created
    ? activeCodes(target.codebook).find(
        (code) =>
          code.codeId === query.created && code.fromGroup !== undefined && madeFromGroupOf(code, surveyId, questionId),
      )
    : undefined;
  return {
    target,
    unfit: unfit.length,
    groups: groupAnswers(unfit.slice(0, MAX_GROUPED)).map((group) => {
      const code = groupCode(target.codebook, group.fingerprint, surveyId, questionId);
      return code ? { ...group, code: { codeId: code.codeId, name: code.name } } : group;
    }),
    created: created && { codeId: created.codeId, name: created.name, terms: created.terms },
  };
}

/**
 * Turns a group into a new code of the codebook: its distinctive words become the code's
 * indicative terms, so the workbench suggests it on the group's answers (and others like them)
 * from then on. Refused if the group has changed since the lead saw it (answers coded or arrived),
 * or if the name is already an active code's. Runs in the codebook's turn (with every other change
 * to it in this process), so a double submit, replayed or sent twice at once, makes one code: the
 * group's code, once made, is the answer to the same form again.
 */
export async function codeFromGroup(
  context: CodingDataContext,
  user: SessionUser,
  surveyId: string,
  questionId: string,
  input: NewThemeCode,
): Promise<{ codebookId: string; codeId: string }> {
  const { codebook } = await codingTarget(context, surveyId, questionId, input.codebook);
  return inCodebookTurn(codebook.id, async () => {
    // Read again in the turn: a change just made (this group's code, a moment ago) is in it.
    const target = await codingTarget(context, surveyId, questionId, codebook.id);
    // The form again (its group's answers may fit the code by now, so the group may be gone).
    const made = groupCode(target.codebook, input.fingerprint, surveyId, questionId);
    if (made) return { codebookId: target.codebook.id, codeId: made.codeId };
    const group = groupAnswers(unfitAnswers(target).slice(0, MAX_GROUPED)).find(
      (candidate) => candidate.fingerprint === input.fingerprint,
    );
    if (!group)
      throw new ConflictError(
        'The groups have changed since you looked (answers were coded or arrived). Look at them again.',
      );
    const name = input.name.toLocaleLowerCase('en-GB');
    const same = activeCodes(target.codebook).find((code) => code.name.trim().toLocaleLowerCase('en-GB') === name);
    if (same)
      throw new BadRequestError(`There is already a code called “${same.name}”. Give the new code another name.`);
    const fields = codeInputSchema.parse({
      name: input.name,
      definition:
        input.definition ||
        `An emerging theme found in ${group.responseIds.length} answers to "${target.question.id}": ${group.words.join(', ')}.`,
      parent: '',
    });
    const code = await addCode(context.codebooks, target.codebook.id, fields, user.id, new Date(), {
      terms: group.words,
      fromGroup: group.fingerprint,
      groupAnswers: group.responseIds,
      groupQuestion: groupQuestionKey(surveyId, questionId),
    });
    return { codebookId: target.codebook.id, codeId: code.codeId };
  });
}

/**
 * The active code standing for this group of this question's answers, if one was made: the code made
 * from it, or, once that was merged into another, the code it became (as suggestions and the
 * workbench treat it), so the page does not offer to make the group a code again.
 */
export function groupCode(
  codebook: Codebook,
  fingerprint: string,
  surveyId: string,
  questionId: string,
): CodeRecord | undefined {
  const made = codebook.codes.filter(
    (code) =>
      code.fromGroup === fingerprint &&
      (!code.retired || code.mergedInto) &&
      madeFromGroupOf(code, surveyId, questionId),
  );
  const active = activeCodes(codebook);
  return (
    active.find((code) => made.includes(code)) ??
    made
      .map((code) => active.find((candidate) => candidate.codeId === survivingCodeId(codebook, code.codeId)))
      .find((code) => code !== undefined)
  );
}
