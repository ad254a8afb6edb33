import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { currentUser } from '../auth/access.js';
import { csrfProtection } from '../auth/csrf.js';
import type { SessionUser } from '../auth/user-model.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { listCodebooks } from '../codebooks/service.js';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import {
  codingTarget,
  objectIdSchema,
  saveMemo,
  setRedaction,
  setSpanCode,
  spanSchema,
  toggleStar,
  toggleWholeCode,
  workbenchQuerySchema,
  workbenchUrl,
  workbenchView,
  type CodingContext,
  type CodingTarget,
} from './workbench-service.js';

const questionParams = z.object({ surveyId: z.string().max(64), questionId: z.string().max(64) });
const answerParams = questionParams.extend({ responseId: objectIdSchema });
/** Every workbench form sends back the view it came from, so filters survive the round trip. */
const viewField = z.object({ view: z.string().max(2000).default('') });

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data;
}

function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new BadRequestError(`The form was not filled in as expected: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'form'}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}

export function codingRoutes(context: CodingContext): Router {
  const router = Router();
  router.use(['/work', '/work/*path'], csrfProtection);

  router.get('/work', async (_request, response) => {
    const surveys = [...context.surveys.values()].map((survey) => ({
      survey,
      questions: survey.questions.filter((question) => question.type === 'text'),
    }));
    response.render('office/work-index', { surveys, codebooks: await listCodebooks(context.codebooks) });
  });

  router.get('/work/:surveyId/:questionId', async (request, response) => {
    const { surveyId, questionId } = parse(questionParams, request.params);
    const query = workbenchQuerySchema.safeParse(request.query);
    const user = currentUser(request.user)!;
    const view = await workbenchView(context, user, surveyId, questionId, query.success ? query.data : {});
    response.render('office/workbench', { view, workbenchUrl, user });
  });

  /** Runs one change on one answer, then shows that answer again in the same view. */
  const onAnswer =
    <T extends z.ZodType>(bodySchema: T, change: (target: CodingTarget, user: SessionUser, responseId: string, body: z.infer<T>) => Promise<unknown>) =>
    async (request: Request, response: Response) => {
      const { surveyId, questionId, responseId } = parse(answerParams, request.params);
      const { view } = parseBody(viewField, request.body);
      const body = parseBody(bodySchema, request.body);
      const query = workbenchQuerySchema.safeParse(Object.fromEntries(new URLSearchParams(view)));
      const filters = query.success ? query.data : {};
      const target = await codingTarget(context, surveyId, questionId, filters.codebook);
      await change(target, currentUser(request.user)!, responseId, body);
      response.redirect(303, workbenchUrl(surveyId, questionId, { ...filters, at: responseId }));
    };

  const codeField = z.object({ code: codeIdSchema });
  router.post(
    '/work/:surveyId/:questionId/:responseId/codes',
    onAnswer(codeField, (target, user, responseId, { code }) => toggleWholeCode(context, target, user, responseId, code)),
  );
  const spanFields = codeField.extend({ remove: z.literal('1').optional() }).and(spanSchema);
  router.post(
    '/work/:surveyId/:questionId/:responseId/spans',
    onAnswer(spanFields, (target, user, responseId, body) => setSpanCode(context, target, user, responseId, body.code, body, body.remove !== '1')),
  );
  router.post(
    '/work/:surveyId/:questionId/:responseId/memo',
    onAnswer(z.object({ memo: z.string().max(5000).default('') }), (target, user, responseId, { memo }) => saveMemo(context, target, user, responseId, memo)),
  );
  router.post(
    '/work/:surveyId/:questionId/:responseId/star',
    onAnswer(z.object({}), (target, user, responseId) => toggleStar(context, target, user, responseId)),
  );
  const redactionFields = z.object({ remove: z.literal('1').optional() }).and(spanSchema);
  router.post(
    '/work/:surveyId/:questionId/:responseId/redactions',
    onAnswer(redactionFields, (target, _user, responseId, body) => setRedaction(context, target, responseId, body, body.remove !== '1')),
  );

  return router;
}
