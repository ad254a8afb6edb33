import { z } from 'zod';
import { localisedSchema } from '../i18n/localised.js';
import { choiceValue, identifier, OTHER_CHOICE } from './question-types/base.js';

/**
 * Named groups of one question's choices, for breakdowns and charts: sixteen roles are too many
 * columns, so the professionals survey groups them as the published report does (social work,
 * legal, judiciary, ...). Data in the survey definition, so the team can change them.
 */
export const groupingSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'use lower case letters, digits and -'),
    /** What the breakdown is called in reports: "Role group". */
    label: localisedSchema,
    /** The profile question (group or country) whose choices are grouped. */
    question: identifier,
    groups: z
      .array(z.object({ id: choiceValue, label: localisedSchema, choices: z.array(choiceValue).min(1) }).strict())
      .min(2),
  })
  .strict();
export type Grouping = z.infer<typeof groupingSchema>;

interface DefinitionLike {
  profile: { group: string; country: string };
  pages: { questions: { id: string; choices?: { value: string }[]; other?: boolean }[] }[];
  groupings?: z.input<typeof groupingSchema>[];
}

/** Each grouping names a profile question, and each of its choices sits in at most one group. */
export function checkGroupings(survey: DefinitionLike, context: z.RefinementCtx): void {
  const questions = survey.pages.flatMap((page) => page.questions);
  (survey.groupings ?? []).forEach((grouping, index) => {
    const at = ['groupings', index];
    if (grouping.question !== survey.profile.group && grouping.question !== survey.profile.country) {
      context.addIssue({
        code: 'custom',
        path: [...at, 'question'],
        message: 'must be the profile group or country question',
      });
      return;
    }
    const question = questions.find((candidate) => candidate.id === grouping.question);
    const known = new Set((question?.choices ?? []).map((choice) => choice.value));
    if (question?.other) known.add(OTHER_CHOICE);
    const seen = new Set<string>();
    grouping.groups.forEach((group, groupIndex) => {
      for (const value of group.choices) {
        if (!known.has(value))
          context.addIssue({
            code: 'custom',
            path: [...at, 'groups', groupIndex, 'choices'],
            message: `"${value}" is not a choice of "${grouping.question}"`,
          });
        if (seen.has(value))
          context.addIssue({
            code: 'custom',
            path: [...at, 'groups', groupIndex, 'choices'],
            message: `"${value}" is in two groups`,
          });
        seen.add(value);
      }
    });
  });
}
