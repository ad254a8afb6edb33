import type { Router } from 'express';
import type { Connection } from 'mongoose';
import {
  auditActions,
  auditCsv,
  auditEntries,
  auditFilterSchema,
  auditPage,
  describeDetail,
} from '../audit/service.js';
import { backOfficeRouter, signedInUser } from '../auth/guard.js';
import { streamDownload } from '../http/download.js';
import { objectIdSchema, validate } from '../http/validate.js';
import { z } from 'zod';
import { eraseResponse, findForErasure } from './erasure.js';
import type { AdminContext } from './service.js';

export interface OperationsContext extends AdminContext {
  connection: Connection;
}

/** The admin's operations pages: the audit trail (and erasure of a response on request). */
export function adminOperationsRoutes(context: OperationsContext): Router {
  const router = backOfficeRouter('admin');

  router.get('/audit', async (request, response) => {
    const { query } = validate(request, { query: auditFilterSchema });
    const page = await auditPage(context.connection, query);
    response.render('office/audit', { ...page, query, actions: auditActions, describeDetail });
  });

  router.get('/audit.csv', async (request, response) => {
    const { query } = validate(request, { query: auditFilterSchema });
    await context.audit({
      actor: signedInUser(request).email,
      action: 'download.audit',
      target: 'audit trail',
      detail: { format: 'csv' },
    });
    await streamDownload(response, 'audit-trail.csv', 'csv', auditCsv(auditEntries(context.connection, query)));
  });

  // Erasing one response on its respondent's request: find it by reference, see what goes with it, confirm.
  router.get('/erase', async (request, response) => {
    const { query } = validate(request, {
      query: z.object({ ref: z.string().max(60).optional(), erased: z.string().max(20).optional() }),
    });
    const candidate = query.ref ? await findForErasure(context, query.ref) : undefined;
    response.render('office/erase', { candidate, given: query.ref ?? '', erased: query.erased });
  });

  router.post('/erase/:responseId', async (request, response) => {
    const { params } = validate(request, {
      params: z.object({ responseId: objectIdSchema }),
      body: z.object({ confirm: z.literal('1', { error: 'Tick the box to confirm the erasure.' }) }),
    });
    const erased = await eraseResponse(context, params.responseId, signedInUser(request).email);
    response.redirect(303, `/admin/erase?erased=${erased.reference}`);
  });

  return router;
}
