import { coderNames } from '../../auth/service.js';
import { COUNTING_RULE, coverageSentence } from '../../coding/counting.js';
import type { CodingTarget } from '../../coding/target.js';
import { breakdownById, breakdownsOf } from '../breakdowns.js';
import { barChart } from '../charts.js';
import type { Output, ReportContext } from '../output.js';
import { columnPercent, themeSummary, type ThemeSummary } from '../theme-summary.js';

export const counting = { rule: COUNTING_RULE, coverageSentence };

/** The themes chart of a summary: sorted by size, its base and coverage in the caption. */
export function themesChart(target: CodingTarget, summary: ThemeSummary, id = 'themes') {
  return barChart({
    id,
    title: `Themes in answers to: ${target.question.text.en}`,
    caption: `Base: ${summary.base} coded answers. ${coverageSentence(summary.coverage)}`,
    bars: summary.rows.map((row) => ({ label: row.code.name, count: row.count, percent: row.percent })),
  });
}

/** The theme summary of one question: counts of each code among coded answers, with an optional cross-tab. */
export async function themeSummaryOutput(context: ReportContext, target: CodingTarget, by?: string): Promise<Output> {
  const breakdown = breakdownById(target.survey, by);
  const summary = themeSummary(target, breakdown, context.minimumBase);
  const { coverage, crossTab } = summary;
  const columns = crossTab?.columns ?? [];
  const coderEmail = summary.reportCoder ? (await coderNames(context.users)).get(summary.reportCoder) : undefined;
  const chart = themesChart(target, summary);
  return {
    filename: `${target.survey.id}-${target.question.id}-themes${breakdown ? `-by-${breakdown.id}` : ''}`,
    view: 'reports/themes',
    charts: () => [chart],
    locals: () => ({
      target,
      summary,
      breakdown,
      breakdowns: breakdownsOf(target.survey),
      coderEmail,
      counting,
      chart,
      columnPercent,
      minimumBase: context.minimumBase,
    }),
    table: () => ({
      header: [
        'code_id',
        'code_name',
        'count',
        'percent',
        'base_coded_answers',
        'answers',
        'reconciled',
        'provisional',
        ...columns.flatMap((column) => [`${column.label}: count`, `${column.label}: column %`]),
      ],
      rows: summary.rows.map((row) => [
        row.code.codeId,
        row.code.name,
        row.count,
        row.percent.toFixed(1),
        summary.base,
        coverage.answers,
        coverage.reconciled,
        coverage.provisional ? 'yes' : 'no',
        ...columns.flatMap((column, index) => {
          const count = crossTab!.counts.get(row.code.codeId)![index]!;
          // A base under the minimum: the count stands, the percentage is withheld.
          return [
            count,
            columnPercent(count, column)?.toFixed(1) ?? `base ${column.base} under ${context.minimumBase}`,
          ];
        }),
      ]),
    }),
    json: () => ({
      ...summary,
      countingRule: COUNTING_RULE,
      minimumBase: context.minimumBase,
      rows: summary.rows.map((row) => ({
        codeId: row.code.codeId,
        name: row.code.name,
        count: row.count,
        percent: row.percent,
      })),
      crossTab: crossTab && { ...crossTab, counts: Object.fromEntries(crossTab.counts) },
    }),
  };
}
