import type { Survey } from '../../surveys/registry.js';
import { respondentProfile } from '../distributions.js';
import type { Output, ReportContext } from '../output.js';
import { baseSentence, distributionHeader, distributionRows, withCharts } from './distribution-charts.js';

/** Who answered: by role group, role, country and region. */
export async function profileOutput(context: ReportContext, survey: Survey): Promise<Output> {
  const profile = await respondentProfile(context.responses, survey);
  const items = withCharts(profile.distributions);
  return {
    filename: `${survey.id}-profile`,
    view: 'reports/profile',
    charts: () => items.map((item) => item.chart),
    locals: () => ({ survey, total: profile.total, items, baseSentence }),
    table: () => ({ header: distributionHeader, rows: profile.distributions.flatMap(distributionRows) }),
    json: () => profile,
  };
}
