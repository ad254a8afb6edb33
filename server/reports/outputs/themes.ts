import { coderNames } from '../../auth/service.js';
import { COUNTING_RULE, coverageSentence } from '../../coding/counting.js';
import type { CodingTarget } from '../../coding/target.js';
import { barChart, percentOf } from '../charts.js';
import type { Output, ReportContext } from '../output.js';
import { themeSummary, type Breakdown } from '../themes.js';

export const counting = { rule: COUNTING_RULE, coverageSentence };

/** The theme summary of one question: counts of each code among coded answers, with an optional cross-tab. */
export async function themeSummaryOutput(
  context: ReportContext,
  target: CodingTarget,
  by?: Breakdown,
): Promise<Output> {
  const summary = themeSummary(target, by);
  const { coverage, crossTab } = summary;
  const columns = crossTab?.columns ?? [];
  const coderEmail = summary.reportCoder ? (await coderNames(context.users)).get(summary.reportCoder) : undefined;
  return {
    filename: `${target.survey.id}-${target.question.id}-themes${by ? `-by-${by}` : ''}`,
    view: 'reports/themes',
    locals: () => ({
      target,
      summary,
      by,
      coderEmail,
      percentOf,
      counting,
      chart: barChart({
        id: 'themes',
        title: `Themes in answers to: ${target.question.text.en}`,
        description: `Base: ${summary.base} coded answers (${coverageSentence(coverage)}) ${summary.rows.map((row) => `${row.code.name}: ${row.count} (${row.percent.toFixed(0)}%)`).join('; ')}.`,
        bars: summary.rows.map((row) => ({ label: row.code.name, count: row.count, percent: row.percent })),
      }),
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
          return [count, percentOf(count, column.base).toFixed(1)];
        }),
      ]),
    }),
    json: () => ({
      ...summary,
      countingRule: COUNTING_RULE,
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
