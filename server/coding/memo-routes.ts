import type { Router } from 'express';
import { z } from 'zod';
import { backOfficeRouter, signedInUser } from '../auth/guard.js';
import { streamDownload } from '../http/download.js';
import { pathIdSchema, validate } from '../http/validate.js';
import { memoList, memoQuerySchema, memosCsv, memosUrl, type MemoContext } from './memos-service.js';

const questionParams = z.object({ surveyId: pathIdSchema, questionId: pathIdSchema });

/** Memos on a question's answers: listed, filtered and downloaded (mounted under `/work`). */
export function memoRoutes(context: MemoContext): Router {
  const router = backOfficeRouter('analyst');

  router.get('/:surveyId/:questionId/memos', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: memoQuerySchema });
    const list = await memoList(context, signedInUser(request), params.surveyId, params.questionId, query);
    response.render('office/memos', { list, memosUrl });
  });

  router.get('/:surveyId/:questionId/memos.csv', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: memoQuerySchema });
    const list = await memoList(context, signedInUser(request), params.surveyId, params.questionId, query);
    await streamDownload(response, `${params.surveyId}-${params.questionId}-memos.csv`, 'csv', memosCsv(list));
  });

  return router;
}
