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
    /** The choices are in an order of their own (bands of years, of age): charts keep it. */
    ordered: z.boolean().default(false),
  })
  .strict();
export type SingleQuestion = z.infer<typeof singleSchema>;

export const single: QuestionType<SingleQuestion> = {
  showsOptional: true,
  ordered: (question) => question.ordered,
  parse: parseOneChoice,
  describe: describeChoices,
  choices: englishChoices,
  exportColumns: (question) => [labelColumn(question)],
};
