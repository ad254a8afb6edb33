import type { ChangeCounters } from '../../db/change-counter.js';
import { submissionFeed } from './feed.js';
import type { Locale } from '../../i18n/localised.js';
import { dropHiddenAnswers, firstUnfinishedPage, isVisible, type Answers } from '../flow.js';
import type { PageAnswers } from '../page-answers.js';
import type { Survey } from '../registry.js';
import type { SurveyPage } from '../definition-schema.js';
import type { ResponseDocument, ResponseModel } from './model.js';
import { responseReference } from './reference.js';
import { newResumeToken, readToken } from './tokens.js';
import { answeredLanguage, type PageLanguages } from './language.js';

export interface Draft {
  id: ResponseDocument['_id'];
  status: 'draft' | 'submitted';
  answers: Answers;
  otherText: Record<string, string>;
  finishedPages: string[];
  language: Locale;
  pageLanguages: PageLanguages;
}

function toDraft(document: ResponseDocument): Draft {
  return {
    id: document._id,
    status: document.status,
    answers: (document.answers ?? {}) as Answers,
    otherText: (document.otherText ?? {}) as Record<string, string>,
    finishedPages: document.finishedPages,
    language: document.language === 'cy' ? 'cy' : 'en',
    pageLanguages: (document.pageLanguages ?? {}) as PageLanguages,
  };
}

/** Starts a response once the first page (consent) is answered, and returns its private token. */
export async function startResponse(
  responses: ResponseModel,
  {
    survey,
    page,
    pageAnswers,
    language,
  }: { survey: Survey; page: SurveyPage; pageAnswers: PageAnswers; language: Locale },
): Promise<string> {
  const { id, token, secretHash } = newResumeToken();
  const { set } = toUpdate(pageAnswers);
  await responses.create({
    _id: id,
    surveyId: survey.id,
    surveyVersion: survey.definition.version,
    tokenHash: secretHash,
    status: 'draft',
    language,
    pageLanguages: { [page.id]: language },
    answers: prefixedValues(set, 'answers.'),
    otherText: prefixedValues(set, 'otherText.'),
    finishedPages: [page.id],
  });
  return token;
}

/** The response a token opens: found by the id it carries, then its secret checked. */
export async function findResponse(
  responses: ResponseModel,
  surveyId: string,
  token: string,
): Promise<Draft | undefined> {
  const { id, matches } = readToken(token);
  if (!/^[a-f0-9]{24}$/.test(id)) return undefined;
  const document = await responses.findById(id).lean<ResponseDocument>();
  return document && document.surveyId === surveyId && matches(document.tokenHash) ? toDraft(document) : undefined;
}

/**
 * Saves one page into a draft the caller has just read as a draft. Returns false if the response
 * is gone.
 *
 * Writes here and in submitResponse select by `_id` alone, on purpose: FerretDB 1.x uses an index
 * only for a filter that is exactly `{_id}` and reads the whole collection for anything more (a
 * `status` condition made every page slower as responses grew), and it checks filters outside any
 * transaction, so the condition was never atomic there either. What remains possible is a page
 * saved by one tab at the very instant another tab of the same respondent submits: that page's
 * answers can then land in the submitted response.
 */
export async function savePage(
  responses: ResponseModel,
  {
    draft,
    page,
    pageAnswers,
    finished,
    language,
    pageLanguage = language,
  }: {
    draft: Draft;
    page: SurveyPage;
    pageAnswers: PageAnswers;
    finished: boolean;
    /** The language the respondent is using now: they may have switched since they started. */
    language?: Locale;
    /** The language the page was shown in when these answers were typed. */
    pageLanguage?: Locale;
  },
): Promise<boolean> {
  const { set, unset } = toUpdate(pageAnswers);
  const changes: Record<string, string | string[]> =
    language && language !== draft.language ? { ...set, language } : set;
  // The page's language is recorded when the page is first saved and again only when its answers
  // change: pressing Continue on Welsh answers shown in English does not make them English.
  const recorded = draft.pageLanguages[page.id];
  if (pageLanguage && recorded !== pageLanguage && (recorded === undefined || changesAnswers(draft, pageAnswers)))
    changes[`pageLanguages.${page.id}`] = pageLanguage;
  const update: Record<string, unknown> = {};
  if (Object.keys(changes).length > 0) update.$set = changes;
  if (Object.keys(unset).length > 0) update.$unset = unset;
  if (finished) update.$addToSet = { finishedPages: page.id };
  if (Object.keys(update).length === 0) return true;
  const result = await responses.updateOne({ _id: draft.id }, update);
  return result.matchedCount === 1;
}

