import { z } from 'zod';
import { choiceSchema, noAnswer, oneValue, questionBase, type QuestionType } from './base.js';
import { allowedValues, describeChoices, englishChoices, labelColumn } from './choice.js';

/** A five-point scale, shown and reported in its own order. */
export const scaleSchema = z
  .object({ ...questionBase, type: z.literal('scale'), choices: z.array(choiceSchema).length(5) })
  .strict();
export type ScaleQuestion = z.infer<typeof scaleSchema>;

export const scale: QuestionType<ScaleQuestion> = {
  showsOptional: true,
  ordered: true,
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
