import { activeCodes } from '../codebooks/service.js';
import type { CodeRecord } from '../codebooks/model.js';
import { countedCodings, type Coverage } from '../coding/counting.js';
import type { CodingTarget } from '../coding/target.js';
import type { Breakdown } from './breakdowns.js';
import { percentOf } from './charts.js';

export interface ThemeRow {
  code: CodeRecord;
  count: number;
  percent: number;
}

export interface CrossTabColumn {
  id: string;
  label: string;
  /** The column's coded answers: the base of its percentages. */
  base: number;
  /** The base is under the minimum: percentages are withheld, as a share of so few says little. */
  suppressed: boolean;
}

export interface CrossTab {
  breakdown: Pick<Breakdown, 'id' | 'label'>;
  columns: CrossTabColumn[];
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

/** A column percentage, or null where the column's base is too small to show one. */
export const columnPercent = (count: number, column: CrossTabColumn): number | null =>
  column.suppressed ? null : percentOf(count, column.base);

/**
 * For each active code: how many coded answers carry it (by the counting rule), most frequent
 * first, as a share of the coded answers; optionally broken down into columns, whose percentages
 * are withheld below `minimumBase` coded answers.
 */
export function themeSummary(target: CodingTarget, breakdown?: Breakdown, minimumBase = 5): ThemeSummary {
  const counting = countedCodings(target);
  const codes = activeCodes(target.codebook);
  const totals = new Map(codes.map((code) => [code.codeId, 0]));
  const columnBases = breakdown ? breakdown.columns.map(() => 0) : [];
  const cells = new Map(codes.map((code) => [code.codeId, columnBases.map(() => 0)]));
  for (const unit of target.index.units) {
    const counted = counting.codesOf(unit);
    if (!counted) continue;
    const column = breakdown ? breakdown.columnOf(unit[breakdown.field]) : -1;
    if (breakdown) columnBases[column]!++;
    for (const codeId of counted) {
      if (!totals.has(codeId)) continue;
      totals.set(codeId, totals.get(codeId)! + 1);
      if (breakdown) cells.get(codeId)![column]!++;
    }
  }
  const base = counting.coverage.coded;
  const rows = codes
    .map((code) => ({ code, count: totals.get(code.codeId)!, percent: percentOf(totals.get(code.codeId)!, base) }))
    .sort((a, b) => b.count - a.count || a.code.order - b.code.order);
  const crossTab = breakdown && {
    breakdown: { id: breakdown.id, label: breakdown.label },
    columns: breakdown.columns.map((column, index) => ({
      ...column,
      base: columnBases[index]!,
      suppressed: columnBases[index]! < minimumBase,
    })),
    counts: cells,
  };
  return { base, coverage: counting.coverage, reportCoder: counting.reportCoder, rows, crossTab };
}
