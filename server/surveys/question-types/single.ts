import { z } from 'zod';
import { choiceSchema, questionBase, type QuestionType } from './base.js';
import { describeChoices, englishChoices, labelColumn, parseOneChoice } from './choice.js';

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
  parse: parseOneChoice,
  describe: describeChoices,
  choices: englishChoices,
  exportColumns: (question) => [labelColumn(question)],
};
