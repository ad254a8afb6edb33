import type { Router } from 'express';
import type { Model } from 'mongoose';
import { z } from 'zod';
import { backOfficeRouter, signedInUser } from '../auth/guard.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { applyCodeToAnswers, undoCodeBatch, type CodeBatch } from '../coding/bulk-actions.js';
import { codingTarget, type CodingDataContext } from '../coding/target.js';
import { BadRequestError } from '../http/errors.js';
import { objectIdSchema, pathIdSchema, validate } from '../http/validate.js';
import { MAX_LISTED, searchQuerySchema, searchUrl, searchView } from './search-service.js';

const questionParams = z.object({ surveyId: pathIdSchema, questionId: pathIdSchema });
/** The search the form came from, so the page after the step shows the same list. */
const searchFields = z.object({
  codebook: pathIdSchema.optional(),
  q: z.string().max(500).default(''),
  like: z.union([objectIdSchema, z.literal('')]).optional(),
});
const applyBody = searchFields.extend({
  code: codeIdSchema,
  // One ticked box arrives as a string, several as a list; none at all as nothing.
  responseIds: z
    .union([objectIdSchema, z.array(objectIdSchema).max(MAX_LISTED)])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
});
const undoBody = searchFields.extend({ batch: z.uuid() });

/** Code by search (mounted under `/work`): find answers, untick the wrong ones, code the rest in one step. */
export function searchRoutes(context: CodingDataContext, batches: Model<CodeBatch>): Router {
  const router = backOfficeRouter('analyst');

  router.get('/:surveyId/:questionId/search', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: searchQuerySchema });
    const user = signedInUser(request);
    const view = await searchView(context, batches, user, params.surveyId, params.questionId, query);
    response.render('office/code-by-search', { view, searchUrl, user });
  });

  router.post('/:surveyId/:questionId/search/apply', async (request, response) => {
    const { params, body } = validate(request, { params: questionParams, body: applyBody });
    if (body.responseIds.length === 0)
      throw new BadRequestError('Tick at least one answer to give the code to. Nothing was coded.');
    const target = await codingTarget(context, params.surveyId, params.questionId, body.codebook);
    const batch = await applyCodeToAnswers(
      context,
      batches,
      target,
      signedInUser(request),
      body.responseIds,
      body.code,
    );
    const { codebook, q, like } = body;
    response.redirect(
      303,
      searchUrl(params.surveyId, params.questionId, {
        codebook,
        q,
        like,
        done: batch?._id,
        unchanged: batch ? undefined : '1',
      }),
    );
  });

  router.post('/:surveyId/:questionId/search/undo', async (request, response) => {
    const { params, body } = validate(request, { params: questionParams, body: undoBody });
    const target = await codingTarget(context, params.surveyId, params.questionId, body.codebook);
    await undoCodeBatch(context, batches, target, signedInUser(request), body.batch);
    const { codebook, q, like } = body;
    response.redirect(303, searchUrl(params.surveyId, params.questionId, { codebook, q, like, undone: body.batch }));
  });

  return router;
}
