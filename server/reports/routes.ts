import { Router, type Response } from 'express';
import { z } from 'zod';
import type { UserModel } from '../auth/user-model.js';
import { csrfProtection } from '../auth/csrf.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { activeCodes, getCodebook } from '../codebooks/service.js';
import { codingTarget, type CodingContext } from '../coding/workbench-service.js';
import { csvRow } from '../http/csv.js';
import { NotFoundError } from '../http/errors.js';
import type { ResponseModel } from '../responses/model.js';
import type { Survey } from '../surveys/registry.js';
import { barChart, percentOf } from './charts.js';
import { closedQuestionDistributions, filtersSchema, respondentProfile, validFilters, type Distribution } from './distributions.js';
import { streamCodedAnswersCsv, streamResponsesCsv, streamResponsesJson, submittedResponses } from './exports.js';
import { codebookToQdc } from './qdc.js';
import { coOccurrence, questionAgreement, quotesByCode, themeSummary } from './themes.js';

const formatSchema = z.object({ format: z.enum(['html', 'csv', 'json']).default('html') });
const themeQuery = z.object({ codebook: codeIdSchema.optional(), by: z.enum(['group', 'country']).optional() });
const surveyParams = z.object({ surveyId: z.string().max(64) });
const questionParams = surveyParams.extend({ questionId: z.string().max(64) });

export interface ReportContext extends CodingContext {
  responses: ResponseModel;
  users: UserModel;
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data;
}

