import type { Router } from 'express';
import { z } from 'zod';
import { backOfficeRouter } from '../auth/guard.js';
import { coderNames } from '../auth/service.js';
import type { UserModel } from '../auth/user-model.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { activeCodes, getCodebook } from '../codebooks/service.js';
import { COUNTING_RULE, coverageSentence } from '../coding/counting.js';
import { codingTarget, type CodingContext } from '../coding/target.js';
import { asDownload, sendTable } from '../http/download.js';
import { NotFoundError } from '../http/errors.js';
import { pathIdSchema, validate } from '../http/validate.js';
import type { ResponseModel } from '../surveys/responses/model.js';
import type { Survey } from '../surveys/registry.js';
import { barChart, percentOf } from './charts.js';
import { closedQuestionDistributions, filtersSchema, respondentProfile, validFilters, type Distribution } from './distributions.js';
import { codebookToQdc } from './qdc.js';
import { coOccurrence, questionAgreement, quotesByCode, themeSummary } from './themes.js';

const formatQuery = z.object({ format: z.enum(['html', 'csv', 'json']).default('html') });
const themeQuery = formatQuery.extend({ codebook: codeIdSchema.optional(), by: z.enum(['group', 'country']).optional() });
const surveyParams = z.object({ surveyId: pathIdSchema });
const questionParams = surveyParams.extend({ questionId: pathIdSchema });

export interface ReportContext extends CodingContext {
  responses: ResponseModel;
  users: UserModel;
}

const distributionRows = (distribution: Distribution) =>
  distribution.rows.map((row) => [distribution.question.id, row.value, row.label, row.count, row.percent.toFixed(1), distribution.base]);

/** Charts for a set of distributions, drawn here so views only place them. */
function withCharts(distributions: Distribution[], context: string) {
  return distributions.map((distribution) => ({
    distribution,
    chart: barChart({
      id: `chart-${distribution.question.id}`,
      title: distribution.question.text.en,
      description: `${context}. Base: ${distribution.base} respondents ${distribution.question.type === 'multi' ? 'asked' : 'who answered'}. ${distribution.rows.map((row) => `${row.label}: ${row.count} (${row.percent.toFixed(0)}%)`).join('; ')}.`,
      bars: distribution.rows.map((row) => ({ label: row.label, count: row.count, percent: row.percent })),
    }),
  }));
}

