import { z } from 'zod';
import { choiceSchema, noAnswer, oneValue, questionBase, type QuestionType } from './base.js';
import { allowedValues, describeChoices, englishChoices, labelColumn } from './choice.js';

/** One answer from a list (radio buttons), optionally with "Other (please say)". */
export const singleSchema = z
  .object({
    ...questionBase,
    type: z.literal('single'),
    choices: z.array(choiceSchema).min(2),
    /** Adds "Other (please say)" with a short text box. */
    other: z.boolean().default(false),
  })
  .strict();
export type SingleQuestion = z.infer<typeof singleSchema>;

export const single: QuestionType<SingleQuestion> = {
  showsOptional: true,
  parse(raw, question, context) {
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
  },
  describe: describeChoices,
  choices: englishChoices,
  exportColumns: (question) => [labelColumn(question)],
};
