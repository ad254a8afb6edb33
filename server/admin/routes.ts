import type { Request, Router } from 'express';
import { z } from 'zod';
import { backOfficeRouter, signedInUser } from '../auth/guard.js';
import { coderNames, createUser, setAccess } from '../auth/service.js';
import { roles } from '../auth/roles.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { memosByAnswer } from '../coding/memos-service.js';
import { exportableQuotes } from '../coding/quotes-service.js';
import { codingTarget } from '../coding/target.js';
import { asDownload, streamDownload } from '../http/download.js';
import { objectIdSchema, pathIdSchema, validate } from '../http/validate.js';
import { londonDay } from '../surveys/london-time.js';
import { datesInputSchema } from '../surveys/schedule.js';
import { findSurvey } from '../surveys/registry.js';
import { surveyStatus } from '../reports/monitoring.js';
import { surveyQdpx } from '../reports/project.js';
import { allResponsesCsv, allResponsesJson, codedAnswersCsv, quotesCsv } from './exports.js';
import { adminOverview, type AdminContext } from './service.js';

const surveyParams = z.object({ surveyId: pathIdSchema });
const questionParams = surveyParams.extend({ questionId: pathIdSchema });
const codebookQuery = z.object({ codebook: codeIdSchema.optional() });

/**
 * The review team's back office: accounts, survey dates, and every download of raw data (responses,
 * codings, quotes). Only admins pass this router's guard; leads set up questions under /lead.
 */
export function adminRoutes(context: AdminContext): Router {
  const router = backOfficeRouter('admin');
  const surveyOf = (surveyId: string) => findSurvey(context.surveys, surveyId);
  const by = (request: Request) => signedInUser(request).email;
  /** Every download of raw data is in the audit trail: who, what and when. */
  const downloaded = (request: Request, action: string, target: string, detail: Record<string, string>) =>
    context.audit({ actor: by(request), action, target, detail });

  router.get('/', async (request, response) => {
    const { query } = validate(request, {
      query: z.object({ saved: pathIdSchema.optional(), account: objectIdSchema.optional() }),
    });
    const overview = await adminOverview(context);
    // After an account is added or changed, say so beside it.
    const account = overview.accounts.find((entry) => entry.id === query.account);
    // After new dates are saved, say plainly whether the survey is now open or closed.
    const saved = overview.surveys.find((entry) => entry.survey.id === query.saved);
    const notice = saved && `${saved.survey.definition.title.en}: ${surveyStatus(saved.dates, context.now()).message}`;
    response.render('office/admin', { ...overview, roles, londonDay, notice, account });
  });

  router.post('/users', async (request, response) => {
    const { body } = validate(request, {
      body: z.object({ email: z.string(), password: z.string(), role: z.enum(roles) }),
    });
    const created = await createUser(context.users, body);
    await context.audit({
      actor: by(request),
      action: 'user.created',
      target: created.email,
      detail: { role: created.role },
    });
    response.redirect(303, `/admin?account=${created.id}#user-${created.id}`);
  });

  router.post('/users/:userId', async (request, response) => {
    const { params, body } = validate(request, {
      params: z.object({ userId: objectIdSchema }),
      body: z.object({ role: z.enum(roles), disabled: z.literal('1').optional() }),
    });
    const changed = await setAccess(context.users, {
      userId: params.userId,
      role: body.role,
      disabled: body.disabled === '1',
    });
    await context.audit({
      actor: by(request),
      action: 'user.changed',
      target: changed.email,
      detail: { role: changed.role, disabled: changed.disabled },
    });
    response.redirect(303, `/admin?account=${params.userId}#user-${params.userId}`);
  });

  router.post('/surveys/:surveyId/dates', async (request, response) => {
    const { params, body } = validate(request, { params: surveyParams, body: datesInputSchema });
    await context.schedules.setDates(surveyOf(params.surveyId), body, by(request));
    await context.audit({
      actor: by(request),
      action: 'survey.dates',
      target: params.surveyId,
      detail: { opens: body.opens, closes: body.closes },
    });
    response.redirect(303, `/admin?saved=${params.surveyId}#surveys`);
  });

  router.get('/quotes/:surveyId/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: codebookQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    await downloaded(request, 'download.quotes', `${params.surveyId}/${params.questionId}`, {
      format: 'csv',
      codebook: target.codebook.id,
    });
    await streamDownload(
      response,
      `quotes-${params.surveyId}-${params.questionId}.csv`,
      'csv',
      quotesCsv(await exportableQuotes(context, target)),
    );
  });

  router.get('/exports/:surveyId/responses.csv', async (request, response) => {
    const survey = surveyOf(validate(request, { params: surveyParams }).params.surveyId);
    await downloaded(request, 'download.responses', survey.id, { format: 'csv' });
    await streamDownload(response, `${survey.id}-responses.csv`, 'csv', allResponsesCsv(context, survey));
  });

  router.get('/exports/:surveyId/responses.json', async (request, response) => {
    const survey = surveyOf(validate(request, { params: surveyParams }).params.surveyId);
    await downloaded(request, 'download.responses', survey.id, { format: 'json' });
    await streamDownload(response, `${survey.id}-responses.json`, 'json', allResponsesJson(context, survey));
  });

  // The survey's coded answers as a REFI-QDA project, for QualCoder, NVivo, ATLAS.ti or MAXQDA.
  router.get('/exports/:surveyId/project.qdpx', async (request, response) => {
    const survey = surveyOf(validate(request, { params: surveyParams }).params.surveyId);
    const { filename, zip } = await surveyQdpx(context, survey);
    await downloaded(request, 'download.project', survey.id, { format: 'qdpx' });
    asDownload(response, filename, 'zip').send(Buffer.from(zip));
  });

  router.get('/exports/:surveyId/:questionId/codings.csv', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: codebookQuery });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    await downloaded(request, 'download.codings', `${params.surveyId}/${params.questionId}`, {
      format: 'csv',
      codebook: target.codebook.id,
    });
    await streamDownload(
      response,
      `${params.surveyId}-${params.questionId}-codings.csv`,
      'csv',
      codedAnswersCsv(target, await coderNames(context.users), await memosByAnswer(context, target)),
    );
  });

  return router;
}
