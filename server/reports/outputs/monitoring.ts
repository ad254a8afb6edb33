import type { Survey } from '../../surveys/registry.js';
import { barChart } from '../charts.js';
import { monitorSurvey } from '../monitoring.js';
import type { Output, ReportContext } from '../output.js';

/** Response monitoring: counts, completion, drop-off by page, responses per day, time to complete. No answer text. */
export async function monitoringOutput(context: ReportContext, survey: Survey): Promise<Output> {
  const monitoring = await monitorSurvey(
    context.responses,
    survey,
    await context.schedules.datesOf(survey),
    context.now(),
  );
  const total = monitoring.submitted + monitoring.inProgress;
  const perDay = barChart({
    id: 'per-day',
    title: `Responses submitted per day: ${survey.definition.title.en}`,
    caption: `${monitoring.submitted} submitted in all, by the day in London they were sent.`,
    bars: monitoring.perDay.map((day) => ({
      label: day.day,
      count: day.submitted,
      percent: monitoring.submitted === 0 ? 0 : (100 * day.submitted) / monitoring.submitted,
    })),
    colour: '#00703c',
  });
  const dropOff = barChart({
    id: 'drop-off',
    title: `Where part-completed surveys stopped: ${survey.definition.title.en}`,
    caption: `${monitoring.inProgress} started and not sent, by the page each would open on next.`,
    bars: monitoring.dropOff.map((page) => ({
      label: page.title,
      count: page.stopped,
      percent: monitoring.inProgress === 0 ? 0 : (100 * page.stopped) / monitoring.inProgress,
    })),
    colour: '#d4351c',
  });
  return {
    filename: `${survey.id}-monitoring`,
    view: 'reports/monitoring',
    charts: () => [perDay, dropOff],
    locals: () => ({ survey, monitoring, total, perDay, dropOff }),
    table: () => ({
      header: ['measure', 'item', 'submitted', 'in_progress'],
      rows: [
        ['responses', 'all', monitoring.submitted, monitoring.inProgress],
        ['completion_rate_percent', 'all', monitoring.completionRate?.toFixed(1) ?? '', ''],
        ['median_minutes_to_complete', 'all', monitoring.medianMinutes?.toFixed(1) ?? '', ''],
        ...monitoring.perDay.map((day) => ['submitted_per_day', day.day, day.submitted, '']),
        ...monitoring.dropOff.map((page) => ['stopped_at_page', page.pageId, '', page.stopped]),
        ...monitoring.byLanguage.map((row) => ['by_language', row.value, row.submitted, row.inProgress]),
        ...monitoring.byNation.map((row) => ['by_nation', row.value, row.submitted, row.inProgress]),
      ],
    }),
    json: () => monitoring,
  };
}
