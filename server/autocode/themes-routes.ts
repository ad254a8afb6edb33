import type { Router } from 'express';
import { z } from 'zod';
import { backOfficeRouter, signedInUser } from '../auth/guard.js';
import type { CodingDataContext } from '../coding/target.js';
import { pathIdSchema, validate } from '../http/validate.js';
import { codeFromGroup, newThemeCodeSchema, themesQuerySchema, themesView } from './themes-service.js';

const questionParams = z.object({ surveyId: pathIdSchema, questionId: pathIdSchema });

export const themesUrl = (surveyId: string, questionId: string, query: Record<string, string | undefined>) => {
  const params = new URLSearchParams(
    Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
  return `/lead/themes/${encodeURIComponent(surveyId)}/${encodeURIComponent(questionId)}${params.size > 0 ? `?${params}` : ''}`;
};

/** Emerging themes (mounted under `/lead`: a new code changes the codebook, which is the leads' to change). */
export function themeRoutes(context: CodingDataContext): Router {
  const router = backOfficeRouter('lead');

  router.get('/themes/:surveyId/:questionId', async (request, response) => {
    const { params, query } = validate(request, { params: questionParams, query: themesQuerySchema });
    const view = await themesView(context, params.surveyId, params.questionId, query);
    response.render('office/emerging-themes', { view });
  });

  router.post('/themes/:surveyId/:questionId/codes', async (request, response) => {
    const { params, body } = validate(request, { params: questionParams, body: newThemeCodeSchema });
    const created = await codeFromGroup(context, signedInUser(request), params.surveyId, params.questionId, body);
    response.redirect(
      303,
      themesUrl(params.surveyId, params.questionId, { codebook: created.codebookId, created: created.codeId }),
    );
  });

  return router;
}
