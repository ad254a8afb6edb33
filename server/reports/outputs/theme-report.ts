import { codingTarget } from '../../coding/target.js';
import type { Survey } from '../../surveys/registry.js';
import type { ReportContext } from '../output.js';
import { quotesByCode, themeSummary } from '../themes.js';
import { counting } from './themes.js';

/** The printable theme report of a survey: each coded question's themes with their starred quotes. */
export async function themeReport(context: ReportContext, survey: Survey): Promise<Record<string, unknown>> {
  const sections = [];
  for (const question of survey.openQuestions().filter((candidate) => candidate.codedWith)) {
    const target = await codingTarget(context, survey.id, question.id);
    const byCode = await quotesByCode(context, target, { exportOnly: true });
    sections.push({
      target,
      summary: themeSummary(target),
      quotes: new Map(byCode.map(({ code, quotes }) => [code.codeId, quotes])),
    });
  }
  return { survey, sections, counting };
}
