import { surveyDefinitionSchema, type SurveyDefinition } from '../surveys/definition-schema.js';
import type { ImportedColumn } from './model.js';

/** The question every imported respondent answers the same way, standing in for a profile answer the file lacks. */
export const SOURCE_QUESTION = 'import_source';
/** Imported respondents never agreed to be quoted by this platform, so no answer means no consent. */
export const CONSENT_QUESTION = 'import_quote_consent';
/** An attribute is a category to break answers down by; more values than this is an answer or a key. */
export const MAX_ATTRIBUTE_VALUES = 60;

export interface AttributeValues {
  questionId: string;
  /** Labels as they appear in the file, mapped to their choice values. */
  values: Map<string, string>;
}

/** "Social worker (children's)" -> "social-worker-children-s": a choice value. */
export function choiceSlug(label: string): string {
  const slug = label
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'value';
}

/** A question id from a column's tool id or name: lower case letters, digits and _, unique. */
export function questionIdFor(text: string, taken: Set<string>): string {
  let base = choiceSlug(text).replace(/-/g, '_');
  if (!/^[a-z]/.test(base)) base = `q_${base}`;
  base = base.slice(0, 40).replace(/_+$/, '');
  let id = base;
  for (let count = 2; taken.has(id); count += 1) id = `${base}_${count}`;
  taken.add(id);
  return id;
}

/** The choice value for a label, reusing the one it already has. */
export function valueFor(attribute: AttributeValues, label: string): string {
  const known = attribute.values.get(label);
  if (known) return known;
  const used = new Set(attribute.values.values());
  const base = choiceSlug(label);
  let value = base;
  for (let count = 2; used.has(value); count += 1) value = `${base}-${count}`;
  attribute.values.set(label, value);
  return value;
}

/**
 * The survey definition of an imported file: one page of the chosen questions. The first two
 * attributes stand for the respondent's group and country in filters and breakdowns.
 */
export function importedDefinition(input: {
  surveyId: string;
  title: string;
  version: number;
  importedOn: Date;
  columns: ImportedColumn[];
  attributes: AttributeValues[];
}): SurveyDefinition {
  const day = input.importedOn.toISOString().slice(0, 10);
  const nextDay = new Date(input.importedOn.getTime() + 86_400_000).toISOString().slice(0, 10);
  const attributeQuestions = input.attributes.map((attribute) => {
    const column = input.columns.find((entry) => entry.questionId === attribute.questionId)!;
    const choices = [...attribute.values].map(([label, value]) => ({ value, label: { en: label } }));
    while (choices.length < 2)
      choices.push({ value: `no_answer_${choices.length}`, label: { en: 'No answer in the file' } });
    return { id: attribute.questionId, type: 'single' as const, text: { en: column.name }, choices };
  });
  const textQuestions = input.columns
    .filter((column) => column.role === 'text')
    .map((column) => ({ id: column.questionId, type: 'text' as const, text: { en: column.name } }));
  const source = {
    id: SOURCE_QUESTION,
    type: 'single' as const,
    text: { en: 'Source' },
    choices: [
      { value: 'file', label: { en: `Imported: ${input.title}` } },
      { value: 'other', label: { en: 'Other' } },
    ],
  };
  const consent = {
    id: CONSENT_QUESTION,
    type: 'single' as const,
    text: { en: 'Agreed to be quoted' },
    choices: [
      { value: 'yes', label: { en: 'Yes' } },
      { value: 'no', label: { en: 'No' } },
    ],
  };
  const [group, country] = attributeQuestions;
  return surveyDefinitionSchema.parse({
    id: input.surveyId,
    version: input.version,
    title: { en: input.title },
    summary: { en: `Answers imported from a file on ${day}.` },
    intro: [{ en: 'These answers were imported from a survey tool’s export; this survey has no public pages.' }],
    minutes: 1,
    opens: day,
    closes: nextDay,
    profile: {
      group: group?.id ?? SOURCE_QUESTION,
      country: country?.id ?? SOURCE_QUESTION,
      quoteConsent: CONSENT_QUESTION,
    },
    pages: [
      {
        id: 'answers',
        title: { en: input.title },
        questions: [...attributeQuestions, ...textQuestions, source, consent],
      },
    ],
  });
}
