import { z } from 'zod';
import { localisedSchema } from '../i18n/localised.js';
import { identifier } from './question-types/base.js';
import { checkGroupings, groupingSchema } from './groupings.js';
import { OTHER_CHOICE, questionSchema } from './question-types/index.js';

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

const pageSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'use lower case letters, digits and -'),
    title: localisedSchema,
    intro: localisedSchema.optional(),
    questions: z.array(questionSchema).min(1),
  })
  .strict();

export const surveyDefinitionSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    version: z.number().int().min(1),
    title: localisedSchema,
    summary: localisedSchema,
    intro: z.array(localisedSchema).min(1),
    minutes: z.number().int().min(1).max(120),
    opens: isoDate,
    closes: isoDate,
    /** Which answers describe the respondent in the workbench and reports, and which gives quote consent. */
    profile: z.object({ group: identifier, country: identifier, quoteConsent: identifier }).strict(),
    /** Named groups of the profile questions' choices, for breakdowns and charts. */
    groupings: z.array(groupingSchema).default([]),
    pages: z.array(pageSchema).min(1),
  })
  .strict()
  .superRefine((survey, context) => {
    checkCrossReferences(survey, context);
    checkGroupings(survey, context);
  });

export type SurveyDefinition = z.infer<typeof surveyDefinitionSchema>;
export type SurveyPage = SurveyDefinition['pages'][number];
export {
  DEFAULT_TEXT_LIMIT,
  OTHER_CHOICE,
  type ChoiceQuestion,
  type Condition,
  type Question,
} from './question-types/index.js';

/** Rules zod cannot express field by field: unique ids, conditions on earlier pages, dates in order. */
function checkCrossReferences(survey: z.input<typeof surveyDefinitionSchema>, context: z.RefinementCtx): void {
  if (Date.parse(survey.opens) >= Date.parse(survey.closes)) {
    context.addIssue({ code: 'custom', path: ['closes'], message: 'must be after opens' });
  }
  const earlier = new Map<string, z.input<typeof questionSchema>>();
  const allQuestions = survey.pages.flatMap((page) => page.questions);
  for (const [role, questionId] of Object.entries(survey.profile)) {
    const question = allQuestions.find((candidate) => candidate.id === questionId);
    if (!question || question.type !== 'single') {
      context.addIssue({
        code: 'custom',
        path: ['profile', role],
        message: `"${questionId}" must be a single-choice question of this survey`,
      });
    }
  }
  const pageIds = new Set<string>();
  survey.pages.forEach((page, pageIndex) => {
    if (pageIds.has(page.id)) {
      context.addIssue({ code: 'custom', path: ['pages', pageIndex, 'id'], message: `duplicate page id "${page.id}"` });
    }
    pageIds.add(page.id);
    const onThisPage: typeof earlier = new Map();
    page.questions.forEach((question, questionIndex) => {
      const at = ['pages', pageIndex, 'questions', questionIndex];
      if (earlier.has(question.id) || onThisPage.has(question.id)) {
        context.addIssue({ code: 'custom', path: [...at, 'id'], message: `duplicate question id "${question.id}"` });
      }
      if ('choices' in question) {
        const values = question.choices.map((choice) => choice.value);
        const repeated = values.find((value, index) => values.indexOf(value) !== index);
        if (repeated)
          context.addIssue({ code: 'custom', path: [...at, 'choices'], message: `duplicate choice "${repeated}"` });
        if ('other' in question && question.other && values.includes(OTHER_CHOICE)) {
          context.addIssue({
            code: 'custom',
            path: [...at, 'choices'],
            message: `"${OTHER_CHOICE}" is added by other: true`,
          });
        }
      }
      if (question.showIf) {
        // Conditions look back only, so a page can be decided from answers already saved.
        const target = earlier.get(question.showIf.question);
        if (!target) {
          context.addIssue({
            code: 'custom',
            path: [...at, 'showIf', 'question'],
            message: `"${question.showIf.question}" must be a question on an earlier page`,
          });
        } else if (!('choices' in target)) {
          context.addIssue({
            code: 'custom',
            path: [...at, 'showIf', 'question'],
            message: 'must be a choice question',
          });
        } else {
          const known = new Set(target.choices.map((choice) => choice.value));
          if ('other' in target && target.other) known.add(OTHER_CHOICE);
          for (const value of question.showIf.is) {
            if (!known.has(value)) {
              context.addIssue({
                code: 'custom',
                path: [...at, 'showIf', 'is'],
                message: `"${value}" is not a choice of "${target.id}"`,
              });
            }
          }
        }
      }
      onThisPage.set(question.id, question);
    });
    for (const [id, question] of onThisPage) earlier.set(id, question);
  });
}
