import fs from 'node:fs/promises';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { CsrfError, csrfTokenMatches } from '../auth/csrf.js';
import { backOfficeRouter, requireRole, signedInUser } from '../auth/guard.js';
import { discardUpload, receiveUpload, refuseAfterBody } from '../http/uploads.js';
import { hasRole } from '../auth/roles.js';
import { objectIdSchema, parseBody, validate } from '../http/validate.js';
import { codebookInputSchema, createCodebook, editCodebook } from './books.js';
import { addCode, codeInputSchema, editCode, setRetired } from './edits.js';
import { mergeCodes, undoMerge } from './merge.js';
import { moveCode } from './moves.js';
import { oneChangeAtATime } from './one-at-a-time.js';
import { decodeQdc, importQdc, qdcImportSchema } from './qdc-import.js';
import { QDC_MAX_BYTES } from './qdc-parse.js';
import { codebookPage, codebookPageQuery, mergePreview, savedUrl, type CodebookContext } from './page.js';
import { codeIdSchema } from './schema.js';
import { listCodebooks } from './service.js';

const bookParams = z.object({ codebookId: codeIdSchema });
const codeParams = bookParams.extend({ codeId: codeIdSchema });
const changeParams = bookParams.extend({ changeId: objectIdSchema });
/** The merge form's two drop-downs start on "Choose a code", so either may come back empty. */
const mergeChoice = z.object({
  from: z.union([codeIdSchema, z.literal('')]).default(''),
  into: z.union([codeIdSchema, z.literal('')]).default(''),
});
const confirmedMerge = z.object({ from: codeIdSchema, into: codeIdSchema });

/**
 * Leads upload a .qdc file as a new codebook. Mounted before the other codebook routers, whose CSRF
 * check reads a form body that a file upload does not have: here the token, sent before the file,
 * is checked as the upload arrives.
 */
export function codebookUploadRoutes(context: CodebookContext): Router {
  const router = Router({ caseSensitive: true });
  router.post('/import/qdc-file', requireRole('lead'), async (request, response) => {
    const upload = await receiveUpload(request, {
      by: signedInUser(request).id,
      maxBytes: QDC_MAX_BYTES,
      missingMessage: 'Choose a .qdc file to upload.',
      checkFields: (fields) => {
        if (!csrfTokenMatches(request, fields._csrf)) throw new CsrfError();
      },
    });
    try {
      const qdc = decodeQdc(await fs.readFile(upload.file));
      const name =
        upload.fields.name?.trim() || upload.originalName.replace(/\.qdc$/i, '').trim() || 'Imported codebook';
      const body = parseBody(qdcImportSchema, { name: name.slice(0, 120), id: upload.fields.id ?? '', qdc });
      const imported = await importQdc(context.models, body, signedInUser(request).email);
      await context.audit({
        actor: signedInUser(request).email,
        action: 'codebook.import',
        target: imported.codebook,
        detail: { codes: imported.codes, warnings: imported.warnings.length, file: 'uploaded' },
      });
      response.redirect(303, savedUrl(imported.codebook, 'imported'));
    } finally {
      await discardUpload(upload);
    }
  });
  router.use(refuseAfterBody);
  return router;
}

/** Everyone in the back office may read the codebooks: the list and each codebook with its usage and history. */
export function codebookReadRoutes(context: CodebookContext): Router {
  const router = backOfficeRouter('analyst');

  router.get('/', async (request, response) => {
    const canEdit = hasRole(signedInUser(request), 'lead');
    response.render('office/codebooks', { codebooks: await listCodebooks(context.models), canEdit });
  });

  router.get('/:codebookId', async (request, response) => {
    const { params, query } = validate(request, { params: bookParams, query: codebookPageQuery });
    const page = await codebookPage(context, params.codebookId, signedInUser(request), query);
    response.render('office/codebook', page);
  });

  return router;
}

/**
 * Leads (and admins) change codebooks: make them, add, edit, move, nest, retire and merge codes,
 * and undo a merge. Mounted after the read router, so anyone else's change falls through to here
 * and is refused.
 */
