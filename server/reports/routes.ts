import type { Request, Router } from 'express';
import { z } from 'zod';
import { backOfficeRouter, currentUser, signedInUser } from '../auth/guard.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { mayCompareCoders } from '../coding/settings.js';
import { codingTarget } from '../coding/target.js';
import { asDownload } from '../http/download.js';
import { pathIdSchema, validate } from '../http/validate.js';
import { findSurvey } from '../surveys/registry.js';
import { filtersSchema } from './distributions.js';
import { outputFormats, sendOutput, type ReportContext } from './output.js';
import { agreementOutput } from './outputs/agreement.js';
import { closedQuestionsOutput } from './outputs/closed-questions.js';
import { codebookQdc } from './outputs/codebook.js';
import { coOccurrenceOutput } from './outputs/cooccurrence.js';
import { profileOutput } from './outputs/profile.js';
import { quotesOutput } from './outputs/quotes.js';
import { monitoringOutput } from './outputs/monitoring.js';
import { surveyHome, surveyList } from './outputs/survey-home.js';
import { surveyReport } from './outputs/survey-report.js';
import { themeSummaryOutput } from './outputs/themes.js';

const formatQuery = z.object({ format: z.enum(outputFormats).default('html'), chart: z.string().max(80).optional() });
const themeQuery = formatQuery.extend({ codebook: codeIdSchema.optional(), by: z.string().max(60).optional() });
const surveyParams = z.object({ surveyId: pathIdSchema });
const questionParams = surveyParams.extend({ questionId: pathIdSchema });

/** The review team's outputs: each a printable page with charts, and a CSV and JSON download. */
export function reportRoutes(context: ReportContext): Router {
  const router = backOfficeRouter('analyst');
  const surveyOf = (surveyId: string) => findSurvey(context.surveys, surveyId);
  const audited = (request: Request, action: string, target: string, detail: Record<string, string>) =>
    context.audit({ actor: signedInUser(request).email, action, target, detail });

  router.get('/', async (_request, response) => {
    response.render('reports/index', { surveys: await surveyList(context) });
  });

  router.get('/:surveyId', async (request, response) => {
    const { params } = validate(request, { params: surveyParams });
    response.render('reports/survey', await surveyHome(context, surveyOf(params.surveyId)));
  });

  router.get('/:surveyId/monitoring', async (request, response) => {
    const { params, query } = validate(request, { params: surveyParams, query: formatQuery });
    await sendOutput(response, query.format, await monitoringOutput(context, surveyOf(params.surveyId)), query.chart);
  });

  router.get('/:surveyId/profile', async (request, response) => {
    const { params, query } = validate(request, { params: surveyParams, query: formatQuery });
    await sendOutput(response, query.format, await profileOutput(context, surveyOf(params.surveyId)), query.chart);
  });

  router.get('/:surveyId/questions', async (request, response) => {
    const { params, query } = validate(request, {
      params: surveyParams,
      query: formatQuery.extend(filtersSchema.shape),
    });
    await sendOutput(
      response,
      query.format,
      await closedQuestionsOutput(context, surveyOf(params.surveyId), query),
      query.chart,
    );
  });

  router.get('/:surveyId/themes/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themeQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    await sendOutput(response, query.format, await themeSummaryOutput(context, target, query.by), query.chart);
  });

  router.get('/:surveyId/quotes/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themeQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    const output = await quotesOutput(context, target, query.format !== 'html', signedInUser(request));
    // A download of the quotes holds answer text: recorded, as the admin's quotes download is.
    if (query.format !== 'html')
      await audited(request, 'download.quotes', `${params.surveyId}/${params.questionId}`, {
        format: query.format,
        codebook: target.codebook.id,
      });
    await sendOutput(response, query.format, output, query.chart);
  });

  router.get('/:surveyId/agreement/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themeQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    const showCodes = mayCompareCoders(currentUser(request), target.settings);
    await sendOutput(response, query.format, await agreementOutput(context, target, showCodes), query.chart);
  });

  router.get('/:surveyId/cooccurrence/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themeQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    await sendOutput(response, query.format, coOccurrenceOutput(target), query.chart);
  });

  router.get('/:surveyId/report', async (request, response) => {
    const { params } = validate(request, { params: surveyParams });
    const report = await surveyReport(context, surveyOf(params.surveyId), signedInUser(request));
    // The report quotes answers: who took one is recorded.
    await audited(request, 'download.report', params.surveyId, {});
    response.render('reports/report', report);
  });

  // The report's earlier address, kept for bookmarks.
  router.get('/:surveyId/theme-report', (request, response) => {
    const { params } = validate(request, { params: surveyParams });
    response.redirect(301, `/reports/${surveyOf(params.surveyId).id}/report`);
  });

  router.get('/codebooks/:codebookId/qdc', async (request, response) => {
    const { params } = validate(request, { params: z.object({ codebookId: codeIdSchema }) });
    const { filename, xml } = await codebookQdc(context, params.codebookId);
    asDownload(response, filename, 'xml').send(xml);
  });

  return router;
}
