import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '../auth/access.js';
import { csrfProtection } from '../auth/csrf.js';
import { createUser } from '../auth/service.js';
import { roles, type UserModel } from '../auth/user-model.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { settingsKey } from '../coding/model.js';
import { exportableQuotes } from '../coding/quotes-service.js';
import { disagreements, recordFinalCoding } from '../coding/reconcile-service.js';
import { codingTarget, objectIdSchema, questionSettings, type CodingContext } from '../coding/workbench-service.js';
import { csvRow } from '../http/csv.js';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import type { SurveySchedules } from '../surveys/schedule.js';

const questionParams = z.object({ surveyId: z.string().max(64), questionId: z.string().max(64) });
const codebookQuery = z.object({ codebook: codeIdSchema.optional() });

function parse<T extends z.ZodType>(schema: T, value: unknown, error: Error = new NotFoundError()): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw error;
  return parsed.data;
}

const asList = (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The review team's back office: accounts, survey dates, coding modes, reconciliation and quote exports. */
export function adminRoutes(context: CodingContext & { users: UserModel; schedules: SurveySchedules }): Router {
  const router = Router();
  router.use(['/admin', '/admin/*path'], csrfProtection);

  router.get('/admin', async (_request, response) => {
    const users = await context.users.find({}, { email: 1, role: 1 }).sort({ email: 1 }).lean();
    const surveys = await Promise.all(
      [...context.surveys.values()].map(async (survey) => ({
        survey,
        dates: await context.schedules.datesOf(survey),
        questions: await Promise.all(
          survey.questions
            .filter((question) => question.type === 'text')
            .map(async (question) => ({ question, settings: await questionSettings(context, survey.id, question.id) })),
        ),
      })),
    );
    response.render('office/admin', { users, surveys, roles });
  });

  router.post('/admin/users', async (request, response) => {
    const form = parse(z.object({ email: z.string(), password: z.string(), role: z.enum(roles) }), request.body, new BadRequestError('Enter an email, a password and a role.'));
    await createUser(context.users, form);
    response.redirect(303, '/admin#users');
  });

  router.post('/admin/surveys/:surveyId/dates', async (request, response) => {
    const { surveyId } = parse(z.object({ surveyId: z.string().max(64) }), request.params);
    const survey = context.surveys.get(surveyId);
    if (!survey) throw new NotFoundError();
    await context.schedules.setDates(survey, request.body, currentUser(request.user)!.email);
    response.redirect(303, '/admin#surveys');
  });

  router.post('/admin/questions/:surveyId/:questionId', async (request, response) => {
    const { surveyId, questionId } = parse(questionParams, request.params);
    const form = parse(
      z.object({ independent: z.literal('1').optional(), reportCoder: z.union([objectIdSchema, z.literal('')]).default('') }),
      request.body,
      new BadRequestError('Unexpected settings form.'),
    );
    await codingTarget(context, surveyId, questionId);
    await context.coding.settings.updateOne(
      { _id: settingsKey(surveyId, questionId) },
      form.reportCoder
        ? { $set: { independent: form.independent === '1', reportCoder: form.reportCoder } }
        : { $set: { independent: form.independent === '1' }, $unset: { reportCoder: '' } },
      { upsert: true },
    );
    response.redirect(303, '/admin#questions');
  });

  router.get('/admin/reconcile/:surveyId/:questionId', async (request, response) => {
    const { surveyId, questionId } = parse(questionParams, request.params);
    const { codebook } = parse(codebookQuery, request.query, new BadRequestError('Unknown codebook.'));
    const target = await codingTarget(context, surveyId, questionId, codebook);
    const users = await context.users.find({}, { email: 1 }).lean();
    const names = new Map(users.map((user) => [String(user._id), user.email]));
    response.render('office/reconcile', { target, items: disagreements(target, { includeReconciled: true }), names });
  });

  router.post('/admin/reconcile/:surveyId/:questionId/:responseId', async (request, response) => {
    const { surveyId, questionId, responseId } = parse(questionParams.extend({ responseId: objectIdSchema }), request.params);
    const form = parse(z.object({ codebook: codeIdSchema, codes: z.unknown() }), request.body, new BadRequestError('Unexpected reconciliation form.'));
    const codes = parse(z.array(codeIdSchema), asList(form.codes), new BadRequestError('Unknown code in the final coding.'));
    const target = await codingTarget(context, surveyId, questionId, form.codebook);
    await recordFinalCoding(context, target, responseId, codes);
    response.redirect(303, `/admin/reconcile/${surveyId}/${questionId}?codebook=${form.codebook}#answer-${responseId}`);
  });

  router.get('/admin/quotes/:surveyId/:questionId', async (request, response) => {
    const { surveyId, questionId } = parse(questionParams, request.params);
    const { codebook } = parse(codebookQuery, request.query, new BadRequestError('Unknown codebook.'));
    const target = await codingTarget(context, surveyId, questionId, codebook);
    const quotes = await exportableQuotes(context, target);
    response.attachment(`quotes-${surveyId}-${questionId}.csv`).type('text/csv; charset=utf-8');
    response.write(csvRow(['response_id', 'quote', 'attribution', 'codes']));
    for (const quote of quotes) response.write(csvRow([quote.responseId, quote.text, `(${quote.attribution})`, quote.codes.join('; ')]));
    response.end();
  });

  return router;
}
