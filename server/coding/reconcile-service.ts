import { activeCodes, survivingCodeId } from '../codebooks/service.js';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import { FINAL_CODER } from './model.js';
import type { QuestionIndex, Unit } from './read-model.js';
import type { CodingContext, CodingTarget } from './workbench-service.js';
import { questionSettings } from './workbench-service.js';

/** The codes a coder gave an answer, counting a span coding as the answer carrying that code. */
export function answerCodes(target: CodingTarget, responseId: string, coderId: string): Set<string> {
  const codes = new Set<string>();
  for (const coding of target.index.codingsOf(responseId, coderId)) codes.add(survivingCodeId(target.codebook, coding.codeId));
  return codes;
}

export interface Disagreement {
  unit: Unit;
  byCoder: { coderId: string; codes: Set<string> }[];
  /** Codes every coder gave: the starting point for the final coding. */
  agreed: Set<string>;
  reconciled: boolean;
  final?: Set<string>;
}

/** Answers coded by two or more coders whose codes differ. */
export function disagreements(target: CodingTarget, { includeReconciled = false } = {}): Disagreement[] {
  const found: Disagreement[] = [];
  for (const unit of target.index.units) {
    const coders = target.index.codersOf(unit.responseId);
    if (coders.length < 2) continue;
    const byCoder = coders.map((coderId) => ({ coderId, codes: answerCodes(target, unit.responseId, coderId) }));
    const keys = byCoder.map(({ codes }) => [...codes].sort().join('|'));
    if (keys.every((key) => key === keys[0])) continue;
    const reconciled = target.index.isReconciled(unit.responseId);
    if (reconciled && !includeReconciled) continue;
    const agreed = new Set([...byCoder[0]!.codes].filter((code) => byCoder.every(({ codes }) => codes.has(code))));
    found.push({ unit, byCoder, agreed, reconciled, final: reconciled ? answerCodes(target, unit.responseId, FINAL_CODER) : undefined });
  }
  return found;
}

/** Records the admin's final coding for an answer: exactly `codeIds`, replacing any earlier final coding. */
export async function recordFinalCoding(context: CodingContext, target: CodingTarget, responseId: string, codeIds: string[]): Promise<void> {
  if (!target.index.byResponse.has(responseId)) throw new NotFoundError('That answer is not part of this question.');
  const active = activeCodes(target.codebook);
  const unknown = codeIds.filter((id) => !active.some((code) => code.codeId === id));
  if (unknown.length > 0) throw new BadRequestError(`Not active codes of this codebook: ${unknown.join(', ')}`);
  const chosen = new Set(codeIds);
  const base = { surveyId: target.survey.id, questionId: target.question.id, codebookId: target.codebook.id, responseId, coderId: FINAL_CODER };
  const events = active.map((code) => ({ ...base, codeId: code.codeId, present: chosen.has(code.codeId) }));
  await context.readModel.record(target.survey, events);
}

/**
 * The codes reports count for each answer: the final coding where reconciled, otherwise the chosen
 * report coder's (by default whoever has coded the most answers).
 */
export async function reportCodings(context: CodingContext, target: CodingTarget): Promise<{ coder?: string; codesFor: (unit: Unit) => Set<string> }> {
  const settings = await questionSettings(context, target.survey.id, target.question.id);
  const coder = settings.reportCoder ?? mostActiveCoder(target.index);
  return {
    coder,
    codesFor: (unit) => {
      if (target.index.isReconciled(unit.responseId)) return answerCodes(target, unit.responseId, FINAL_CODER);
      return coder ? answerCodes(target, unit.responseId, coder) : new Set();
    },
  };
}

function mostActiveCoder(index: QuestionIndex): string | undefined {
  return index.allCoders().sort((a, b) => index.codedCount(b) - index.codedCount(a) || a.localeCompare(b))[0];
}
