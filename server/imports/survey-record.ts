import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../db/duplicates.js';
import { ConflictError } from '../http/errors.js';
import { surveyDefinitionSchema, type SurveyDefinition } from '../surveys/definition-schema.js';
import { importedDefinition, MAX_ATTRIBUTE_VALUES, valueFor, type AttributeValues } from './definition.js';
import { ImportRefusedError } from './errors.js';
import { importedSurveyModel, type ImportedColumn, type ImportedSurveyRecord } from './model.js';

export interface SurveyRecordInput {
  surveyId: string;
  title: string;
  layout: string;
  columns: ImportedColumn[];
  /** Each attribute's values as the file gave them, in order of first appearance. */
  labels: { questionId: string; name: string; labels: string[] }[];
  by: string;
  now: Date;
}

/** An attribute's choice values so far: the stored definition's, padding left out. */
function storedValues(definition: SurveyDefinition | undefined, questionId: string): AttributeValues {
  const values = new Map<string, string>();
  const question = definition?.pages.flatMap((page) => page.questions).find((entry) => entry.id === questionId);
  if (question && 'choices' in question) {
    for (const choice of question.choices) {
      if (!choice.value.startsWith('no_answer_')) values.set(choice.label.en, choice.value);
    }
  }
  return { questionId, values };
}

/** The same columns in the same roles, in any order. */
const sameColumns = (a: ImportedColumn[], b: ImportedColumn[]) => {
  const key = (columns: ImportedColumn[]) =>
    columns
      .map((column) => `${column.name}\u0000${column.questionId}\u0000${column.role}`)
      .sort()
      .join('\u0001');
  return key(a) === key(b);
};

/**
 * Writes the imported survey's definition with this file's attribute values added to those already
 * stored. Each write names the revision it read, so two imports of one survey at once cannot lose
 * each other's values: the later one reads again and adds its values to the other's.
 */
export async function saveSurveyRecord(
  connection: Connection,
  input: SurveyRecordInput,
): Promise<{ version: number; attributes: AttributeValues[] }> {
  const model = importedSurveyModel(connection);
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const stored: ImportedSurveyRecord | null = await model.findById(input.surveyId).lean();
    if (stored && !sameColumns(stored.columns, input.columns)) {
      throw new ImportRefusedError(
        `This survey was imported with other columns (${stored.columns.map((entry) => `"${entry.name}"`).join(', ')}); import this file into a new survey.`,
      );
    }
    const before = stored ? surveyDefinitionSchema.parse(JSON.parse(stored.definition)) : undefined;
    const attributes = input.labels.map(({ questionId, name, labels }) => {
      const values = storedValues(before, questionId);
      for (const label of labels) valueFor(values, label);
      if (values.values.size > MAX_ATTRIBUTE_VALUES) {
        throw new ImportRefusedError(
          `Column "${name}" has more than ${MAX_ATTRIBUTE_VALUES} different values: an attribute is a category such as a role or a region. Import it as answers instead.`,
        );
      }
      return values;
    });
    const grew = attributes.some(
      (attribute) => attribute.values.size > storedValues(before, attribute.questionId).values.size,
    );
    const version = before ? before.version + (grew ? 1 : 0) : 1;
    const definition = JSON.stringify(
      importedDefinition({
        surveyId: input.surveyId,
        title: before?.title.en ?? input.title,
        version,
        importedOn: stored?.createdAt ?? input.now,
        columns: input.columns,
        attributes,
      }),
    );
    const fields = { definition, layout: input.layout, columns: input.columns, by: input.by, updatedAt: input.now };
    if (!stored) {
      try {
        await model.create({ _id: input.surveyId, ...fields, createdAt: input.now, revision: 1 });
        return { version, attributes };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        continue;
      }
    }
    const revision = stored.revision ?? 0;
    const written = await model.updateOne(
      { _id: input.surveyId, revision },
      { $set: { ...fields, revision: revision + 1 } },
    );
    if (written.matchedCount === 1) return { version, attributes };
  }
  throw new ConflictError('Other imports into this survey kept changing it: try again in a moment.');
}
