import { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '../auth/access.js';
import { csrfProtection } from '../auth/csrf.js';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import type { CodebookModels } from './model.js';
import { codeIdSchema } from './schema.js';
import { addCode, codebookHistory, editCode, getCodebook, listCodebooks, mergeCodes, setRetired } from './service.js';

const bookParams = z.object({ codebookId: codeIdSchema });
const codeParams = bookParams.extend({ codeId: codeIdSchema });

function parse<T extends z.ZodType>(schema: T, value: unknown, error: Error): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw error;
  return parsed.data;
}

/** Analysts refine the codebook as they code: add, edit, nest, merge and retire codes. */
export function codebookRoutes(models: CodebookModels): Router {
  const router = Router();
  router.use(['/codebooks', '/codebooks/*path'], csrfProtection);
  const by = (request: { user?: unknown }) => currentUser(request.user)!.email;

  router.get('/codebooks', async (_request, response) => {
    response.render('office/codebooks', { codebooks: await listCodebooks(models) });
  });

  router.get('/codebooks/:codebookId', async (request, response) => {
    const { codebookId } = parse(bookParams, request.params, new NotFoundError());
    const [codebook, history] = await Promise.all([getCodebook(models, codebookId), codebookHistory(models, codebookId)]);
    response.render('office/codebook', { codebook, history });
  });

  router.post('/codebooks/:codebookId/codes', async (request, response) => {
    const { codebookId } = parse(bookParams, request.params, new NotFoundError());
    await addCode(models, codebookId, request.body, by(request));
    response.redirect(303, `/codebooks/${codebookId}`);
  });

  router.post('/codebooks/:codebookId/codes/:codeId', async (request, response) => {
    const { codebookId, codeId } = parse(codeParams, request.params, new NotFoundError());
    await editCode(models, codebookId, codeId, request.body, by(request));
    response.redirect(303, `/codebooks/${codebookId}#code-${codeId}`);
  });

  router.post('/codebooks/:codebookId/codes/:codeId/retire', async (request, response) => {
    const { codebookId, codeId } = parse(codeParams, request.params, new NotFoundError());
    const { restore } = parse(z.object({ restore: z.literal('1').optional() }), request.body, new BadRequestError('Unexpected form'));
    await setRetired(models, codebookId, codeId, restore !== '1', by(request));
    response.redirect(303, `/codebooks/${codebookId}#code-${codeId}`);
  });

  router.post('/codebooks/:codebookId/merge', async (request, response) => {
    const { codebookId } = parse(bookParams, request.params, new NotFoundError());
    const { from, into } = parse(z.object({ from: codeIdSchema, into: codeIdSchema }), request.body, new BadRequestError('Choose the code to merge and the code to keep.'));
    await mergeCodes(models, codebookId, from, into, by(request));
    response.redirect(303, `/codebooks/${codebookId}`);
  });

  return router;
}