function download(response: Response, filename: string, type: 'csv' | 'json'): Response {
  return response.attachment(filename).type(type === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
}

/** A one-off download of a small table: header row plus rows, or the same data as JSON. */
function sendTable(response: Response, format: 'csv' | 'json', filename: string, json: unknown, header: unknown[], rows: unknown[][]): void {
  if (format === 'json') {
    download(response, `${filename}.json`, 'json').send(JSON.stringify(json, null, 2));
    return;
  }
  download(response, `${filename}.csv`, 'csv').send([header, ...rows].map(csvRow).join(''));
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
  const router = Router();
  router.use(['/reports', '/reports/*path'], csrfProtection);
  const surveyOf = (surveyId: string): Survey => {
    const survey = context.surveys.get(surveyId);
    if (!survey) throw new NotFoundError();
    return survey;
  };
  const codedQuestions = (survey: Survey) => survey.questions.filter((question) => question.type === 'text' && question.codedWith);

  router.get('/reports', (_request, response) => {
    response.render('reports/index', { surveys: [...context.surveys.values()].map((survey) => ({ survey, questions: codedQuestions(survey) })) });
  });

  router.get('/reports/:surveyId/profile', async (request, response) => {
    const survey = surveyOf(parse(surveyParams, request.params).surveyId);
    const { format } = parse(formatSchema, request.query);
    const profile = await respondentProfile(context.responses, survey);
    if (format !== 'html') return sendTable(response, format, `${survey.id}-profile`, profile, ['question', 'value', 'label', 'count', 'percent', 'base'], profile.distributions.flatMap(distributionRows));
    response.render('reports/profile', { survey, total: profile.total, items: withCharts(profile.distributions, `Respondents to the ${survey.definition.title.en}`) });
  });

  router.get('/reports/:surveyId/questions', async (request, response) => {
    const survey = surveyOf(parse(surveyParams, request.params).surveyId);
    const { format } = parse(formatSchema, request.query);
    const filters = validFilters(survey, filtersSchema.catch({}).parse(request.query));
    const result = await closedQuestionDistributions(context.responses, survey, filters);
    if (format !== 'html') return sendTable(response, format, `${survey.id}-closed-questions`, { filters, ...result }, ['question', 'value', 'label', 'count', 'percent', 'base'], result.distributions.flatMap(distributionRows));
    response.render('reports/questions', { survey, filters, total: result.total, items: withCharts(result.distributions, 'Closed question') });
  });

  router.get('/reports/:surveyId/themes/:questionId', async (request, response) => {
    const { surveyId, questionId } = parse(questionParams, request.params);
    const { format } = parse(formatSchema, request.query);
    const { codebook, by } = themeQuery.catch({}).parse(request.query);
    const target = await codingTarget(context, surveyId, questionId, codebook);
    const summary = await themeSummary(context, target, by);
    if (format !== 'html') {
      const columns = summary.crossTab?.columns ?? [];
      const header = ['code_id', 'code_name', 'count', 'percent', 'base', ...columns.flatMap((column) => [`${column.label}: count`, `${column.label}: column %`])];
      const rows = summary.rows.map((row) => [
        row.code.codeId,
        row.code.name,
        row.count,
        row.percent.toFixed(1),
        summary.base,
        ...columns.flatMap((column, index) => {
          const count = summary.crossTab!.counts.get(row.code.codeId)![index]!;
          return [count, percentOf(count, column.base).toFixed(1)];
        }),
      ]);
      const json = { ...summary, rows: summary.rows.map((row) => ({ codeId: row.code.codeId, name: row.code.name, count: row.count, percent: row.percent })), crossTab: summary.crossTab && { ...summary.crossTab, counts: Object.fromEntries(summary.crossTab.counts) } };
      return sendTable(response, format, `${surveyId}-${questionId}-themes${by ? `-by-${by}` : ''}`, json, header, rows);
    }
    const chart = barChart({
      id: 'themes',
      title: `Themes in answers to: ${target.question.text.en}`,
      description: `Base: ${summary.base} respondents who answered. ${summary.rows.map((row) => `${row.code.name}: ${row.count} (${row.percent.toFixed(0)}%)`).join('; ')}.`,
      bars: summary.rows.map((row) => ({ label: row.code.name, count: row.count, percent: row.percent })),
    });
    const coderEmail = summary.coder ? (await context.users.findById(summary.coder, { email: 1 }).lean())?.email : undefined;
    response.render('reports/themes', { target, summary, chart, by, coderEmail, percentOf });
  });

  router.get('/reports/:surveyId/quotes/:questionId', async (request, response) => {
    const { surveyId, questionId } = parse(questionParams, request.params);
    const { format } = parse(formatSchema, request.query);
    const { codebook } = themeQuery.catch({}).parse(request.query);
    const target = await codingTarget(context, surveyId, questionId, codebook);
    // Downloads carry only starred quotes: the ones reviewed for redaction.
    const byCode = await quotesByCode(context, target, { exportOnly: format !== 'html' });
    if (format !== 'html') {
      const flat = byCode.flatMap(({ code, quotes }) => quotes.map((quote) => ({ codeId: code.codeId, codeName: code.name, ...quote, attribution: `(${quote.attribution})` })));
      return sendTable(response, format, `${surveyId}-${questionId}-quotes`, flat, ['code_id', 'code_name', 'quote', 'attribution', 'response_id'], flat.map((quote) => [quote.codeId, quote.codeName, quote.text, quote.attribution, quote.responseId]));
    }
    response.render('reports/quotes', { target, byCode });
  });

  router.get('/reports/:surveyId/agreement/:questionId', async (request, response) => {
    const { surveyId, questionId } = parse(questionParams, request.params);
    const { format } = parse(formatSchema, request.query);
    const { codebook } = themeQuery.catch({}).parse(request.query);
    const target = await codingTarget(context, surveyId, questionId, codebook);
    const result = questionAgreement(target);
    const users = await context.users.find({}, { email: 1 }).lean();
    const names = new Map(users.map((user) => [String(user._id), user.email]));
    if (format !== 'html') {
      const rows = [['overall', 'All codes', result.overall], ...result.perCode.map(({ code, result: r }) => [code.codeId, code.name, r] as const)].map(([id, name, r]) => {
        const stats = r as typeof result.overall;
        return [id, name, result.units, stats.percentAgreement, stats.cohenKappa, stats.krippendorffAlpha];
      });
      const json = { coders: result.coders.map((id) => names.get(id) ?? id), units: result.units, overall: result.overall, perCode: result.perCode.map(({ code, result: r }) => ({ codeId: code.codeId, ...r })), disagreements: result.disagreements.map(({ unit, byCoder }) => ({ responseId: unit.responseId, byCoder: byCoder.map(({ coderId, codes }) => ({ coder: names.get(coderId) ?? coderId, codes: [...codes] })) })) };
      return sendTable(response, format, `${surveyId}-${questionId}-agreement`, json, ['code_id', 'code_name', 'answers', 'percent_agreement', 'cohen_kappa', 'krippendorff_alpha'], rows);
    }
    response.render('reports/agreement', { target, result, names });
  });

  router.get('/reports/:surveyId/cooccurrence/:questionId', async (request, response) => {
    const { surveyId, questionId } = parse(questionParams, request.params);
    const { format } = parse(formatSchema, request.query);
    const { codebook } = themeQuery.catch({}).parse(request.query);
    const target = await codingTarget(context, surveyId, questionId, codebook);
    const result = await coOccurrence(context, target);
    if (format !== 'html') {
      const json = { base: result.base, codes: result.codes.map((code) => code.codeId), counts: result.counts };
      return sendTable(response, format, `${surveyId}-${questionId}-cooccurrence`, json, ['code', ...result.codes.map((code) => code.codeId)], result.codes.map((code, index) => [code.codeId, ...result.counts[index]!]));
    }
    response.render('reports/cooccurrence', { target, result });
  });

  router.get('/reports/:surveyId/theme-report', async (request, response) => {
    const survey = surveyOf(parse(surveyParams, request.params).surveyId);
    const sections = [];
    for (const question of codedQuestions(survey)) {
      const target = await codingTarget(context, survey.id, question.id);
      const [summary, byCode] = await Promise.all([themeSummary(context, target), quotesByCode(context, target, { exportOnly: true })]);
      sections.push({ target, summary, quotes: new Map(byCode.map(({ code, quotes }) => [code.codeId, quotes])) });
    }
    response.render('reports/theme-report', { survey, sections });
  });

  router.get('/reports/codebooks/:codebookId/qdc', async (request, response) => {
    const { codebookId } = parse(z.object({ codebookId: codeIdSchema }), request.params);
    const codebook = await getCodebook(context.codebooks, codebookId);
    const xml = codebookToQdc(codebook.id, activeCodes(codebook));
    response.attachment(`${codebook.id}.qdc`).type('application/xml; charset=utf-8').send(xml);
  });

  return router;
}

/** Raw data leaves only through the admin: every response, and every coding with its coder. */
export function exportRoutes(context: ReportContext): Router {
  const router = Router();
  router.get('/admin/exports/:surveyId/responses.csv', async (request, response) => {
    const survey = context.surveys.get(parse(surveyParams, request.params).surveyId);
    if (!survey) throw new NotFoundError();
    download(response, `${survey.id}-responses.csv`, 'csv');
    await streamResponsesCsv(submittedResponses(context.responses, survey), survey, response);
    response.end();
  });
  router.get('/admin/exports/:surveyId/responses.json', async (request, response) => {
    const survey = context.surveys.get(parse(surveyParams, request.params).surveyId);
    if (!survey) throw new NotFoundError();
    download(response, `${survey.id}-responses.json`, 'json');
    await streamResponsesJson(context.responses, survey, response);
    response.end();
  });
  router.get('/admin/exports/:surveyId/:questionId/codings.csv', async (request, response) => {
    const { surveyId, questionId } = parse(questionParams, request.params);
    const { codebook } = themeQuery.catch({}).parse(request.query);
    const target = await codingTarget(context, surveyId, questionId, codebook);
    const users = await context.users.find({}, { email: 1 }).lean();
    download(response, `${surveyId}-${questionId}-codings.csv`, 'csv');
    await streamCodedAnswersCsv(target, new Map(users.map((user) => [String(user._id), user.email])), response);
    response.end();
  });
  return router;
}
