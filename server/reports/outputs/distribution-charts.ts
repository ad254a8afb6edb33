import { barChart, bySize } from '../charts.js';
import type { Distribution } from '../distributions.js';

export const distributionHeader = [
  'question',
  'value',
  'label',
  'count',
  'percent',
  'base',
  'not_answered',
  'not_asked',
];

export const distributionRows = (distribution: Distribution) =>
  distribution.rows.map((row) => [
    distribution.id,
    row.value,
    row.label,
    row.count,
    row.percent.toFixed(1),
    distribution.base,
    distribution.notAnswered,
    distribution.notAsked,
  ]);

/** What a distribution's base is, in words: the same sentence under its chart and in its download. */
export function baseSentence(distribution: Distribution): string {
  const who = distribution.multiple ? 'who were asked (they could choose several or none)' : 'who answered';
  const others = [
    distribution.notAnswered > 0 ? `${distribution.notAnswered} asked did not answer` : '',
    distribution.notAsked > 0 ? `${distribution.notAsked} were not asked (routed past it)` : '',
  ].filter(Boolean);
  return `Base: ${distribution.base} respondent${distribution.base === 1 ? '' : 's'} ${who}${others.length ? `; ${others.join('; ')}` : ''}.`;
}

/** Each distribution with its chart: largest first, unless the question has an order of its own. */
export function withCharts(distributions: Distribution[]) {
  return distributions.map((distribution) => {
    const rows = distribution.ordered ? distribution.rows : bySize(distribution.rows);
    return {
      distribution: { ...distribution, rows },
      chart: barChart({
        id: `chart-${distribution.id}`,
        title: distribution.title,
        caption: baseSentence(distribution),
        bars: rows,
      }),
    };
  });
}
