import { activeCodes } from '../codebooks/service.js';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import { answerCodes } from './counting.js';
import { FINAL_CODER } from './model.js';
import type { Unit } from './read-model.js';
import type { CodingContext, CodingTarget } from './target.js';

export interface CoderCodes {
  coderId: string;
  /** Empty when the coder decided that no code applies. */
  codes: Set<string>;
}

export interface Disagreement {
  unit: Unit;
  byCoder: CoderCodes[];
  /** Codes every coder gave: the starting point for the final coding. */
  agreed: Set<string>;
  reconciled: boolean;
  final?: Set<string>;
}

/** Each coder's codes on an answer, for the answers two or more coders have coded ("no code applies" included). */
export function codesByCoder(target: CodingTarget, unit: Unit): CoderCodes[] {
  return target.index
    .codersOf(unit.responseId)
    .map((coderId) => ({ coderId, codes: answerCodes(target, unit.responseId, coderId) }));
}

export function differ(byCoder: CoderCodes[]): boolean {
  const keys = byCoder.map(({ codes }) => [...codes].sort().join('|'));
  return keys.some((key) => key !== keys[0]);
}

/** Answers coded by two or more coders whose codes differ; one coder's "no code applies" against another's code is a disagreement. */
export function disagreements(target: CodingTarget, { includeReconciled = false } = {}): Disagreement[] {
  const found: Disagreement[] = [];
  for (const unit of target.index.units) {
    const byCoder = codesByCoder(target, unit);
    if (byCoder.length < 2 || !differ(byCoder)) continue;
    const reconciled = target.index.isReconciled(unit.responseId);
    if (reconciled && !includeReconciled) continue;
    const agreed = new Set([...byCoder[0]!.codes].filter((code) => byCoder.every(({ codes }) => codes.has(code))));
    found.push({
      unit,
      byCoder,
      agreed,
      reconciled,
      final: reconciled ? answerCodes(target, unit.responseId, FINAL_CODER) : undefined,
    });
  }
  return found;
}

/** Records the final coding for an answer: exactly `codeIds` (none at all is a valid decision), replacing any earlier one. */
export async function recordFinalCoding(
  context: CodingContext,
  target: CodingTarget,
  responseId: string,
  codeIds: string[],
): Promise<void> {
  if (!target.index.byResponse.has(responseId)) throw new NotFoundError('That answer is not part of this question.');
  const active = activeCodes(target.codebook);
  const unknown = codeIds.filter((id) => !active.some((code) => code.codeId === id));
  if (unknown.length > 0) throw new BadRequestError(`Not active codes of this codebook: ${unknown.join(', ')}`);
  const chosen = new Set(codeIds);
  const base = {
    surveyId: target.survey.id,
    questionId: target.question.id,
    codebookId: target.codebook.id,
    responseId,
    coderId: FINAL_CODER,
  };
  // Every active code set on or off, and any earlier final code merged or retired since taken off,
  // so the final coding is exactly what the admin chose.
  const stale = target.index
    .codingsOf(responseId, FINAL_CODER)
    .filter((coding) => !active.some((code) => code.codeId === coding.codeId))
    .map((coding) => ({ ...base, codeId: coding.codeId, present: false }));
  const events = [
    ...active.map((code) => ({ ...base, codeId: code.codeId, present: chosen.has(code.codeId) })),
    ...stale,
  ];
  await context.readModel.record(target.survey, events);
}
