import type { Router } from 'express';
import { z } from 'zod';
import { backOfficeRouter, signedInUser } from '../auth/guard.js';
import { coderNames } from '../auth/service.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { getCodebook } from '../codebooks/service.js';
import { BadRequestError } from '../http/errors.js';
import { responseReference } from '../surveys/responses/reference.js';
import { objectIdSchema, pathIdSchema, validate } from '../http/validate.js';
import { queueQuerySchema, queueUrl, queueView, reconcileAnswer } from './reconcile-queue.js';
import { addAssignment, removeAssignment, saveQuestionSettings } from './settings.js';
import { setupView, type LeadContext } from './setup-view.js';
import { codingTarget, openQuestion } from './target.js';

const questionParams = z.object({ surveyId: pathIdSchema, questionId: pathIdSchema });
const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : [value].flat());
const listOf = <T extends z.ZodType<string>>(item: T) =>
  z
    .union([item, z.array(item)])
    .optional()
    .transform(asList);
const optionalNumber = z
  .union([z.literal(''), z.coerce.number().int().min(1).max(10_000_000)])
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const setupBody = z.object({
  codebook: z.union([codeIdSchema, z.literal('')]).default(''),
  mode: z.enum(['independent', 'shared']),
  comparisonOpen: z.literal('1').optional(),
  reportCoder: z.union([objectIdSchema, z.literal('')]).default(''),
});
const assignmentBody = z.object({
  coders: listOf(objectIdSchema).pipe(z.array(objectIdSchema).min(1, 'Choose at least one analyst')),
  scope: z.enum(['all', 'group', 'country', 'range']),
  group: z.string().max(60).default(''),
  country: z.string().max(60).default(''),
  from: optionalNumber,
  to: optionalNumber,
  split: z.enum(['each', 'share']),
  overlap: z.coerce.number().int().min(0).max(100).default(0),
});
const finalBody = z.object({
  codebook: codeIdSchema,
  code: z.union([codeIdSchema, z.literal('')]).default(''),
  // "all", or the id of the coder whose codes to take; neither means the ticked boxes (none: no code applies).
  take: z.union([objectIdSchema, z.literal('all'), z.literal('')]).default(''),
  codes: listOf(codeIdSchema),
});

/** A lead's part of the back office: setting up each question, and reconciling disagreements. */
export function leadRoutes(context: LeadContext): Router {
  const router = backOfficeRouter('lead');
  const setupUrl = (surveyId: string, questionId: string) => `/lead/questions/${surveyId}/${questionId}`;

  router.get('/questions/:surveyId/:questionId', async (request, response) => {
    const { params, query } = validate(request, {
      params: questionParams,
      query: z.object({ saved: z.enum(['settings', 'assignment', 'removed']).optional() }),
    });
    const view = await setupView(context, params.surveyId, params.questionId);
    response.render('office/question-setup', { view, saved: query.saved });
  });

  router.post('/questions/:surveyId/:questionId', async (request, response) => {
    const { params, body } = validate(request, { params: questionParams, body: setupBody });
    openQuestion(context, params.surveyId, params.questionId);
    if (body.codebook) await getCodebook(context.codebooks, body.codebook);
    await saveQuestionSettings(context.coding, params.surveyId, params.questionId, {
      independent: body.mode === 'independent',
      comparisonOpen: body.comparisonOpen === '1',
      reportCoder: body.reportCoder || undefined,
      codebookId: body.codebook || undefined,
    });
    response.redirect(303, `${setupUrl(params.surveyId, params.questionId)}?saved=settings#settings`);
  });

  router.post('/questions/:surveyId/:questionId/assignments', async (request, response) => {
    const { params, body } = validate(request, { params: questionParams, body: assignmentBody });
    const view = await setupView(context, params.surveyId, params.questionId);
    const allowed = new Set(view.coders.map((coder) => coder.id));
    if (body.coders.some((id) => !allowed.has(id)))
      throw new BadRequestError('Assign answers only to enabled accounts that may code.');
    const scope =
      body.scope === 'group'
        ? { group: body.group }
        : body.scope === 'country'
          ? { country: body.country }
          : body.scope === 'range'
            ? { from: body.from, to: body.to }
            : {};
    const known = (field: 'group' | 'country', value: string) =>
      view.survey.profileChoices(field).some((choice) => choice.value === value);
    if (
      (body.scope === 'group' && !known('group', body.group)) ||
      (body.scope === 'country' && !known('country', body.country))
    )
      throw new BadRequestError('Choose a kind of respondent or a country from the list.');
    if (Object.values(scope).some((value) => value === '') || (body.scope === 'range' && !body.from && !body.to))
      throw new BadRequestError(
        'Say which answers: choose a kind of respondent, a country, or a range of answer numbers.',
      );
    await addAssignment(context.coding, params.surveyId, params.questionId, {
      coders: [...new Set(body.coders)],
      scope,
      split: body.split,
      overlap: body.overlap,
    });
    response.redirect(303, `${setupUrl(params.surveyId, params.questionId)}?saved=assignment#assignments`);
  });

  router.post('/questions/:surveyId/:questionId/assignments/:ruleId/remove', async (request, response) => {
    const { params } = validate(request, {
      params: questionParams.extend({ ruleId: z.string().regex(/^[a-f0-9]{12}$/) }),
    });
    await removeAssignment(context.coding, params.surveyId, params.questionId, params.ruleId);
    response.redirect(303, `${setupUrl(params.surveyId, params.questionId)}?saved=removed#assignments`);
  });

  router.get('/reconcile/:surveyId/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: queueQuerySchema });
    const target = await codingTarget(context, params.surveyId, params.questionId, query.codebook);
    response.render('office/reconcile', {
      view: await queueView(context, target, query),
      names: await coderNames(context.users),
    });
  });

  router.post('/reconcile/:surveyId/:questionId/:responseId', async (request, response) => {
    const { params, body } = validate(request, {
      params: questionParams.extend({ responseId: objectIdSchema }),
      body: finalBody,
    });
    const target = await codingTarget(context, params.surveyId, params.questionId, body.codebook);
    await reconcileAnswer(context, target, params.responseId, body.take ? { take: body.take } : { codes: body.codes });
    await context.audit({
      actor: signedInUser(request).email,
      action: 'reconcile',
      target: `${params.surveyId}/${params.questionId}`,
      detail: {
        response: responseReference(params.responseId),
        codebook: body.codebook,
        took: body.take === 'all' ? 'everyone' : body.take ? 'one coder' : `${body.codes.length} chosen codes`,
      },
    });
    const next = { codebook: body.codebook, code: body.code || undefined, done: params.responseId };
    response.redirect(303, queueUrl(params.surveyId, params.questionId, next));
  });

  return router;
}
