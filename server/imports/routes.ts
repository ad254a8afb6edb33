import { Router, type Response } from 'express';
import { z } from 'zod';
import { CsrfError, csrfProtection, csrfTokenMatches } from '../auth/csrf.js';
import { requireRole, signedInUser } from '../auth/guard.js';
import { validate } from '../http/validate.js';
import { previewExport, type ImportPreview } from './preview.js';
import { record } from '../audit/service.js';
import {
  ImportRefusedError,
  importAnswers,
  importAuditEntry,
  listImportedSurveys,
  readable,
  type ImportContext,
} from './service.js';
import { discardUpload, findUpload, receiveUpload, refuseAfterBody, uploadIdSchema } from '../http/uploads.js';

/** An export up to this size can be uploaded: 100,000 long answers fit several times over. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

const roles = ['skip', 'text', 'attribute'] as const;
const confirmSchema = z
  .object({
    survey: z.string().trim().max(60).default(''),
    title: z.string().trim().max(200).default(''),
  })
  .catchall(z.string());

interface Choices {
  survey: string;
  title: string;
  roles: Record<number, (typeof roles)[number]>;
}

function renderPreview(
  response: Response,
  input: { uploadId: string; originalName: string; preview: ImportPreview; choices: Choices; errors: string[] },
) {
  response.status(input.errors.length > 0 ? 422 : 200).render('office/import-preview', input);
}

/**
 * Importing answers from another survey tool's export (admins only): upload, preview the layout
 * and columns, choose which columns to keep, confirm. The upload's own form checks its CSRF token
 * as the file arrives; every other form goes through the usual check.
 */
export function importRoutes(context: ImportContext): Router {
  const router = Router({ caseSensitive: true });
  router.use(requireRole('admin'));

  router.post('/upload', async (request, response) => {
    const upload = await receiveUpload(request, {
      by: signedInUser(request).id,
      maxBytes: MAX_UPLOAD_BYTES,
      missingMessage: 'Choose a CSV or XLSX file to upload.',
      checkFields: (fields) => {
        if (!csrfTokenMatches(request, fields._csrf)) throw new CsrfError();
      },
    });
    response.redirect(303, `/admin/imports/${upload.id}`);
  });

  router.use(csrfProtection);

  router.get('/', async (_request, response) => {
    response.render('office/imports', {
      surveys: await listImportedSurveys(context),
      maxMegabytes: MAX_UPLOAD_BYTES / 1024 / 1024,
    });
  });

  router.get('/:uploadId', async (request, response) => {
    const { params } = validate(request, { params: z.object({ uploadId: uploadIdSchema }) });
    const upload = await findUpload(params.uploadId, signedInUser(request).id);
    const preview = await readable(() => previewExport(upload.file));
    const stem = upload.originalName.replace(/\.[^.]*$/, '');
    const choices: Choices = {
      survey: suggestedId(stem),
      title: stem.slice(0, 200),
      roles: Object.fromEntries(preview.columns.map((column) => [column.index, 'skip' as const])),
    };
    renderPreview(response, { uploadId: upload.id, originalName: upload.originalName, preview, choices, errors: [] });
  });

  router.post('/:uploadId', async (request, response) => {
    const { params, body } = validate(request, { params: z.object({ uploadId: uploadIdSchema }), body: confirmSchema });
    const user = signedInUser(request);
    const upload = await findUpload(params.uploadId, user.id);
    const preview = await readable(() => previewExport(upload.file));
    const choices: Choices = {
      survey: body.survey,
      title: body.title,
      roles: Object.fromEntries(
        preview.columns.map((column) => {
          const role = body[`column-${column.index}`];
          return [column.index, roles.find((candidate) => candidate === role) ?? 'skip'];
        }),
      ),
    };
    const named = (role: 'text' | 'attribute') =>
      preview.columns.filter((column) => choices.roles[column.index] === role).map((column) => column.name);
    try {
      const summary = await importAnswers(context, {
        surveyId: body.survey,
        title: body.title,
        file: upload.file,
        text: named('text'),
        attributes: named('attribute'),
        by: user.id,
      });
      await discardUpload(upload);
      await record(context.connection, importAuditEntry(user.email, summary));
      const survey = context.registry.get(summary.survey);
      response.render('office/import-result', { summary, survey, originalName: upload.originalName });
    } catch (error) {
      if (!(error instanceof ImportRefusedError)) throw error;
      renderPreview(response, {
        uploadId: upload.id,
        originalName: upload.originalName,
        preview,
        choices,
        errors: [error.message],
      });
    }
  });

  router.use(refuseAfterBody);
  return router;
}

/** "Staff survey 2024 (final).csv" -> "staff-survey-2024-final". */
function suggestedId(stem: string): string {
  const slug = stem
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'imported-survey';
}
