import { survivingCodeId } from '../codebooks/service.js';
import { FINAL_CODER } from './model.js';
import type { QuestionIndex, Unit } from './read-model.js';
import type { CodingTarget } from './target.js';

/** The codes a coder gave an answer (merged codes counted as their survivor); a passage counts for the whole answer. */
export function answerCodes(
  target: Pick<CodingTarget, 'index' | 'codebook'>,
  responseId: string,
  coderId: string,
): Set<string> {
  const codes = new Set<string>();
  for (const coding of target.index.codingsOf(responseId, coderId))
    codes.add(survivingCodeId(target.codebook, coding.codeId));
  return codes;
}

/** Whose decision an answer's counted codes are. */
export type CountedSource = 'final' | 'report coder' | 'other coder';

export interface Coverage {
  /** Respondents who answered the question. */
  answers: number;
  /** Answers with a counted coding: the base of every theme percentage. */
  coded: number;
  reconciled: number;
  /** Some answers are not coded yet, so every figure may still change. */
  provisional: boolean;
}

export interface Counting {
  reportCoder?: string;
  coverage: Coverage;
  /** The codes counted for an answer, or undefined if nobody has coded it. */
  codesOf(unit: Unit): Set<string> | undefined;
  sourceOf(unit: Unit): CountedSource | undefined;
  /** The coder whose codes count for the answer (undefined once reconciled, or if nobody coded it). */
  coderOf(unit: Unit): string | undefined;
}

/** The wording every theme output shows, so the rule is stated the same way everywhere. */
export const COUNTING_RULE =
  'Each answer counts its final (reconciled) coding where there is one; otherwise the codes of the report coder, where they coded it; otherwise those of whoever coded it (the coder with most answers coded, if several did). "No code applies" counts as coded.';

export function coverageSentence(coverage: Coverage): string {
  return `${coverage.coded} of ${coverage.answers} answers coded (${coverage.reconciled} reconciled)${coverage.provisional ? ': provisional until every answer is coded' : ''}.`;
}

function byMostCoded(index: QuestionIndex) {
  return (a: string, b: string) => index.codedCount(b) - index.codedCount(a) || a.localeCompare(b);
}

/**
 * The counting rule, stated once: per answer, the final coding where reconciled; otherwise the
 * report coder's codes where they coded it; otherwise the codes of whoever did. So when analysts
 * share the answers out between them, every coded answer counts, not only the report coder's.
 */
export function countedCodings(target: Pick<CodingTarget, 'index' | 'codebook' | 'settings'>): Counting {
  const { index } = target;
  const order = byMostCoded(index);
  const reportCoder = target.settings.reportCoder ?? index.allCoders().sort(order)[0];
  const counted = new Map<string, { codes: Set<string>; source: CountedSource; coder?: string }>();
  let reconciled = 0;
  for (const unit of index.units) {
    if (index.isReconciled(unit.responseId)) {
      reconciled++;
      counted.set(unit.responseId, { codes: answerCodes(target, unit.responseId, FINAL_CODER), source: 'final' });
      continue;
    }
    if (reportCoder && index.isCodedBy(unit.responseId, reportCoder)) {
      counted.set(unit.responseId, {
        codes: answerCodes(target, unit.responseId, reportCoder),
        source: 'report coder',
        coder: reportCoder,
      });
      continue;
    }
    const coder = index.codersOf(unit.responseId).sort(order)[0];
    if (coder)
      counted.set(unit.responseId, {
        codes: answerCodes(target, unit.responseId, coder),
        source: 'other coder',
        coder,
      });
  }
  const coverage = {
    answers: index.units.length,
    coded: counted.size,
    reconciled,
    provisional: counted.size < index.units.length,
  };
  return {
    reportCoder,
    coverage,
    codesOf: (unit) => counted.get(unit.responseId)?.codes,
    sourceOf: (unit) => counted.get(unit.responseId)?.source,
    coderOf: (unit) => counted.get(unit.responseId)?.coder,
  };
}
