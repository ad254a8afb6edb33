import { z } from 'zod';
import { noAnswer, oneValue, questionBase, type QuestionType } from './base.js';

/** "Yes, I agree": the respondent's consent to take part, always required. */
export const consentSchema = z
  .object({ ...questionBase, type: z.literal('consent'), required: z.literal(true).default(true) })
  .strict();
export type ConsentQuestion = z.infer<typeof consentSchema>;

export const consent: QuestionType<ConsentQuestion> = {
  showsOptional: false,
  parse(raw, question, context) {
    const { t } = context;
    const read = oneValue(raw, t('error.onlyOne'), t);
    if (!read.ok || read.value === undefined) return read;
    if (read.value === '') return noAnswer(question.required, context, () => t('error.consentRequired'));
    return read.value === 'yes' ? { ok: true, value: 'yes' } : { ok: false, message: t('error.notAChoice') };
  },
  describe: (_answer, _question, _otherText, t) => t('consent.agree'),
  exportColumns: (question) => [{ header: question.id, value: (_question, answer) => (answer === 'yes' ? 'yes' : '') }],
};
