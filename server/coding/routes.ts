import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { backOfficeRouter, signedInUser } from '../auth/guard.js';
import type { SessionUser } from '../auth/roles.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { AppError } from '../http/errors.js';
import { wantsJson } from '../http/negotiate.js';
import { objectIdSchema, parseQuery, pathIdSchema, validate } from '../http/validate.js';
import {
  redactionSchema,
  saveMemo,
  setNoCode,
  setRedaction,
  setSpanCode,
  setStar,
  setWholeCode,
  spanSchema,
} from './actions.js';
import { answerState } from './answer-state.js';
import { redactionMatches } from './redaction.js';
import { codingTarget, unitOf, type CodingContext, type CodingTarget } from './target.js';
import { workOverview } from './work-overview.js';
import { workbenchQuerySchema, workbenchUrl, workbenchView } from './workbench-view.js';

const questionParams = z.object({ surveyId: pathIdSchema, questionId: pathIdSchema });
const answerParams = questionParams.extend({ responseId: objectIdSchema });
/** Every workbench form sends back the view it came from, so filters survive the round trip. */
const viewField = z.object({
  view: z.string().max(2000).default(''),
  // A form on an output page (the quotes) returns there instead; only to a results page of this site.
  next: z
    .string()
    .max(500)
    .regex(/^\/reports\/[a-z0-9]/, 'The page to return to must be a results page of this site')
    .optional(),
});
const onOff = z.enum(['1', '0']).transform((value) => value === '1');

/** The coding workbench: analysts code answers one at a time. */
export function codingRoutes(context: CodingContext): Router {
  const router = backOfficeRouter('analyst');

  router.get('/', async (request, response) => {
    const user = signedInUser(request);
    response.render('office/work-index', { overview: await workOverview(context, user), user });
  });

  router.get('/:surveyId/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: workbenchQuerySchema });
    const user = signedInUser(request);
    const view = await workbenchView(context, user, params.surveyId, params.questionId, query);
    response.render('office/workbench', { view, workbenchUrl, user });
  });

  /** Reads an answer form: the answer, the view to return to, and the coding target it belongs to. */
  async function answerForm<T extends z.ZodType>(request: Request, bodySchema: T) {
    const { params, body } = validate(request, { params: answerParams, body: viewField.and(bodySchema) });
    const filters = parseQuery(workbenchQuerySchema, Object.fromEntries(new URLSearchParams(body.view)));
    const target = await codingTarget(context, params.surveyId, params.questionId, filters.codebook);
    const back = body.next ?? workbenchUrl(params.surveyId, params.questionId, { ...filters, at: params.responseId });
    return {
      params,
      body: body as z.infer<T>,
      view: body.view,
      next: body.next,
      back,
      filters,
      target,
      user: signedInUser(request),
    };
  }

  /**
   * Runs one change on one answer, then shows that answer again in the same view: as a page, or,
   * for the workbench script (which asks for JSON), as the answer's new state to update the page from.
   */
  const onAnswer =
    <T extends z.ZodType>(
      bodySchema: T,
      change: (target: CodingTarget, user: SessionUser, responseId: string, body: z.infer<T>) => Promise<unknown>,
    ) =>
    async (request: Request, response: Response) => {
      const { params, body, back, target, user } = await answerForm(request, bodySchema);
      await change(target, user, params.responseId, body);
      if (wantsJson(request)) response.json(await answerState(context, target, user, params.responseId, back));
      else response.redirect(303, back);
    };

  router.post(
    '/:surveyId/:questionId/:responseId/codes',
    onAnswer(z.object({ code: codeIdSchema, present: onOff }), (target, user, responseId, body) =>
      setWholeCode(context, target, user, responseId, body.code, body.present),
    ),
  );
  router.post(
    '/:surveyId/:questionId/:responseId/no-code',
    onAnswer(z.object({ present: onOff }), (target, user, responseId, body) =>
      setNoCode(context, target, user, responseId, body.present),
    ),
  );
  router.post(
    '/:surveyId/:questionId/:responseId/spans',
    onAnswer(
      z.object({ code: codeIdSchema, remove: z.literal('1').optional() }).and(spanSchema),
      (target, user, responseId, body) =>
        setSpanCode(context, target, user, responseId, body.code, body, body.remove !== '1'),
    ),
  );
  router.post(
    '/:surveyId/:questionId/:responseId/memo',
    onAnswer(z.object({ memo: z.string().max(5000).default('') }), (target, user, responseId, { memo }) =>
      saveMemo(context, target, user, responseId, memo),
    ),
  );
  router.post(
    '/:surveyId/:questionId/:responseId/star',
    onAnswer(z.object({ starred: onOff }), (target, user, responseId, body) =>
      setStar(context, target, user, responseId, body.starred),
    ),
  );

  // Adding a redaction first shows every place the words occur; the analyst confirms what they see.
  router.post('/:surveyId/:questionId/:responseId/redactions', async (request, response) => {
    const { params, body, view, next, back, target } = await answerForm(request, redactionSchema);
    if (body.remove !== '1' && body.confirm !== '1') {
      const unit = unitOf(target, params.responseId);
      const matches = redactionMatches(unit.text, [body.words]);
      const locals = { target, unit, words: body.words, matches, view, back, next };
      if (matches.length === 0)
        throw new AppError(400, `"${body.words}" is not in this answer.`, 'error.badRequest.title', {
          view: 'office/redaction-preview',
          locals,
        });
      response.render('office/redaction-preview', locals);
      return;
    }
    await setRedaction(context, target, params.responseId, body.words, body.remove !== '1');
    response.redirect(303, back);
  });

  return router;
}