export type SubmitOutcome =
  | { outcome: 'submitted' }
  | { outcome: 'incomplete'; pageId: string }
  /** The respondent deleted the draft while it was being sent: nothing was sent. */
  | { outcome: 'deleted' };

/**
 * Submits a draft exactly once: a repeated or concurrent submit finds the response already
 * submitted and changes nothing (but its submission feed entry, written again). Answers to questions hidden by a changed condition are dropped.
 */
export async function submitResponse(
  responses: ResponseModel,
  counters: ChangeCounters,
  { survey, draft, now }: { survey: Survey; draft: Draft; now: Date },
): Promise<SubmitOutcome> {
  if (draft.status === 'submitted') {
    // A send repeated after an error: the feed entry may be what failed. Another entry is harmless.
    await submissionFeed(responses.db, counters).append(survey.id, [{ responseId: String(draft.id), at: now }]);
    return { outcome: 'submitted' };
  }
  const unfinished = firstUnfinishedPage(survey, draft.answers, draft.finishedPages);
  if (unfinished) return { outcome: 'incomplete', pageId: unfinished.id };
  const kept = dropHiddenAnswers(survey, draft.answers, draft.otherText);
  const missing = survey.questions.find(
    (question) => question.required && isVisible(question, kept.answers) && kept.answers[question.id] === undefined,
  );
  if (missing) {
    const page = survey.definition.pages.find((candidate) => candidate.questions.includes(missing));
    return { outcome: 'incomplete', pageId: page?.id ?? survey.definition.pages[0]!.id };
  }
  // One document per response, found by the id in the token: a double or retried submit can never
  // store a second one, and a later repeat stops at the status check above without writing.
  // By `_id` alone (see savePage). A delete from the same link racing this submit either removed
  // it first (nothing matches, and the respondent is not told it was sent) or finds it sent and keeps it.
  const result = await responses.updateOne(
    { _id: draft.id },
    {
      $set: {
        status: 'submitted',
        submittedAt: now,
        reference: responseReference(String(draft.id)),
        surveyVersion: survey.definition.version,
        answers: kept.answers,
        otherText: kept.otherText,
        // The language the answers were written in, page by page: not that of the page Send was pressed on.
        language: answeredLanguage(survey, kept, draft.pageLanguages, draft.language),
      },
    },
  );
  if (result.matchedCount === 0) return { outcome: 'deleted' };
  // Tells every process's coding read model that this survey has a new answer, without making any
  // of them re-read the survey. Written after the response, so whoever reads the entry finds it sent.
  await submissionFeed(responses.db, counters).append(survey.id, [{ responseId: String(draft.id), at: now }]);
  return { outcome: 'submitted' };
}

/** Whether saving this page would change any stored answer or "other" text. */
function changesAnswers(draft: Draft, { answers, otherText }: PageAnswers): boolean {
  const differs = (stored: unknown, given: unknown) => JSON.stringify(stored) !== JSON.stringify(given);
  return (
    Object.entries(answers).some(([id, value]) => differs(draft.answers[id], value)) ||
    Object.entries(otherText).some(([id, value]) => differs(draft.otherText[id], value))
  );
}

function toUpdate({ answers, otherText }: PageAnswers) {
  const set: Record<string, string | string[]> = {};
  const unset: Record<string, ''> = {};
  for (const [id, value] of Object.entries(answers)) {
    if (value === undefined) unset[`answers.${id}`] = '';
    else set[`answers.${id}`] = value;
  }
  for (const [id, value] of Object.entries(otherText)) {
    if (value === undefined) unset[`otherText.${id}`] = '';
    else set[`otherText.${id}`] = value;
  }
  return { set, unset };
}

function prefixedValues(set: Record<string, string | string[]>, prefix: string) {
  return Object.fromEntries(
    Object.entries(set)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
}

/**
 * Deletes unfinished answers to a survey once it has been closed for `retentionDays`: nobody can
 * send them any more, and keeping personal words nobody submitted serves no one. Returns how many.
 */
export async function purgeClosedDrafts(
  responses: ResponseModel,
  surveyId: string,
  closes: Date,
  retentionDays: number,
  now: Date,
): Promise<number> {
  if (now.getTime() < closes.getTime() + retentionDays * 24 * 3600 * 1000) return 0;
  const result = await responses.deleteMany({ surveyId, status: 'draft' });
  return result.deletedCount;
}
