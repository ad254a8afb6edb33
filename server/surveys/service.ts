import type { Translate } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/localised.js';
import { NotFoundError } from '../http/errors.js';
import { SurveyClosedError } from './errors.js';
import type { ResponseModel } from './responses/model.js';
import { findResponse, savePage, startResponse, type Draft } from './responses/service.js';
import type { SurveyPage } from './definition-schema.js';
import { firstUnfinishedPage, locatePage, visibleQuestions, type Answers, type PagePosition } from './flow.js';
import {
  echoOf,
  otherFieldName,
  parsePageAnswers,
  type Echo,
  type FieldError,
  type PageAnswers,
} from './page-answers.js';
import { surveyPaths } from './paths.js';
import type { SurveySchedules } from './schedule.js';
import type { ChangeCounters } from '../db/change-counter.js';
import type { Survey, SurveyRegistry } from './registry.js';

export interface RespondentContext {
  surveys: SurveyRegistry;
  responses: ResponseModel;
  schedules: SurveySchedules;
  counters: ChangeCounters;
  now: () => Date;
  /** The address respondents reach the surveys at (PUBLIC_URL), for links they keep. */
  publicUrl?: string;
  /** Told when a respondent deletes their own draft (the app records it in the audit trail). */
  /** Told the survey and the deleted response's id (never its token), for the audit trail. */
  draftDeleted?: (surveyId: string, responseId: string) => Promise<void>;
}

/** What a page shows: its questions, the values to fill in, and any errors to fix. */
export interface PageView {
  survey: Survey;
  position: PagePosition;
  token?: string;
  questions: SurveyPage['questions'];
  values: Echo;
  errors: FieldError[];
}

export type PageOutcome = { kind: 'redirect'; to: string } | { kind: 'invalid'; view: PageView };

export async function openSurvey({ surveys, schedules, now }: RespondentContext, surveyId: string): Promise<Survey> {
  const survey = surveys.get(surveyId);
  if (!survey || survey.origin === 'imported') throw new NotFoundError();
  const at = now();
  if (!(await schedules.isOpen(survey, at))) throw new SurveyClosedError(survey, await schedules.datesOf(survey), at);
  return survey;
}

export async function openSurveys(context: RespondentContext): Promise<Survey[]> {
  const all = [...context.surveys.values()].filter((survey) => survey.origin === 'hosted');
  const open = await Promise.all(all.map((survey) => context.schedules.isOpen(survey, context.now())));
  return all.filter((_survey, index) => open[index]);
}

export async function loadDraft(context: RespondentContext, survey: Survey, token: string): Promise<Draft> {
  const draft = await findResponse(context.responses, survey.id, token);
  if (!draft)
    throw new NotFoundError(
      'We could not find answers for this link. Check you copied the whole link.',
      'error.notFoundResponse',
    );
  return draft;
}

export function firstPageView(survey: Survey): PageView {
  const position = locatePage(survey, survey.definition.pages[0]!.id, {})!;
  return { survey, position, questions: visibleQuestions(position.page, {}), values: {}, errors: [] };
}

/** The first page has no draft yet: a valid answer to it creates one. */
export async function answerFirstPage(
  context: RespondentContext,
  { survey, body, locale, t }: { survey: Survey; body: unknown; locale: Locale; t: Translate },
): Promise<PageOutcome> {
  const view = firstPageView(survey);
  const parsed = parsePageAnswers(body, { questions: view.questions, locale, t });
  // No draft before the first page is answered: the switch shows the same page, as typed, in the new language.
  if (parsed.action === 'language') return { kind: 'invalid', view: { ...view, values: echoOf(body) } };
  if (!parsed.ok) return { kind: 'invalid', view: { ...view, values: parsed.echo, errors: parsed.errors } };
  const pageAnswers = { ...parsed.value, action: 'continue' as const };
  const token = await startResponse(context.responses, {
    survey,
    page: view.position.page,
    pageAnswers,
    language: locale,
  });
  return { kind: 'redirect', to: stepAfter(survey, token, withPage(undefined, view.position.page.id, pageAnswers)) };
}

/** Where a respondent with this token should be now: their first unfinished page, or the check page. */
export async function nextStep(context: RespondentContext, survey: Survey, token: string): Promise<string> {
  return stepAfter(survey, token, await loadDraft(context, survey, token));
}

function stepAfter(survey: Survey, token: string, draft: Pick<Draft, 'status' | 'answers' | 'finishedPages'>): string {
  if (draft.status === 'submitted') return surveyPaths.done(survey.id, token);
  const page = firstUnfinishedPage(survey, draft.answers, draft.finishedPages);
  return page ? surveyPaths.page(survey.id, token, page.id) : surveyPaths.check(survey.id, token);
}

