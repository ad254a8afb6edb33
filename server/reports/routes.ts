import type { Router } from 'express';
import { z } from 'zod';
import { backOfficeRouter } from '../auth/guard.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { codingTarget } from '../coding/target.js';
import { asDownload } from '../http/download.js';
import { NotFoundError } from '../http/errors.js';
import { pathIdSchema, validate } from '../http/validate.js';
import type { Survey } from '../surveys/registry.js';
import { filtersSchema } from './distributions.js';
import { sendOutput, type ReportContext } from './output.js';
import { agreementOutput } from './outputs/agreement.js';
import { closedQuestionsOutput } from './outputs/closed-questions.js';
import { codebookQdc } from './outputs/codebook.js';
import { coOccurrenceOutput } from './outputs/cooccurrence.js';
import { profileOutput } from './outputs/profile.js';
import { quotesOutput } from './outputs/quotes.js';
import { themeReport } from './outputs/theme-report.js';
import { themeSummaryOutput } from './outputs/themes.js';

const formatQuery = z.object({ format: z.enum(['html', 'csv', 'json']).default('html') });
const themeQuery = formatQuery.extend({
  codebook: codeIdSchema.optional(),
  by: z.enum(['group', 'country']).optional(),
});
const surveyParams = z.object({ surveyId: pathIdSchema });
const questionParams = surveyParams.extend({ questionId: pathIdSchema });

/** The review team's outputs: each a printable page with charts, and a CSV and JSON download. */
export function reportRoutes(context: ReportContext): Router {
  const router = backOfficeRouter('analyst');
  const surveyOf = (surveyId: string): Survey => {
    const survey = context.surveys.get(surveyId);
    if (!survey) throw new NotFoundError();
    return survey;
  };

  router.get('/', (_request, response) => {
    const surveys = [...context.surveys.values()].map((survey) => ({
      survey,
      questions: survey.openQuestions().filter((question) => question.codedWith),
    }));
    response.render('reports/index', { surveys });
  });

  router.get('/:surveyId/profile', async (request, response) => {
    const { params, query } = validate(request, { params: surveyParams, query: formatQuery });
    sendOutput(response, query.format, await profileOutput(context, surveyOf(params.surveyId)));
  });

  router.get('/:surveyId/questions', async (request, response) => {
    const { params, query } = validate(request, {
      params: surveyParams,
      query: formatQuery.extend(filtersSchema.shape),
    });
    sendOutput(response, query.format, await closedQuestionsOutput(context, surveyOf(params.surveyId), query));
  });

  router.get('/:surveyId/themes/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themeQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    sendOutput(response, query.format, await themeSummaryOutput(context, target, query.by));
  });

  router.get('/:surveyId/quotes/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themeQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    sendOutput(response, query.format, await quotesOutput(context, target, query.format !== 'html'));
  });

  router.get('/:surveyId/agreement/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themeQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    sendOutput(response, query.format, await agreementOutput(context, target));
  });

  router.get('/:surveyId/cooccurrence/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themeQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    sendOutput(response, query.format, coOccurrenceOutput(target));
  });

  router.get('/:surveyId/theme-report', async (request, response) => {
    const { params } = validate(request, { params: surveyParams });
    response.render('reports/theme-report', await themeReport(context, surveyOf(params.surveyId)));
  });

  router.get('/codebooks/:codebookId/qdc', async (request, response) => {
    const { params } = validate(request, { params: z.object({ codebookId: codeIdSchema }) });
    const { filename, xml } = await codebookQdc(context, params.codebookId);
    asDownload(response, filename, 'xml').send(xml);
  });

  return router;
}
