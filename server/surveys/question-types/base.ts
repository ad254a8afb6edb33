import { z } from 'zod';
import type { Translate } from '../../i18n/catalogue.js';
import { localisedSchema, type Locale, type Localised } from '../../i18n/localised.js';

/** Ids end up as form field names and MongoDB keys, so they stay plain. */
export const identifier = z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower case letters, digits and _');
export const choiceValue = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lower case letters, digits, - and _');

/** The value of the "Other (please say)" choice that `other: true` adds. */
export const OTHER_CHOICE = 'other';

export const conditionSchema = z
  .object({
    question: identifier,
    /** Holds when the answer (or, for a several-answer question, any chosen value) is one of these. */
    is: z.array(choiceValue).min(1),
  })
  .strict();
export type Condition = z.infer<typeof conditionSchema>;

/** The fields every question has, whatever its type. */
export const questionBase = {
  id: identifier,
  text: localisedSchema,
  hint: localisedSchema.optional(),
  required: z.boolean().default(false),
  showIf: conditionSchema.optional(),
};

export const choiceSchema = z.object({ value: choiceValue, label: localisedSchema }).strict();

/** An answer as stored: a choice value, a list of them, or text. */
export type AnswerValue = string | string[];

/** What a question type needs to read one submitted field. */
export interface FieldContext {
  t: Translate;
  locale: Locale;
  /** "Continue" checks required answers; "Back" and "Save" keep whatever there is. */
  enforceRequired: boolean;
}

/** One field read from a form: the value to store (null: no answer), or a message for the respondent. */
export type FieldResult = { ok: true; value: AnswerValue | null } | { ok: false; message: string };

export interface ExportColumn<Q> {
  header: string;
  value: (question: Q, answer: AnswerValue | undefined, visible: boolean) => string | number;
}

/** Everything that differs between kinds of question lives in one of these, one module per type. */
export interface QuestionType<Q extends { type: string; id: string; text: Localised; required: boolean }> {
  /** Reads the submitted form value into the answer to store. */
  parse(raw: unknown, question: Q, context: FieldContext): FieldResult;
  /** The answer as the respondent sees it on "Check your answers". */
  describe(answer: AnswerValue, question: Q, otherText: string | undefined, t: Translate, locale: Locale): string;
  /** Columns of the responses download. */
  exportColumns(question: Q): ExportColumn<Q>[];
  /** The choices, in English, for reports (choice questions only). */
  choices?(question: Q): { value: string; label: string }[];
  /** The respondent may give several answers (its report base is everyone asked). */
  readonly multiple?: boolean;
  /** Analysts code its answers (an open question). */
  readonly coded?: boolean;
  /** Its choices have an order of their own (a scale, bands): charts keep it instead of sorting by size. */
  ordered?(question: Q): boolean;
  /** Shows "(optional)" beside the question when it is not required. */
  readonly showsOptional: boolean;
}

/** Line endings normalised, control characters a browser would never send dropped, trimmed. */
export function cleanText(value: string): string {
  return (
    value
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- dropping control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .trim()
  );
}

export const formatCount = (count: number): string => count.toLocaleString('en-GB');

/** A field that takes one value: its cleaned text, or the message for anything else that was sent. */
export function oneValue(raw: unknown, several: string, t: Translate): FieldResult & { value?: string } {
  if (Array.isArray(raw)) return { ok: false, message: several };
  if (raw !== undefined && typeof raw !== 'string') return { ok: false, message: t('error.wrongType') };
  return { ok: true, value: cleanText(raw ?? '') };
}

/** No answer: refused when required and the respondent pressed Continue, otherwise stored as none. */
export function noAnswer(required: boolean, context: FieldContext, message: () => string): FieldResult {
  return context.enforceRequired && required ? { ok: false, message: message() } : { ok: true, value: null };
}
