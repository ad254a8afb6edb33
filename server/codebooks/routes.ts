import type { Request, Router } from 'express';
import { z } from 'zod';
import { backOfficeRouter, signedInUser } from '../auth/guard.js';
import { validate } from '../http/validate.js';
import { codeIdSchema } from './schema.js';
import { addCode, codeInputSchema, editCode, mergeCodes, setRetired } from './edits.js';
import { codebookHistory, getCodebook, listCodebooks, type CodebookModels } from './service.js';

const bookParams = z.object({ codebookId: codeIdSchema });
const codeParams = bookParams.extend({ codeId: codeIdSchema });

/** Analysts refine the codebook as they code: add, edit, nest, merge and retire codes. */
export function codebookRoutes(models: CodebookModels): Router {
  const router = backOfficeRouter('analyst');
  const by = (request: Request) => signedInUser(request).email;

  router.get('/', async (_request, response) => {
    response.render('office/codebooks', { codebooks: await listCodebooks(models) });
  });

  router.get('/:codebookId', async (request, response) => {
    const { params } = validate(request, { params: bookParams });
    const [codebook, history] = await Promise.all([
      getCodebook(models, params.codebookId),
      codebookHistory(models, params.codebookId),
    ]);
    response.render('office/codebook', { codebook, history });
  });

  router.post('/:codebookId/codes', async (request, response) => {
    const { params, body } = validate(request, { params: bookParams, body: codeInputSchema });
    await addCode(models, params.codebookId, body, by(request));
    response.redirect(303, `/codebooks/${params.codebookId}`);
  });

  router.post('/:codebookId/codes/:codeId', async (request, response) => {
    const { params, body } = validate(request, { params: codeParams, body: codeInputSchema });
    await editCode(models, params.codebookId, params.codeId, body, by(request));
    response.redirect(303, `/codebooks/${params.codebookId}#code-${params.codeId}`);
  });

  router.post('/:codebookId/codes/:codeId/retire', async (request, response) => {
    const { params, body } = validate(request, {
      params: codeParams,
      body: z.object({ restore: z.literal('1').optional() }),
    });
    await setRetired(models, params.codebookId, params.codeId, body.restore !== '1', by(request));
    response.redirect(303, `/codebooks/${params.codebookId}#code-${params.codeId}`);
  });

  router.post('/:codebookId/merge', async (request, response) => {
    const { params, body } = validate(request, {
      params: bookParams,
      body: z.object({ from: codeIdSchema, into: codeIdSchema }),
    });
    await mergeCodes(models, params.codebookId, body.from, body.into, by(request));
    response.redirect(303, `/codebooks/${params.codebookId}`);
  });

  return router;
}
