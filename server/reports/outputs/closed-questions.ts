import type { Survey } from '../../surveys/registry.js';
import { closedQuestionDistributions, validFilters, type Filters } from '../distributions.js';
import type { Output, ReportContext } from '../output.js';
import { distributionHeader, distributionRows, withCharts } from './distribution-charts.js';

/** Every closed question's counts, optionally for one group or country. */
export async function closedQuestionsOutput(
  context: ReportContext,
  survey: Survey,
  requested: Filters,
): Promise<Output> {
  const filters = validFilters(survey, requested);
  const result = await closedQuestionDistributions(context.responses, survey, filters);
  return {
    filename: `${survey.id}-closed-questions`,
    view: 'reports/questions',
    locals: () => ({
      survey,
      filters,
      total: result.total,
      items: withCharts(result.distributions, 'Closed question'),
    }),
    table: () => ({ header: distributionHeader, rows: result.distributions.flatMap(distributionRows) }),
    json: () => ({ filters, ...result }),
  };
}
