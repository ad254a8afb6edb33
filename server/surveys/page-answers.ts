import { z } from 'zod';
import type { Translate } from '../i18n/catalogue.js';
import { pick, type Locale } from '../i18n/localised.js';
import { OTHER_CHOICE, type Question } from './definition-schema.js';

export const OTHER_TEXT_LIMIT = 500;
export const pageActions = ['continue', 'back', 'save'] as const;
export type PageAction = (typeof pageActions)[number];

export const otherFieldName = (questionId: string) => `${questionId}-other`;

/** What one page's form changes in the stored draft. */
export interface PageAnswers {
  action: PageAction;
  answers: Record<string, string | string[] | undefined>;
  otherText: Record<string, string | undefined>;
}

export interface FieldError {
  /** The form field (question id, or its "other" box) the message is about; `form` for the whole form. */
  field: string;
  message: string;
}

export type Echo = Record<string, string | string[]>;

export type PageParseResult =
  | { ok: true; value: PageAnswers }
  | { ok: false; errors: FieldError[]; echo: Echo; action: PageAction };

interface ParseOptions {
  questions: Question[];
  locale: Locale;
  t: Translate;
}

/**
 * Checks a submitted page against its questions. Any field the page does not have, any value of
 * the wrong shape (objects, operator keys, several values for one choice) is refused.
 */
export function parsePageAnswers(body: unknown, { questions, locale, t }: ParseOptions): PageParseResult {
  const record = isPlainRecord(body) ? body : {};
  const action = z.enum(pageActions).catch('continue').parse(record.action);
  const schema = buildPageSchema(questions, { locale, t, enforceRequired: action === 'continue' });
  // Every expected field present (zod treats an absent key as an error before any transform runs).
  const expected = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, undefined]));
  const parsed = schema.safeParse({ ...expected, ...record });
  // Checked on the raw body: a parser may drop keys such as __proto__ before refinements see them.
  const unknownFields = Object.keys(record)
    .filter((key) => !Object.hasOwn(expected, key))
    .map((key) => ({ field: 'form', message: t('error.unknownField', { field: key.slice(0, 40) }) }));
  if (parsed.success && unknownFields.length === 0) {
    const { action: _ignored, ...fields } = parsed.data;
    const answers: PageAnswers['answers'] = {};
    const otherText: PageAnswers['otherText'] = {};
    for (const question of questions) {
      const value = fields[question.id];
      answers[question.id] = (value ?? undefined) as string | string[] | undefined;
      if ('other' in question && question.other) {
        const chosen = Array.isArray(value) ? value : [value];
        const other = fields[otherFieldName(question.id)] as string | null;
        otherText[question.id] = chosen.includes(OTHER_CHOICE) && other !== null ? other : undefined;
      }
    }
    return { ok: true, value: { action, answers, otherText } };
  }
  const fieldErrors = parsed.success ? [] : toFieldErrors(parsed.error, t);
  return { ok: false, errors: [...unknownFields.slice(0, 1), ...fieldErrors], echo: echoOf(record), action };
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

interface SchemaOptions {
  locale: Locale;
  t: Translate;
  enforceRequired: boolean;
}

function buildPageSchema(questions: Question[], options: SchemaOptions) {
  const shape: Record<string, z.ZodType> = { action: z.unknown().optional() };
  for (const question of questions) {
    shape[question.id] = fieldSchema(question, options);
    if ('other' in question && question.other) shape[otherFieldName(question.id)] = otherTextSchema(options.t);
  }
  // Unknown keys are reported by the caller from the raw body; here they are simply not copied.
  return z.object(shape).superRefine((fields, context) => {
    for (const question of questions) {
      if ('other' in question && question.other) checkOtherText(question, fields, context, options);
    }
  });
}

function otherTextSchema(t: Translate): z.ZodType {
  return z.unknown().transform((raw, context) => {
    if (raw !== undefined && typeof raw !== 'string') {
      context.addIssue({ code: 'custom', message: t('error.wrongType') });
      return z.NEVER;
    }
    const text = cleanText(raw ?? '');
    const length = [...text].length;
    if (length > OTHER_TEXT_LIMIT) {
      context.addIssue({ code: 'custom', message: t('error.tooLong', { max: formatCount(OTHER_TEXT_LIMIT), length: formatCount(length) }) });
      return z.NEVER;
    }
    return text === '' ? null : text;
  });
}

/** "Other (please say)" needs its box filled only when Other is chosen. */
function checkOtherText(question: Question, fields: Record<string, unknown>, context: z.RefinementCtx, { t, enforceRequired }: SchemaOptions) {
  const field = otherFieldName(question.id);
  const chosen = fields[question.id];
  const otherChosen = Array.isArray(chosen) ? chosen.includes(OTHER_CHOICE) : chosen === OTHER_CHOICE;
  if (enforceRequired && otherChosen && fields[field] == null) {
    context.addIssue({ code: 'custom', path: [field], message: t('error.otherRequired') });
  }
}

function fieldSchema(question: Question, { locale, t, enforceRequired }: SchemaOptions): z.ZodType {
  const label = pick(question.text, locale);
  const allowed = new Set<string>('choices' in question ? question.choices.map((choice) => choice.value) : []);
  if ('other' in question && question.other) allowed.add(OTHER_CHOICE);

  return z.unknown().transform((raw, context) => {
    const fail = (message: string) => {
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    // null, not undefined: zod reports an undefined result for a present key as a missing value.
    const missing = () => (enforceRequired && question.required ? fail(requiredMessage(question, label, t)) : null);

    if (question.type === 'multi') {
      const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      if (!values.every((value) => typeof value === 'string')) return fail(t('error.wrongType'));
      const chosen = [...new Set(values.filter((value) => value !== ''))];
      if (chosen.some((value) => !allowed.has(value))) return fail(t('error.notAChoice'));
      return chosen.length > 0 ? chosen : missing();
    }
    if (Array.isArray(raw)) return fail(question.type === 'text' ? t('error.wrongType') : t('error.onlyOne'));
    if (raw !== undefined && typeof raw !== 'string') return fail(t('error.wrongType'));
    const text = cleanText(raw ?? '');
    if (text === '') return missing();

    switch (question.type) {
      case 'text': {
        const length = [...text].length;
        return length > question.maxLength ? fail(t('error.tooLong', { max: formatCount(question.maxLength), length: formatCount(length) })) : text;
      }
      case 'consent':
        return text === 'yes' ? text : fail(t('error.notAChoice'));
      default:
        return allowed.has(text) ? text : fail(t('error.notAChoice'));
    }
  });
}

function requiredMessage(question: Question, label: string, t: Translate): string {
  if (question.type === 'consent') return t('error.consentRequired');
  if (question.type === 'text') return t('error.textRequired', { question: label });
  return t('error.choiceRequired', { question: label });
}

/** Normalises line endings and drops control characters a browser would never send. */
function cleanText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .trim();
}

function toFieldErrors(error: z.ZodError, t: Translate): FieldError[] {
  const errors = error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'form'), message: issue.message || t('error.wrongType') }));
  // One message per field, form-level problems first.
  const seen = new Set<string>();
  return errors
    .sort((a, b) => Number(b.field === 'form') - Number(a.field === 'form'))
    .filter((error) => (seen.has(error.field) ? false : (seen.add(error.field), true)));
}

/** What the respondent typed, kept only where it is a string or a list of strings, for re-display. */
function echoOf(record: Record<string, unknown>): Echo {
  const echo: Echo = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string') echo[key] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) echo[key] = value;
  }
  return echo;
}

function formatCount(count: number): string {
  return count.toLocaleString('en-GB');
}
