import type { Survey } from '../../surveys/registry.js';
import { closedQuestionDistributions, validFilters, type Filters } from '../distributions.js';
import type { Output, ReportContext } from '../output.js';
import { baseSentence, distributionHeader, distributionRows, withCharts } from './distribution-charts.js';

/** Every closed question's counts, for everyone or for one group or country: the same respondents in every chart. */
export async function closedQuestionsOutput(
  context: ReportContext,
  survey: Survey,
  requested: Filters,
): Promise<Output> {
  const filters = validFilters(survey, requested);
  const result = await closedQuestionDistributions(context.responses, survey, filters);
  const items = withCharts(result.distributions);
  return {
    filename: `${survey.id}-closed-questions`,
    view: 'reports/questions',
    charts: () => items.map((item) => item.chart),
    locals: () => ({ survey, filters, total: result.total, items, baseSentence }),
    table: () => ({ header: distributionHeader, rows: result.distributions.flatMap(distributionRows) }),
    json: () => ({ filters, ...result }),
  };
}
