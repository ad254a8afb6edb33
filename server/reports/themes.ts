import { activeCodes } from '../codebooks/service.js';
import type { CodeRecord } from '../codebooks/model.js';
import { countedCodings, type Coverage } from '../coding/counting.js';
import type { Unit } from '../coding/read-model.js';
import { codesByCoder, differ, type CoderCodes } from '../coding/reconcile-service.js';
import type { CodingTarget } from '../coding/target.js';
import { type Rating, agreement, type AgreementResult } from './agreement.js';

/** How often each pair of codes is on the same coded answer. */
export function coOccurrence(target: CodingTarget): {
  codes: CodeRecord[];
  counts: number[][];
  base: number;
  coverage: Coverage;
} {
  const counting = countedCodings(target);
  const codes = activeCodes(target.codebook);
  const position = new Map(codes.map((code, index) => [code.codeId, index]));
  const counts = codes.map(() => codes.map(() => 0));
  for (const unit of target.index.units) {
    const present = [...(counting.codesOf(unit) ?? [])]
      .map((id) => position.get(id))
      .filter((index): index is number => index !== undefined);
    for (const a of present) for (const b of present) counts[a]![b]!++;
  }
  return { codes, counts, base: counting.coverage.coded, coverage: counting.coverage };
}

export interface QuestionAgreement {
  coders: string[];
  /** Answers coded by two or more coders: the units of every statistic. */
  units: number;
  overall: AgreementResult;
  perCode: { code: CodeRecord; result: AgreementResult }[];
  /** Answers where coders differ; `reconciled` once a final coding settles it. */
  disagreements: { unit: Unit; byCoder: CoderCodes[]; reconciled: boolean }[];
}

/**
 * Agreement between coders on the answers two or more of them coded ("no code applies" is a
 * coding: every code absent). Per code, each coder's value is "present" or "absent"; overall
 * pools every answer-code decision.
 */
export function questionAgreement(target: CodingTarget): QuestionAgreement {
  const codes = activeCodes(target.codebook);
  const perCode = new Map(codes.map((code) => [code.codeId, [] as Rating[]]));
  const pooled: Rating[] = [];
  const coders = new Set<string>();
  const disagreements: QuestionAgreement['disagreements'] = [];
  let units = 0;
  for (const unit of target.index.units) {
    const byCoder = codesByCoder(target, unit);
    if (byCoder.length < 2) continue;
    units++;
    for (const { coderId, codes: given } of byCoder) {
      coders.add(coderId);
      for (const code of codes) {
        const rating = {
          unit: `${unit.responseId}:${code.codeId}`,
          coder: coderId,
          value: given.has(code.codeId) ? 'present' : 'absent',
        };
        perCode.get(code.codeId)!.push({ ...rating, unit: unit.responseId });
        pooled.push(rating);
      }
    }
    if (differ(byCoder)) disagreements.push({ unit, byCoder, reconciled: target.index.isReconciled(unit.responseId) });
  }
  return {
    coders: [...coders],
    units,
    overall: agreement(pooled),
    perCode: codes.map((code) => ({ code, result: agreement(perCode.get(code.codeId)!) })),
    disagreements,
  };
}
