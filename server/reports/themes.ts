import { activeCodes } from '../codebooks/service.js';
import type { CodeRecord } from '../codebooks/model.js';
import { applyRedactions, attribution } from '../coding/quotes-service.js';
import type { QuoteRecord } from '../coding/model.js';
import type { Unit } from '../coding/read-model.js';
import { answerCodes, reportCodings } from '../coding/reconcile-service.js';
import type { CodingContext, CodingTarget } from '../coding/workbench-service.js';
import { type Rating, agreement, type AgreementResult } from './agreement.js';
import { percentOf } from './charts.js';
import { choiceLabels, isChoiceQuestion } from './distributions.js';

export type Breakdown = 'group' | 'country';

export interface ThemeRow {
  code: CodeRecord;
  count: number;
  percent: number;
}

export interface CrossTab {
  breakdown: Breakdown;
  columns: { value: string; label: string; base: number }[];
  /** codeId → count per column, in column order */
  counts: Map<string, number[]>;
}

export interface ThemeSummary {
  /** Respondents who answered the question: the base of every percentage. */
  base: number;
  reconciled: number;
  coder?: string;
  rows: ThemeRow[];
  crossTab?: CrossTab;
}

/** Column values of a breakdown: every choice, then "Not given" for respondents who skipped it. */
function breakdownColumns(target: CodingTarget, breakdown: Breakdown) {
  const questionId = breakdown === 'group' ? target.survey.definition.profile.group : target.survey.definition.profile.country;
  const question = target.survey.question(questionId);
  const choices = question && isChoiceQuestion(question) ? choiceLabels(question) : [];
  return { valueOf: (unit: Unit) => (breakdown === 'group' ? unit.group : unit.country) ?? '', columns: [...choices, { value: '', label: 'Not given' }] };
}

/**
 * For each active code: how many answering respondents' answers carry it (final codings where
 * reconciled, otherwise the report coder's), most frequent first; optionally by group or country.
 */
export async function themeSummary(context: CodingContext, target: CodingTarget, breakdown?: Breakdown): Promise<ThemeSummary> {
  const { codesFor, coder } = await reportCodings(context, target);
  const codes = activeCodes(target.codebook);
  const totals = new Map(codes.map((code) => [code.codeId, 0]));
  const columns = breakdown ? breakdownColumns(target, breakdown) : undefined;
  const columnIndex = new Map(columns?.columns.map((column, index) => [column.value, index]));
  const columnBases = columns ? columns.columns.map(() => 0) : [];
  const cells = new Map(codes.map((code) => [code.codeId, columnBases.map(() => 0)]));
  let reconciled = 0;
  for (const unit of target.index.units) {
    if (target.index.isReconciled(unit.responseId)) reconciled++;
    const column = columns ? (columnIndex.get(columns.valueOf(unit)) ?? columnIndex.get('')!) : -1;
    if (columns) columnBases[column]!++;
    for (const codeId of codesFor(unit)) {
      if (!totals.has(codeId)) continue;
      totals.set(codeId, totals.get(codeId)! + 1);
      if (columns) cells.get(codeId)![column]!++;
    }
  }
  const base = target.index.units.length;
  const rows = codes
    .map((code) => ({ code, count: totals.get(code.codeId)!, percent: percentOf(totals.get(code.codeId)!, base) }))
    .sort((a, b) => b.count - a.count || a.code.order - b.code.order);
  const crossTab = columns && breakdown ? { breakdown, columns: columns.columns.map((column, index) => ({ ...column, base: columnBases[index]! })), counts: cells } : undefined;
  return { base, reconciled, coder, rows, crossTab };
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
export async function quotesByCode(context: CodingContext, target: CodingTarget, { exportOnly = false } = {}): Promise<{ code: CodeRecord; quotes: QuoteItem[] }[]> {
  const [{ codesFor }, starredRecords] = await Promise.all([
    reportCodings(context, target),
    context.coding.quotes.find({ surveyId: target.survey.id, questionId: target.question.id, starred: true }).lean<QuoteRecord[]>(),
  ]);
  const starred = new Map(starredRecords.map((record) => [record.responseId, record]));
  return activeCodes(target.codebook).map((code) => {
    const quotes: QuoteItem[] = [];
    for (const unit of target.index.units) {
      if (!unit.quoteConsent || !codesFor(unit).has(code.codeId)) continue;
      const record = starred.get(unit.responseId);
      if (exportOnly && !record) continue;
      quotes.push({ responseId: unit.responseId, text: record ? applyRedactions(unit.text, record.redactions ?? []) : unit.text, attribution: attribution(target.survey, unit), starred: Boolean(record) });
    }
    quotes.sort((a, b) => Number(b.starred) - Number(a.starred));
    return { code, quotes };
  });
}

/** How often each pair of codes is on the same answer. */
export async function coOccurrence(context: CodingContext, target: CodingTarget): Promise<{ codes: CodeRecord[]; counts: number[][]; base: number }> {
  const { codesFor } = await reportCodings(context, target);
  const codes = activeCodes(target.codebook);
  const position = new Map(codes.map((code, index) => [code.codeId, index]));
  const counts = codes.map(() => codes.map(() => 0));
  for (const unit of target.index.units) {
    const present = [...codesFor(unit)].map((id) => position.get(id)).filter((index): index is number => index !== undefined);
    for (const a of present) for (const b of present) counts[a]![b]!++;
  }
  return { codes, counts, base: target.index.units.length };
}

export interface QuestionAgreement {
  coders: string[];
  /** Answers coded by two or more coders: the units of every statistic. */
  units: number;
  overall: AgreementResult;
  perCode: { code: CodeRecord; result: AgreementResult }[];
  disagreements: { unit: Unit; byCoder: { coderId: string; codes: Set<string> }[] }[];
}

/**
 * Agreement between coders on the answers two or more of them coded. Per code, each coder's value is
 * "present" or "absent"; overall pools every answer-code decision.
 */
export function questionAgreement(target: CodingTarget): QuestionAgreement {
  const codes = activeCodes(target.codebook);
  const perCode = new Map(codes.map((code) => [code.codeId, [] as Rating[]]));
  const pooled: Rating[] = [];
  const coders = new Set<string>();
  const disagreements: QuestionAgreement['disagreements'] = [];
  let units = 0;
  for (const unit of target.index.units) {
    const unitCoders = target.index.codersOf(unit.responseId);
    if (unitCoders.length < 2) continue;
    units++;
    const byCoder = unitCoders.map((coderId) => ({ coderId, codes: answerCodes(target, unit.responseId, coderId) }));
    for (const { coderId, codes: given } of byCoder) {
      coders.add(coderId);
      for (const code of codes) {
        const rating = { unit: `${unit.responseId}:${code.codeId}`, coder: coderId, value: given.has(code.codeId) ? 'present' : 'absent' };
        perCode.get(code.codeId)!.push({ ...rating, unit: unit.responseId });
        pooled.push(rating);
      }
    }
    const keys = byCoder.map(({ codes: given }) => [...given].sort().join('|'));
    if (keys.some((key) => key !== keys[0])) disagreements.push({ unit, byCoder });
  }
  return {
    coders: [...coders],
    units,
    overall: agreement(pooled),
    perCode: codes.map((code) => ({ code, result: agreement(perCode.get(code.codeId)!) })),
    disagreements,
  };
}
