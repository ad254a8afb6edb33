import type { FieldIssue } from '../http/errors.js';
import type { Translate } from '../i18n/catalogue.js';
import type { Locale } from '../i18n/localised.js';
import { cleanText, formatCount } from './question-types/base.js';
import { OTHER_CHOICE, typeOf, type Question } from './question-types/index.js';

export const OTHER_TEXT_LIMIT = 500;
/** `language`: the language switch on a page with a form keeps what was typed (saved unchecked) and shows the page again. */
export const pageActions = ['continue', 'back', 'save', 'language'] as const;
export type PageAction = (typeof pageActions)[number];

export const otherFieldName = (questionId: string) => `${questionId}-other`;

/** What one page's form changes in the stored draft. */
export interface PageAnswers {
  action: PageAction;
  answers: Record<string, string | string[] | undefined>;
  otherText: Record<string, string | undefined>;
}

/** A problem with one field (question id, or its "other" box); `form` for the whole form. */
export type FieldError = FieldIssue;

export type Echo = Record<string, string | string[]>;

export type PageParseResult =
  | { ok: true; value: PageAnswers; action: PageAction }
  | { ok: false; errors: FieldError[]; echo: Echo; action: PageAction };

interface ParseOptions {
  questions: Question[];
  locale: Locale;
  t: Translate;
}

/**
 * Checks a submitted page against its questions, each read by its question type. Any field the
 * page does not have, any value of the wrong shape (objects, operator keys, several values for one
 * choice) is refused.
 */
export function parsePageAnswers(body: unknown, { questions, locale, t }: ParseOptions): PageParseResult {
  const record = isPlainRecord(body) ? body : {};
  const action: PageAction = pageActions.find((candidate) => candidate === record.action) ?? 'continue';
  const context = { t, locale, enforceRequired: action === 'continue' };
  const expected = new Set([
    'action',
    ...questions.flatMap((question) =>
      hasOther(question) ? [question.id, otherFieldName(question.id)] : [question.id],
    ),
  ]);
  // Checked on the raw body: a parser may drop keys such as __proto__ before anything else sees them.
  const errors: FieldError[] = Object.keys(record)
    .filter((key) => !expected.has(key))
    .slice(0, 1)
    .map((key) => ({ field: 'form', message: t('error.unknownField', { field: key.slice(0, 40) }) }));
  const answers: PageAnswers['answers'] = {};
  const otherText: PageAnswers['otherText'] = {};
  for (const question of questions) {
    const result = typeOf(question).parse(record[question.id], question, context);
    if (!result.ok) errors.push({ field: question.id, message: result.message });
    else answers[question.id] = result.value ?? undefined;
    if (!hasOther(question)) continue;
    const field = otherFieldName(question.id);
    const other = readOtherText(record[field], t);
    if (!other.ok) {
      errors.push({ field, message: other.message });
      continue;
    }
    const chosen = result.ok ? [result.value].flat() : [];
    // "Other (please say)" needs its box filled only when Other is chosen.
    if (context.enforceRequired && chosen.includes(OTHER_CHOICE) && other.value === null)
      errors.push({ field, message: t('error.otherRequired') });
    otherText[question.id] = chosen.includes(OTHER_CHOICE) && other.value !== null ? other.value : undefined;
  }
  if (errors.length > 0) return { ok: false, errors, echo: echoOf(record), action };
  return { ok: true, value: { action, answers, otherText }, action };
}

const hasOther = (question: Question): boolean => 'other' in question && question.other === true;

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readOtherText(
  raw: unknown,
  t: Translate,
): { ok: true; value: string | null } | { ok: false; message: string } {
  if (raw !== undefined && typeof raw !== 'string') return { ok: false, message: t('error.wrongType') };
  const text = cleanText(raw ?? '');
  const length = [...text].length;
  if (length > OTHER_TEXT_LIMIT)
    return {
      ok: false,
      message: t('error.tooLong', { max: formatCount(OTHER_TEXT_LIMIT), length: formatCount(length) }),
    };
  return { ok: true, value: text === '' ? null : text };
}

/** What the respondent typed, kept only where it is a string or a list of strings, for re-display. */
export function echoOf(body: unknown): Echo {
  const echo: Echo = {};
  if (!isPlainRecord(body)) return echo;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') echo[key] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) echo[key] = value;
  }
  return echo;
}
