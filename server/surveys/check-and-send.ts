import type { Translate } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/localised.js';
import type { Question, SurveyPage } from './definition-schema.js';
import { firstUnfinishedPage, visibleQuestions } from './flow.js';
import { surveyPaths } from './paths.js';
import { typeOf } from './question-types/index.js';
import type { Survey } from './registry.js';
import { responseReference } from './responses/reference.js';
import { submitResponse } from './responses/service.js';
import { loadDraft, nextStep, type RespondentContext } from './service.js';

/** The end of a survey: "Check your answers", the one-time submit, and the thank-you page. */

export interface CheckView {
  survey: Survey;
  token: string;
  /** Each page with something to show, and each of its questions with the answer in words (undefined: not answered). */
  pages: { page: SurveyPage; rows: { question: Question; answer?: string }[] }[];
}

export async function checkView(
  context: RespondentContext,
  survey: Survey,
  token: string,
  { t, locale }: { t: Translate; locale: Locale },
): Promise<CheckView | { redirect: string }> {
  const draft = await loadDraft(context, survey, token);
  const unfinished = firstUnfinishedPage(survey, draft.answers, draft.finishedPages);
  if (draft.status === 'submitted' || unfinished) return { redirect: await nextStep(context, survey, token) };
  const describe = (question: Question) => {
    const answer = draft.answers[question.id];
    return answer === undefined
      ? undefined
      : typeOf(question).describe(answer, question, draft.otherText[question.id], t, locale);
  };
  const pages = survey.definition.pages
    .map((page) => ({
      page,
      rows: visibleQuestions(page, draft.answers).map((question) => ({ question, answer: describe(question) })),
    }))
    .filter(({ rows }) => rows.length > 0);
  return { survey, token, pages };
}

/** Sends the answers; the language recorded is the one they were written in (`answeredLanguage`), whatever this page's. */
export async function submit(context: RespondentContext, survey: Survey, token: string): Promise<string> {
  const draft = await loadDraft(context, survey, token);
  const result = await submitResponse(context.responses, context.counters, { survey, draft, now: context.now() });
  if (result.outcome === 'incomplete') return surveyPaths.page(survey.id, token, result.pageId);
  if (result.outcome === 'deleted') await loadDraft(context, survey, token); // not found: says so
  return surveyPaths.done(survey.id, token);
}

/** A submitted response's thank-you page; anything else is sent back to where it should be. */
/**
 * A respondent deletes their own unsent answers from their private link. Sent answers are not
 * deleted here (the link may have been shared): the thank-you page's reference lets the review
 * team erase them. Selects by `_id` alone, as every write on the survey pages does.
 */
export async function deleteDraft(
  context: RespondentContext,
  survey: Survey,
  token: string,
): Promise<'deleted' | 'sent'> {
  const draft = await loadDraft(context, survey, token);
  if (draft.status === 'submitted') return 'sent';
  // Only while still a draft: a submit racing this delete has either sent it (kept) or not.
  // findOneAndDelete, not deleteOne: FerretDB's deleteOne reads the filter and deletes by _id in
  // two steps, so it can delete answers sent in between; find-and-modify is one step on both servers.
  const deleted = await context.responses.findOneAndDelete({ _id: draft.id, status: 'draft' });
  if (!deleted) return 'sent';
  await context.draftDeleted?.(survey.id, String(draft.id));
  return 'deleted';
}

/** Whether the draft behind a private link can still be deleted by its respondent. */
export async function deletableDraft(context: RespondentContext, survey: Survey, token: string): Promise<boolean> {
  return (await loadDraft(context, survey, token)).status === 'draft';
}

export async function donePage(
  context: RespondentContext,
  survey: Survey,
  token: string,
): Promise<{ redirect?: string; reference?: string }> {
  const draft = await loadDraft(context, survey, token);
  return draft.status === 'submitted'
    ? { reference: responseReference(String(draft.id)) }
    : { redirect: await nextStep(context, survey, token) };
}
