import { pick } from '../i18n/localised.js';
import { OTHER_CHOICE, type ChoiceQuestion, type Question } from './definition-schema.js';

export const isChoiceQuestion = (question: Question): question is ChoiceQuestion =>
  question.type === 'single' || question.type === 'multi' || question.type === 'scale';

/** A choice question's values and English labels, with "Other (please say)" where it is offered. */
export function choiceLabels(question: ChoiceQuestion): { value: string; label: string }[] {
  const choices = question.choices.map((choice) => ({ value: choice.value, label: pick(choice.label, 'en') }));
  if ('other' in question && question.other) choices.push({ value: OTHER_CHOICE, label: 'Other (please say)' });
  return choices;
}