/** The draft as it stands after saving a finished page, without reading it back. */
function withPage(
  draft: Draft | undefined,
  pageId: string,
  pageAnswers: PageAnswers,
): Pick<Draft, 'status' | 'answers' | 'finishedPages'> {
  const answers: Answers = { ...(draft?.answers ?? {}) };
  for (const [id, value] of Object.entries(pageAnswers.answers)) {
    if (value === undefined) delete answers[id];
    else answers[id] = value;
  }
  const finishedPages = [...new Set([...(draft?.finishedPages ?? []), pageId])];
  return { status: 'draft', answers, finishedPages };
}

/** A page the respondent may open: any visible page up to the first unfinished one. */
export async function pageView(
  context: RespondentContext,
  survey: Survey,
  token: string,
  pageId: string,
): Promise<PageOutcome> {
  const draft = await loadDraft(context, survey, token);
  const position = reachablePosition(survey, draft, pageId);
  if (draft.status === 'submitted' || !position)
    return { kind: 'redirect', to: await nextStep(context, survey, token) };
  return {
    kind: 'invalid',
    view: {
      survey,
      position,
      token,
      questions: visibleQuestions(position.page, draft.answers),
      values: storedValues(draft),
      errors: [],
    },
  };
}

export async function answerPage(
  context: RespondentContext,
  {
    survey,
    token,
    pageId,
    body,
    locale,
    t,
  }: { survey: Survey; token: string; pageId: string; body: unknown; locale: Locale; t: Translate },
): Promise<PageOutcome> {
  const draft = await loadDraft(context, survey, token);
  const position = reachablePosition(survey, draft, pageId);
  if (draft.status === 'submitted' || !position)
    return { kind: 'redirect', to: await nextStep(context, survey, token) };
  const questions = visibleQuestions(position.page, draft.answers);
  const parsed = parsePageAnswers(body, { questions, locale, t });
  if (!parsed.ok) {
    return {
      kind: 'invalid',
      view: { survey, position, token, questions, values: parsed.echo, errors: parsed.errors },
    };
  }
  const { action } = parsed.value;
  // The switch posts to the new language (`?lang=`): what it saves was typed on the page in the other one.
  const shownIn: Locale = action === 'language' ? (locale === 'cy' ? 'en' : 'cy') : locale;
  const saved = await savePage(context.responses, {
    draft,
    page: position.page,
    pageAnswers: parsed.value,
    finished: action === 'continue',
    language: locale,
    pageLanguage: shownIn,
  });
  if (!saved) return { kind: 'redirect', to: surveyPaths.done(survey.id, token) };
  if (action === 'save') return { kind: 'redirect', to: surveyPaths.saved(survey.id, token) };
  if (action === 'language')
    return { kind: 'redirect', to: `${surveyPaths.page(survey.id, token, position.page.id)}?lang=${locale}` };
  if (action === 'back') {
    const previous = position.previous;
    return {
      kind: 'redirect',
      to: previous ? surveyPaths.page(survey.id, token, previous.id) : surveyPaths.start(survey.id),
    };
  }
  return { kind: 'redirect', to: stepAfter(survey, token, withPage(draft, position.page.id, parsed.value)) };
}

function reachablePosition(survey: Survey, draft: Draft, pageId: string): PagePosition | undefined {
  const position = locatePage(survey, pageId, draft.answers);
  if (!position) return undefined;
  const unfinished = firstUnfinishedPage(survey, draft.answers, draft.finishedPages);
  if (unfinished) {
    const limit = locatePage(survey, unfinished.id, draft.answers);
    if (limit && position.number > limit.number) return undefined;
  }
  return position;
}

function storedValues(draft: Draft): Echo {
  const values: Echo = { ...draft.answers };
  for (const [id, text] of Object.entries(draft.otherText)) values[otherFieldName(id)] = text;
  return values;
}

/**
 * The page a respondent just posted, rebuilt from the definition alone (the database being out of
 * reach), with everything they typed, so they can press Continue again once it is back.
 */
export function unsavedPageView(
  survey: Survey,
  pageId: string,
  token: string | undefined,
  body: unknown,
  message: string,
): PageView {
  const pages = survey.definition.pages;
  const index = Math.max(
    0,
    pages.findIndex((page) => page.id === pageId),
  );
  const page = pages[index]!;
  const values: Echo = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string')))
        values[key] = value;
    }
  }
  return {
    survey,
    position: { page, number: index + 1, total: pages.length, previous: pages[index - 1], next: pages[index + 1] },
    token,
    questions: page.questions,
    values,
    errors: [{ field: 'form', message }],
  };
}
