import { z } from 'zod';
import { codeIdSchema } from '../codebooks/schema.js';
import { BadRequestError } from '../http/errors.js';
import { objectIdSchema } from '../http/validate.js';
import { noteKey } from './model.js';
import { activeCodes } from '../codebooks/service.js';
import { disagreements, codesByCoder, recordFinalCoding, type Disagreement } from './reconcile-service.js';
import type { CodingContext, CodingTarget } from './target.js';

/** The queue's filters and position, as they appear in its URL. */
export const queueQuerySchema = z.object({
  codebook: codeIdSchema.optional(),
  code: codeIdSchema.optional(),
  at: objectIdSchema.optional(),
  done: objectIdSchema.optional(),
});
export type QueueQuery = z.infer<typeof queueQuerySchema>;

export function queueUrl(surveyId: string, questionId: string, query: QueueQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  return `/lead/reconcile/${surveyId}/${questionId}?${params}`;
}

export interface QueueCoder {
  /** A, B, C...: the letter and key that take this coder's codes. */
  letter: string;
  coderId: string;
  codes: Set<string>;
  memo: string;
}

export interface QueueView {
  target: CodingTarget;
  query: QueueQuery;
  /** Disagreements still to reconcile, in answer order, within the code filter. */
  remaining: number;
  /** Answers coded by two coders or more, and how many of those disagree (reconciled or not). */
  doubleCoded: number;
  disagreeing: number;
  reconciled: number;
  item?: Disagreement & { coders: QueueCoder[] };
  position?: number;
  nextId?: string;
  previousId?: string;
  /** The answer just reconciled, to say so and offer to revisit it. */
  done?: { responseId: string; number: number };
  /** An answer asked for (`at`) that is not a disagreement now: the queue says so and shows the next. */
  notDisagreement?: number;
  /** Disagreements, reconciled or not, that involve the code filtered on. */
  involvingCode: number;
}

const letters = 'ABCDEFGH';

export async function queueView(context: CodingContext, target: CodingTarget, query: QueueQuery): Promise<QueueView> {
  const all = disagreements(target, { includeReconciled: true });
  const involves = (item: Disagreement) => !query.code || item.byCoder.some(({ codes }) => codes.has(query.code!));
  const open = all.filter((item) => !item.reconciled && involves(item));
  let doubleCoded = 0;
  for (const unit of target.index.units) if (target.index.codersOf(unit.responseId).length > 1) doubleCoded++;
  const view: QueueView = {
    target,
    query,
    remaining: open.length,
    doubleCoded,
    disagreeing: all.length,
    reconciled: all.filter((item) => item.reconciled).length,
    involvingCode: all.filter(involves).length,
  };
  const doneUnit = query.done ? target.index.byResponse.get(query.done) : undefined;
  if (doneUnit) view.done = { responseId: doneUnit.responseId, number: doneUnit.index + 1 };

  let current = query.at ? all.find((item) => item.unit.responseId === query.at) : open[0];
  if (query.at && !current) {
    const asked = target.index.byResponse.get(query.at);
    if (asked) view.notDisagreement = asked.index + 1;
    current = open[0];
  }
  if (!current) return view;
  const place = open.indexOf(current);
  view.position = place >= 0 ? place + 1 : undefined;
  const after = open.filter((item) => item.unit.index > current.unit.index);
  const before = open.filter((item) => item.unit.index < current.unit.index);
  view.nextId = after[0]?.unit.responseId;
  view.previousId = before.at(-1)?.unit.responseId;
  const { survey, question } = target;
  const notes = await context.coding.notes
    .find({
      _id: {
        $in: current.byCoder.map(({ coderId }) => noteKey(survey.id, question.id, current.unit.responseId, coderId)),
      },
    })
    .lean();
  const memoOf = new Map(notes.map((note) => [note._id, note.memo]));
  view.item = {
    ...current,
    coders: current.byCoder.map(({ coderId, codes }, order) => ({
      letter: letters[order] ?? String(order + 1),
      coderId,
      codes,
      memo: memoOf.get(noteKey(survey.id, question.id, current.unit.responseId, coderId)) ?? '',
    })),
  };
  return view;
}

/** What the lead decided: one coder's codes, every coder's codes together, or codes chosen by hand. */
export type FinalChoice = { take: string } | { codes: string[] };

export async function reconcileAnswer(
  context: CodingContext,
  target: CodingTarget,
  responseId: string,
  choice: FinalChoice,
): Promise<void> {
  let codes: string[];
  if ('take' in choice) {
    const unit = target.index.byResponse.get(responseId);
    const byCoder = unit ? codesByCoder(target, unit) : [];
    const taken = choice.take === 'all' ? byCoder : byCoder.filter(({ coderId }) => coderId === choice.take);
    if (taken.length === 0) throw new BadRequestError('That coder has not coded this answer.');
    codes = [...new Set(taken.flatMap(({ codes: given }) => [...given]))];
    // A code retired since the coder gave it cannot be part of a final coding: say so, drop nothing silently.
    const active = new Set(activeCodes(target.codebook).map((code) => code.codeId));
    const retired = codes.filter((id) => !active.has(id));
    if (retired.length > 0) {
      const names = retired.map((id) => target.codebook.codes.find((code) => code.codeId === id)?.name ?? id);
      throw new BadRequestError(
        `These codes have been retired since they were given: ${names.join(', ')}. Choose the final codes yourself.`,
      );
    }
  } else codes = choice.codes;
  await recordFinalCoding(context, target, responseId, codes);
}
