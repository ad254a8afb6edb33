import { z } from 'zod';
import { choiceSchema, noAnswer, questionBase, type QuestionType } from './base.js';
import { allowedValues, describeChoices, englishChoices } from './choice.js';

/** Any number of answers from a list (checkboxes), optionally with "Other (please say)". */
export const multiSchema = z
  .object({
    ...questionBase,
    type: z.literal('multi'),
    choices: z.array(choiceSchema).min(2),
    /** Adds "Other (please say)" with a short text box. */
    other: z.boolean().default(false),
  })
  .strict();
export type MultiQuestion = z.infer<typeof multiSchema>;

export const multi: QuestionType<MultiQuestion> = {
  showsOptional: true,
  multiple: true,
  parse(raw, question, context) {
    const { t } = context;
    const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    if (!values.every((value) => typeof value === 'string')) return { ok: false, message: t('error.wrongType') };
    const chosen = [...new Set(values.filter((value) => value !== ''))];
    if (chosen.some((value) => !allowedValues(question).has(value)))
      return { ok: false, message: t('error.notAChoice') };
    if (chosen.length === 0)
      return noAnswer(question.required, context, () =>
        t('error.choiceRequired', { question: question.text[context.locale] ?? question.text.en }),
      );
    return { ok: true, value: chosen };
  },
  describe: describeChoices,
  choices: englishChoices,
  // One column per choice: 1 chosen, 0 not, blank if the question was not asked.
  exportColumns: (question) =>
    englishChoices(question).map((choice) => ({
      header: `${question.id}: ${choice.label}`,
      value: (_question, answer, visible) =>
        visible ? (Array.isArray(answer) && answer.includes(choice.value) ? 1 : 0) : '',
    })),
};
