import type { SessionUser } from '../../auth/roles.js';
import { codedQuestions } from '../../coding/coded-questions.js';
import { mayCompareCoders } from '../../coding/settings.js';
import { codingTarget } from '../../coding/target.js';
import type { Survey } from '../../surveys/registry.js';
import { closedQuestionDistributions, respondentProfile } from '../distributions.js';
import { monitorSurvey } from '../monitoring.js';
import type { ReportContext } from '../output.js';
import { quotesByCode } from '../quotes.js';
import { themeSummary } from '../theme-summary.js';
import { baseSentence, withCharts } from './distribution-charts.js';
import { counting, themesChart } from './themes.js';

/** Starred quotes shown under each theme in the printed report. */
const QUOTES_PER_THEME = 5;

/**
 * The printable report of a survey, put together: who responded and how the survey went, each
 * closed question's chart with its table, and each coded question's themes with their counts,
 * coverage and up to five starred quotes. Questions not coded yet say so.
 */
export async function surveyReport(
  context: ReportContext,
  survey: Survey,
  user: SessionUser,
): Promise<Record<string, unknown>> {
  const [monitoring, profile, closed, coded] = await Promise.all([
    monitorSurvey(context.responses, survey, await context.schedules.datesOf(survey), context.now()),
    respondentProfile(context.responses, survey),
    closedQuestionDistributions(context.responses, survey, {}),
    codedQuestions(context.coding, survey),
  ]);
  const profileIds = new Set(profile.distributions.map((distribution) => distribution.id));
  const themes = [];
  // Every question and codebook it has been coded with, as on the survey's home.
  for (const { question, codebookIds } of coded) {
    for (const codebookId of codebookIds) {
      const target = await codingTarget(context, survey.id, question.id, codebookId);
      const summary = themeSummary(target);
      // Quotes are filed under answers' codes: not shown to an analyst still coding independently.
      const quotesHidden = !mayCompareCoders(user, target.settings);
      const byCode = quotesHidden ? [] : await quotesByCode(context, target, { exportOnly: true });
      const quotes = new Map(byCode.map(({ code, quotes: list }) => [code.codeId, list.slice(0, QUOTES_PER_THEME)]));
      themes.push({
        target,
        summary,
        quotes,
        quotesHidden,
        chart: themesChart(target, summary, `themes-${question.id}-${codebookId}`),
        manyCodebooks: codebookIds.length > 1,
      });
    }
  }
  const notCoded = survey
    .openQuestions()
    .filter((question) => !coded.some((entry) => entry.question.id === question.id));
  return {
    survey,
    monitoring,
    generated: context.now(),
    profile: withCharts(profile.distributions),
    closed: withCharts(closed.distributions.filter((distribution) => !profileIds.has(distribution.id))),
    themes,
    notCoded,
    counting,
    baseSentence,
  };
}