/** The review team's outputs: each a printable page with charts, and a CSV and JSON download. */
export function reportRoutes(context: ReportContext): Router {
  const router = backOfficeRouter('analyst');
  const surveyOf = (surveyId: string): Survey => {
    const survey = context.surveys.get(surveyId);
    if (!survey) throw new NotFoundError();
    return survey;
  };
  const codedQuestions = (survey: Survey) => survey.openQuestions().filter((question) => question.codedWith);
  const counting = { rule: COUNTING_RULE, coverageSentence };

  router.get('/', (_request, response) => {
    response.render('reports/index', { surveys: [...context.surveys.values()].map((survey) => ({ survey, questions: codedQuestions(survey) })) });
  });

  router.get('/:surveyId/profile', async (request, response) => {
    const { params, query } = validate(request, { params: surveyParams, query: formatQuery });
    const survey = surveyOf(params.surveyId);
    const profile = await respondentProfile(context.responses, survey);
    if (query.format !== 'html') return sendTable(response, query.format, `${survey.id}-profile`, profile, ['question', 'value', 'label', 'count', 'percent', 'base'], profile.distributions.flatMap(distributionRows));
    response.render('reports/profile', { survey, total: profile.total, items: withCharts(profile.distributions, `Respondents to the ${survey.definition.title.en}`) });
  });

  router.get('/:surveyId/questions', async (request, response) => {
    const { params, query } = validate(request, { params: surveyParams, query: formatQuery.extend(filtersSchema.shape) });
    const survey = surveyOf(params.surveyId);
    const filters = validFilters(survey, query);
    const result = await closedQuestionDistributions(context.responses, survey, filters);
    if (query.format !== 'html') return sendTable(response, query.format, `${survey.id}-closed-questions`, { filters, ...result }, ['question', 'value', 'label', 'count', 'percent', 'base'], result.distributions.flatMap(distributionRows));
    response.render('reports/questions', { survey, filters, total: result.total, items: withCharts(result.distributions, 'Closed question') });
  });

  router.get('/:surveyId/themes/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themeQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    const summary = themeSummary(target, query.by);
    if (query.format !== 'html') {
      const columns = summary.crossTab?.columns ?? [];
      const header = ['code_id', 'code_name', 'count', 'percent', 'base_coded_answers', 'answers', 'reconciled', 'provisional', ...columns.flatMap((column) => [`${column.label}: count`, `${column.label}: column %`])];
      const { coverage } = summary;
      const rows = summary.rows.map((row) => [
        row.code.codeId,
        row.code.name,
        row.count,
        row.percent.toFixed(1),
        summary.base,
        coverage.answers,
        coverage.reconciled,
        coverage.provisional ? 'yes' : 'no',
        ...columns.flatMap((column, index) => {
          const count = summary.crossTab!.counts.get(row.code.codeId)![index]!;
          return [count, percentOf(count, column.base).toFixed(1)];
        }),
      ]);
      const json = {
        ...summary,
        countingRule: COUNTING_RULE,
        rows: summary.rows.map((row) => ({ codeId: row.code.codeId, name: row.code.name, count: row.count, percent: row.percent })),
        crossTab: summary.crossTab && { ...summary.crossTab, counts: Object.fromEntries(summary.crossTab.counts) },
      };
      return sendTable(response, query.format, `${params.surveyId}-${params.questionId}-themes${query.by ? `-by-${query.by}` : ''}`, json, header, rows);
    }
    const chart = barChart({
      id: 'themes',
      title: `Themes in answers to: ${target.question.text.en}`,
      description: `Base: ${summary.base} coded answers (${coverageSentence(summary.coverage)}) ${summary.rows.map((row) => `${row.code.name}: ${row.count} (${row.percent.toFixed(0)}%)`).join('; ')}.`,
      bars: summary.rows.map((row) => ({ label: row.code.name, count: row.count, percent: row.percent })),
    });
    const names = await coderNames(context.users);
    const coderEmail = summary.reportCoder ? names.get(summary.reportCoder) : undefined;
    response.render('reports/themes', { target, summary, chart, by: query.by, coderEmail, percentOf, counting });
  });

  router.get('/:surveyId/quotes/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themeQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    // Downloads carry only starred quotes: the ones reviewed for redaction.
    const byCode = await quotesByCode(context, target, { exportOnly: query.format !== 'html' });
    if (query.format !== 'html') {
      const flat = byCode.flatMap(({ code, quotes }) => quotes.map((quote) => ({ codeId: code.codeId, codeName: code.name, ...quote, attribution: `(${quote.attribution})` })));
      return sendTable(response, query.format, `${params.surveyId}-${params.questionId}-quotes`, flat, ['code_id', 'code_name', 'quote', 'attribution', 'response_id'], flat.map((quote) => [quote.codeId, quote.codeName, quote.text, quote.attribution, quote.responseId]));
    }
    response.render('reports/quotes', { target, byCode });
  });

  router.get('/:surveyId/agreement/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themeQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    const result = questionAgreement(target);
    const names = await coderNames(context.users);
    if (query.format !== 'html') {
      const rows = [['overall', 'All codes', result.overall] as const, ...result.perCode.map(({ code, result: r }) => [code.codeId, code.name, r] as const)].map(([id, name, stats]) => [
        id,
        name,
        result.units,
        stats.percentAgreement,
        stats.cohenKappa,
        stats.krippendorffAlpha,
      ]);
      const json = {
        coders: result.coders.map((id) => names.get(id) ?? id),
        units: result.units,
        overall: result.overall,
        perCode: result.perCode.map(({ code, result: r }) => ({ codeId: code.codeId, ...r })),
        disagreements: result.disagreements.map(({ unit, byCoder }) => ({ responseId: unit.responseId, byCoder: byCoder.map(({ coderId, codes }) => ({ coder: names.get(coderId) ?? coderId, codes: [...codes] })) })),
      };
      return sendTable(response, query.format, `${params.surveyId}-${params.questionId}-agreement`, json, ['code_id', 'code_name', 'answers', 'percent_agreement', 'cohen_kappa', 'krippendorff_alpha'], rows);
    }
    response.render('reports/agreement', { target, result, names });
  });

  router.get('/:surveyId/cooccurrence/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themeQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    const result = coOccurrence(target);
    if (query.format !== 'html') {
      const json = { base: result.base, coverage: result.coverage, codes: result.codes.map((code) => code.codeId), counts: result.counts };
      return sendTable(response, query.format, `${params.surveyId}-${params.questionId}-cooccurrence`, json, ['code', ...result.codes.map((code) => code.codeId)], result.codes.map((code, index) => [code.codeId, ...result.counts[index]!]));
    }
    response.render('reports/cooccurrence', { target, result, counting });
  });

  router.get('/:surveyId/theme-report', async (request, response) => {
    const survey = surveyOf(validate(request, { params: surveyParams }).params.surveyId);
    const sections = [];
    for (const question of codedQuestions(survey)) {
      const target = await codingTarget(context, survey.id, question.id);
      const byCode = await quotesByCode(context, target, { exportOnly: true });
      sections.push({ target, summary: themeSummary(target), quotes: new Map(byCode.map(({ code, quotes }) => [code.codeId, quotes])) });
    }
    response.render('reports/theme-report', { survey, sections, counting });
  });

  router.get('/codebooks/:codebookId/qdc', async (request, response) => {
    const { params } = validate(request, { params: z.object({ codebookId: codeIdSchema }) });
    const codebook = await getCodebook(context.codebooks, params.codebookId);
    asDownload(response, `${codebook.id}.qdc`, 'xml').send(codebookToQdc(codebook.id, activeCodes(codebook)));
  });

  return router;
}
