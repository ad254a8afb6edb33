import { activeCodes } from '../codebooks/service.js';
import type { CodeRecord } from '../codebooks/model.js';
import { countedCodings, type Coverage } from '../coding/counting.js';
import { attribution, isStarred, quoteRecords } from '../coding/quotes-service.js';
import type { Unit } from '../coding/read-model.js';
import { codesByCoder, differ, type CoderCodes } from '../coding/reconcile-service.js';
import { redact } from '../coding/redaction.js';
import type { CodingContext, CodingTarget } from '../coding/target.js';
import { choiceLabels, isChoiceQuestion } from '../surveys/question-types/index.js';
import { type Rating, agreement, type AgreementResult } from './agreement.js';
import { percentOf } from './charts.js';

export type Breakdown = 'group' | 'country';

export interface ThemeRow {
  code: CodeRecord;
  count: number;
  percent: number;
}

export interface CrossTab {
  breakdown: Breakdown;
  /** Each column's base is its coded answers. */
  columns: { value: string; label: string; base: number }[];
  /** codeId → count per column, in column order */
  counts: Map<string, number[]>;
}

export interface ThemeSummary {
  /** Coded answers: the base of every percentage. */
  base: number;
  coverage: Coverage;
  reportCoder?: string;
  rows: ThemeRow[];
  crossTab?: CrossTab;
}

/** Column values of a breakdown: every choice, then "Not given" for respondents who skipped it. */
function breakdownColumns(target: CodingTarget, breakdown: Breakdown) {
  const questionId =
    breakdown === 'group' ? target.survey.definition.profile.group : target.survey.definition.profile.country;
  const question = target.survey.question(questionId);
  const choices = question && isChoiceQuestion(question) ? choiceLabels(question) : [];
  return {
    valueOf: (unit: Unit) => (breakdown === 'group' ? unit.group : unit.country) ?? '',
    columns: [...choices, { value: '', label: 'Not given' }],
  };
}

/**
 * For each active code: how many coded answers carry it (by the counting rule), most frequent
 * first, as a share of the coded answers; optionally by group or country.
 */
export function themeSummary(target: CodingTarget, breakdown?: Breakdown): ThemeSummary {
  const counting = countedCodings(target);
  const codes = activeCodes(target.codebook);
  const totals = new Map(codes.map((code) => [code.codeId, 0]));
  const columns = breakdown ? breakdownColumns(target, breakdown) : undefined;
  const columnIndex = new Map(columns?.columns.map((column, index) => [column.value, index]));
  const columnBases = columns ? columns.columns.map(() => 0) : [];
  const cells = new Map(codes.map((code) => [code.codeId, columnBases.map(() => 0)]));
  for (const unit of target.index.units) {
    const counted = counting.codesOf(unit);
    if (!counted) continue;
    const column = columns ? (columnIndex.get(columns.valueOf(unit)) ?? columnIndex.get('')!) : -1;
    if (columns) columnBases[column]!++;
    for (const codeId of counted) {
      if (!totals.has(codeId)) continue;
      totals.set(codeId, totals.get(codeId)! + 1);
      if (columns) cells.get(codeId)![column]!++;
    }
  }
  const base = counting.coverage.coded;
  const rows = codes
    .map((code) => ({ code, count: totals.get(code.codeId)!, percent: percentOf(totals.get(code.codeId)!, base) }))
    .sort((a, b) => b.count - a.count || a.code.order - b.code.order);
  const crossTab =
    columns && breakdown
      ? {
          breakdown,
          columns: columns.columns.map((column, index) => ({ ...column, base: columnBases[index]! })),
          counts: cells,
        }
      : undefined;
  return { base, coverage: counting.coverage, reportCoder: counting.reportCoder, rows, crossTab };
}

export interface QuoteItem {
  responseId: string;
  text: string;
  attribution: string;
  starred: boolean;
}

/**
 * Quotes for each code from respondents who consented. Starred quotes (reviewed, with redactions
 * applied) come first and are the only ones that may leave the platform; other consented answers
 * are listed for the analysts after them.
 */
export async function quotesByCode(
  context: CodingContext,
  target: CodingTarget,
  { exportOnly = false } = {},
): Promise<{ code: CodeRecord; quotes: QuoteItem[] }[]> {
  const records = await quoteRecords(context, target);
  const counting = countedCodings(target);
  return activeCodes(target.codebook).map((code) => {
    const quotes: QuoteItem[] = [];
    for (const unit of target.index.units) {
      if (!unit.quoteConsent || !counting.codesOf(unit)?.has(code.codeId)) continue;
      const record = records.get(unit.responseId);
      const starred = isStarred(record);
      if (exportOnly && !starred) continue;
      quotes.push({
        responseId: unit.responseId,
        text: starred ? redact(unit.text, record!.redacted ?? []) : unit.text,
        attribution: attribution(target.survey, unit),
        starred,
      });
    }
    quotes.sort((a, b) => Number(b.starred) - Number(a.starred));
    return { code, quotes };
  });
}

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
  disagreements: { unit: Unit; byCoder: CoderCodes[] }[];
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
    if (differ(byCoder)) disagreements.push({ unit, byCoder });
  }
  return {
    coders: [...coders],
    units,
    overall: agreement(pooled),
    perCode: codes.map((code) => ({ code, result: agreement(perCode.get(code.codeId)!) })),
    disagreements,
  };
}
