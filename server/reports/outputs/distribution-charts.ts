import { barChart } from '../charts.js';
import type { Distribution } from '../distributions.js';

export const distributionHeader = ['question', 'value', 'label', 'count', 'percent', 'base'];

export const distributionRows = (distribution: Distribution) =>
  distribution.rows.map((row) => [
    distribution.question.id,
    row.value,
    row.label,
    row.count,
    row.percent.toFixed(1),
    distribution.base,
  ]);

/** Charts for a set of distributions, drawn here so views only place them. */
export function withCharts(distributions: Distribution[], context: string) {
  return distributions.map((distribution) => ({
    distribution,
    chart: barChart({
      id: `chart-${distribution.question.id}`,
      title: distribution.question.text.en,
      description: `${context}. Base: ${distribution.base} respondents ${distribution.multiple ? 'asked' : 'who answered'}. ${distribution.rows.map((row) => `${row.label}: ${row.count} (${row.percent.toFixed(0)}%)`).join('; ')}.`,
      bars: distribution.rows.map((row) => ({ label: row.label, count: row.count, percent: row.percent })),
    }),
  }));
}
