import type { Translate } from '../../i18n/catalogue.js';
import { pick, type Locale, type Localised } from '../../i18n/localised.js';
import {
  noAnswer,
  oneValue,
  OTHER_CHOICE,
  type AnswerValue,
  type ExportColumn,
  type FieldContext,
  type FieldResult,
} from './base.js';

/** What single, several-answer and scale questions share. */
export interface ChoiceLike {
  id: string;
  choices: { value: string; label: Localised }[];
  other?: boolean;
}

/** The question's choices in English, with "Other (please say)" where it is offered. */
export function englishChoices(question: ChoiceLike): { value: string; label: string }[] {
  const choices = question.choices.map((choice) => ({ value: choice.value, label: pick(choice.label, 'en') }));
  if (question.other) choices.push({ value: OTHER_CHOICE, label: 'Other (please say)' });
  return choices;
}

export function allowedValues(question: ChoiceLike): Set<string> {
  const allowed = new Set(question.choices.map((choice) => choice.value));
  if (question.other) allowed.add(OTHER_CHOICE);
  return allowed;
}

/** One answer from a list: the chosen value, or a message (several sent, not listed, or required and empty). */
export function parseOneChoice(
  raw: unknown,
  question: ChoiceLike & { required: boolean; text: Localised },
  context: FieldContext,
): FieldResult {
  const { t } = context;
  const read = oneValue(raw, t('error.onlyOne'), t);
  if (!read.ok || read.value === undefined) return read;
  if (read.value === '')
    return noAnswer(question.required, context, () =>
      t('error.choiceRequired', { question: question.text[context.locale] ?? question.text.en }),
    );
  return allowedValues(question).has(read.value)
    ? { ok: true, value: read.value }
    : { ok: false, message: t('error.notAChoice') };
}

/** Chosen values as the respondent reads them, "Other" with what they wrote. */
export function describeChoices(
  answer: AnswerValue,
  question: ChoiceLike,
  otherText: string | undefined,
  t: Translate,
  locale: Locale,
): string {
  return [answer]
    .flat()
    .map((value) => {
      if (value === OTHER_CHOICE && question.other) return `${t('page.otherLabel')}: ${otherText ?? ''}`;
      const choice = question.choices.find((candidate) => candidate.value === value);
      return choice ? pick(choice.label, locale) : value;
    })
    .join('; ');
}

/** One column holding the chosen choice's English label. */
export function labelColumn<Q extends ChoiceLike>(question: Q): ExportColumn<Q> {
  // Looked up once per download, not once per row: the responses CSV calls value() for every row.
  const labels = new Map<unknown, string>();
  for (const choice of englishChoices(question)) if (!labels.has(choice.value)) labels.set(choice.value, choice.label);
  return {
    header: question.id,
    value: (_question, answer) => {
      if (answer === undefined || Array.isArray(answer)) return '';
      return labels.get(answer) ?? answer;
    },
  };
}
