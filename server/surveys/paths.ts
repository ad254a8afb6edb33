/** Every public survey URL in one place. The token segment is the respondent's private link. */
export const surveyPaths = {
  start: (surveyId: string) => `/s/${surveyId}`,
  resume: (surveyId: string, token: string) => `/s/${surveyId}/r/${token}`,
  page: (surveyId: string, token: string, pageId: string) => `/s/${surveyId}/r/${token}/p/${pageId}`,
  check: (surveyId: string, token: string) => `/s/${surveyId}/r/${token}/check`,
  submit: (surveyId: string, token: string) => `/s/${surveyId}/r/${token}/submit`,
  saved: (surveyId: string, token: string) => `/s/${surveyId}/r/${token}/saved`,
  done: (surveyId: string, token: string) => `/s/${surveyId}/r/${token}/done`,
  delete: (surveyId: string, token: string) => `/s/${surveyId}/r/${token}/delete`,
};
