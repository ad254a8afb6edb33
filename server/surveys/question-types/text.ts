import { z } from 'zod';
import { formatCount, noAnswer, oneValue, questionBase, type QuestionType } from './base.js';

export const DEFAULT_TEXT_LIMIT = 10_000;

/** An answer in the respondent's own words: the questions analysts code. */
export const textSchema = z
  .object({
    ...questionBase,
    type: z.literal('text'),
    maxLength: z.number().int().min(1).max(DEFAULT_TEXT_LIMIT).default(DEFAULT_TEXT_LIMIT),
    /** The codebook in coding-schemes/ analysts use for this question. */
    codedWith: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .optional(),
  })
  .strict();
export type TextQuestion = z.infer<typeof textSchema>;

export const text: QuestionType<TextQuestion> = {
  showsOptional: true,
  coded: true,
  parse(raw, question, context) {
    const { t } = context;
    const read = oneValue(raw, t('error.wrongType'), t);
    if (!read.ok || read.value === undefined) return read;
    if (read.value === '')
      return noAnswer(question.required, context, () =>
        t('error.textRequired', { question: question.text[context.locale] ?? question.text.en }),
      );
    const length = [...read.value].length;
    if (length > question.maxLength)
      return {
        ok: false,
        message: t('error.tooLong', { max: formatCount(question.maxLength), length: formatCount(length) }),
      };
    return { ok: true, value: read.value };
  },
  describe: (answer) => [answer].flat().join(' '),
  exportColumns: (question) => [
    { header: question.id, value: (_question, answer) => (typeof answer === 'string' ? answer : '') },
  ],
};
