import { z } from 'zod';
import { choiceSchema, questionBase, type QuestionType } from './base.js';
import { describeChoices, englishChoices, labelColumn, parseOneChoice } from './choice.js';

/** A five-point scale, shown and reported in its own order. */
export const scaleSchema = z
  .object({ ...questionBase, type: z.literal('scale'), choices: z.array(choiceSchema).length(5) })
  .strict();
export type ScaleQuestion = z.infer<typeof scaleSchema>;

export const scale: QuestionType<ScaleQuestion> = {
  showsOptional: true,
  ordered: () => true,
  parse: parseOneChoice,
  describe: describeChoices,
  choices: englishChoices,
  exportColumns: (question) => [labelColumn(question)],
};
