import type { Survey } from '../../surveys/registry.js';
import { respondentProfile } from '../distributions.js';
import type { Output, ReportContext } from '../output.js';
import { distributionHeader, distributionRows, withCharts } from './distribution-charts.js';

/** Who answered: by group, country and region. */
export async function profileOutput(context: ReportContext, survey: Survey): Promise<Output> {
  const profile = await respondentProfile(context.responses, survey);
  return {
    filename: `${survey.id}-profile`,
    view: 'reports/profile',
    locals: () => ({
      survey,
      total: profile.total,
      items: withCharts(profile.distributions, `Respondents to the ${survey.definition.title.en}`),
    }),
    table: () => ({ header: distributionHeader, rows: profile.distributions.flatMap(distributionRows) }),
    json: () => profile,
  };
}
