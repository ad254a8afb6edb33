import { z } from 'zod';
import type { QuestionType } from './base.js';
import { consent, consentSchema } from './consent.js';
import { multi, multiSchema } from './multi.js';
import { scale, scaleSchema } from './scale.js';
import { single, singleSchema } from './single.js';
import { text, textSchema } from './text.js';

/**
 * Every kind of question a survey definition may use. A new kind is one module here (its schema,
 * parsing, messages, display partial `<type>.ejs` and export columns) added to these two lists.
 */
export const questionSchema = z.discriminatedUnion('type', [
  singleSchema,
  multiSchema,
  scaleSchema,
  textSchema,
  consentSchema,
]);
export type Question = z.infer<typeof questionSchema>;

const types: { [T in Question['type']]: QuestionType<Extract<Question, { type: T }>> } = {
  single,
  multi,
  scale,
  text,
  consent,
};

/** The behaviour of a question's type. */
export function typeOf<Q extends Question>(question: Q): QuestionType<Q> {
  return types[question.type] as unknown as QuestionType<Q>;
}

/** A question offering choices (single, several-answer or scale): the ones reports count. */
export type ChoiceQuestion = Extract<Question, { choices: unknown }>;
export const isChoiceQuestion = (question: Question): question is ChoiceQuestion =>
  typeOf(question).choices !== undefined;

/** The choices of a choice question, in English, for reports and downloads. */
export function choiceLabels(question: ChoiceQuestion): { value: string; label: string }[] {
  return typeOf(question).choices?.(question) ?? [];
}

export { OTHER_CHOICE, type AnswerValue, type Condition } from './base.js';
export { DEFAULT_TEXT_LIMIT, type TextQuestion } from './text.js';
