import { pick } from '../i18n/localised.js';
import { choiceLabels, isChoiceQuestion } from '../surveys/question-types/index.js';
import type { Survey } from '../surveys/registry.js';

/** A way of splitting respondents into columns: a profile question's choices, or named groups of them. */
export interface Breakdown {
  id: string;
  /** What the columns are: the grouping's name, or the question itself. */
  label: string;
  /** Which profile answer a respondent is placed by, or the language they answered in. */
  field: 'group' | 'country' | 'language';
  /** The columns, "Not given" last. */
  columns: { id: string; label: string }[];
  /** The column of a respondent with this answer (undefined: not given). */
  columnOf(value: string | undefined): number;
}

const NOT_GIVEN = { id: '', label: 'Not given' };

function questionBreakdown(survey: Survey, field: 'group' | 'country'): Breakdown | undefined {
  const question = survey.question(survey.definition.profile[field]);
  if (!question || !isChoiceQuestion(question)) return undefined;
  const columns = [...choiceLabels(question).map((choice) => ({ id: choice.value, label: choice.label })), NOT_GIVEN];
  const index = new Map(columns.map((column, at) => [column.id, at]));
  return {
    id: question.id,
    label: pick(question.text, 'en'),
    field,
    columns,
    columnOf: (value) => index.get(value ?? '') ?? columns.length - 1,
  };
}

/** The language each answer was given in: English or Welsh (`language` on the response). */
function languageBreakdown(): Breakdown {
  const columns = [
    { id: 'en', label: 'English' },
    { id: 'cy', label: 'Welsh (Cymraeg)' },
  ];
  return {
    id: 'language',
    label: 'Language answered in',
    field: 'language',
    columns,
    columnOf: (value) => (value === 'cy' ? 1 : 0),
  };
}

/** Every breakdown a survey offers: its groupings first, then its group and country questions, then language (if Welsh was offered). */
export function breakdownsOf(survey: Survey): Breakdown[] {
  const { profile, groupings } = survey.definition;
  const grouped = groupings.map((grouping): Breakdown => {
    const field = grouping.question === profile.group ? 'group' : 'country';
    const groupOf = new Map(
      grouping.groups.flatMap((group, at) => group.choices.map((choice) => [choice, at] as const)),
    );
    const columns = [
      ...grouping.groups.map((group) => ({ id: group.id, label: pick(group.label, 'en') })),
      { id: '-ungrouped', label: 'Other (not in a group)' },
      NOT_GIVEN,
    ];
    return {
      id: grouping.id,
      label: pick(grouping.label, 'en'),
      field,
      columns,
      columnOf: (value) =>
        value === undefined || value === '' ? columns.length - 1 : (groupOf.get(value) ?? columns.length - 2),
    };
  });
  return [
    ...grouped,
    questionBreakdown(survey, 'group'),
    questionBreakdown(survey, 'country'),
    survey.offersWelsh ? languageBreakdown() : undefined,
  ].filter((breakdown): breakdown is Breakdown => breakdown !== undefined);
}

/** A breakdown by its id; `group` and `country` name the profile questions, as older links did. */
export function breakdownById(survey: Survey, id: string | undefined): Breakdown | undefined {
  if (!id) return undefined;
  const alias =
    id === 'group' ? survey.definition.profile.group : id === 'country' ? survey.definition.profile.country : id;
  return breakdownsOf(survey).find((breakdown) => breakdown.id === alias);
}