export function codebookEditRoutes(context: CodebookContext): Router {
  const router = backOfficeRouter('lead');
  router.use('/:codebookId', oneChangeAtATime());
  const { models } = context;
  const by = (request: Request) => signedInUser(request).email;

  router.post('/', oneChangeAtATime(), async (request, response) => {
    const { body } = validate(request, { body: codebookInputSchema });
    const codebookId = await createCodebook(models, body, by(request));
    response.redirect(303, savedUrl(codebookId, 'created'));
  });

  // Two segments, so that it never shadows a codebook whose id happens to be "import".
  router.post('/import/qdc', async (request, response) => {
    const { body } = validate(request, { body: qdcImportSchema });
    const imported = await importQdc(models, body, by(request));
    await context.audit({
      actor: by(request),
      action: 'codebook.import',
      target: imported.codebook,
      detail: { codes: imported.codes, warnings: imported.warnings.length },
    });
    response.redirect(303, savedUrl(imported.codebook, 'imported'));
  });

  router.post('/:codebookId', async (request, response) => {
    const { params, body } = validate(request, { params: bookParams, body: codebookInputSchema });
    await editCodebook(models, params.codebookId, body, by(request));
    response.redirect(303, savedUrl(params.codebookId, 'renamed'));
  });

  router.post('/:codebookId/codes', async (request, response) => {
    const { params, body } = validate(request, { params: bookParams, body: codeInputSchema });
    const code = await addCode(models, params.codebookId, body, by(request));
    response.redirect(303, savedUrl(params.codebookId, 'added', code.codeId));
  });

  router.post('/:codebookId/codes/:codeId', async (request, response) => {
    const { params, body } = validate(request, { params: codeParams, body: codeInputSchema });
    await editCode(models, params.codebookId, params.codeId, body, by(request));
    response.redirect(303, savedUrl(params.codebookId, 'edited', params.codeId));
  });

  router.post('/:codebookId/codes/:codeId/retire', async (request, response) => {
    const { params, body } = validate(request, {
      params: codeParams,
      body: z.object({ restore: z.literal('1').optional() }),
    });
    const retire = body.restore !== '1';
    await setRetired(models, params.codebookId, params.codeId, retire, by(request));
    response.redirect(303, savedUrl(params.codebookId, retire ? 'retired' : 'restored', params.codeId));
  });

  router.post('/:codebookId/codes/:codeId/move', async (request, response) => {
    const { params, body } = validate(request, {
      params: codeParams,
      body: z.object({ move: z.enum(['up', 'down', 'indent', 'outdent']) }),
    });
    await moveCode(models, params.codebookId, params.codeId, body.move, by(request));
    response.redirect(303, savedUrl(params.codebookId, 'moved', params.codeId));
  });

  router.post('/:codebookId/merge/preview', async (request, response) => {
    const { params, body } = validate(request, { params: bookParams, body: mergeChoice });
    const preview = await mergePreview(context, params.codebookId, signedInUser(request), body);
    response.render('office/merge-preview', preview);
  });

  router.post('/:codebookId/merge', async (request, response) => {
    const { params, body } = validate(request, { params: bookParams, body: confirmedMerge });
    await mergeCodes(models, params.codebookId, body, by(request));
    await context.audit({
      actor: by(request),
      action: 'codebook.merge',
      target: params.codebookId,
      detail: { from: body.from, into: body.into },
    });
    response.redirect(303, savedUrl(params.codebookId, 'merged', body.into));
  });

  router.post('/:codebookId/history/:changeId/undo', async (request, response) => {
    const { params } = validate(request, { params: changeParams });
    const codeId = await undoMerge(models, params.codebookId, params.changeId, by(request));
    await context.audit({
      actor: by(request),
      action: 'codebook.unmerge',
      target: params.codebookId,
      detail: { code: codeId, change: params.changeId },
    });
    response.redirect(303, savedUrl(params.codebookId, 'unmerged', codeId));
  });

  return router;
}
