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
import { validate } from '../http/validate.js';
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

  return router;
}
