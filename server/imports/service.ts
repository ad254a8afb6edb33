import type { Connection } from 'mongoose';
import { ChangeCounters, surveyCounterKey } from '../db/change-counter.js';
import { isDuplicateKey } from '../db/duplicates.js';
import type { MutableSurveyRegistry } from '../surveys/registry.js';
import { IMPORTED_SURVEYS_COUNTER, ImportedSurveyCatalogue } from './catalogue.js';
import { chooseColumns } from './columns.js';
import { importedDefinition, MAX_ATTRIBUTE_VALUES, valueFor, type AttributeValues } from './definition.js';
import { ImportRefusedError, readable } from './errors.js';
import { cleanName, type Layout } from './layout.js';
import { importedSurveys, type ImportedSurveyListing } from './listing.js';
import { importedSurveyModel, type ImportedColumn } from './model.js';
import { respondentRows } from './respondents.js';
import { openExport } from './source.js';
import { storeRows } from './store.js';

export { ImportRefusedError, readable } from './errors.js';

export interface ImportRequest {
  surveyId: string;
  title: string;
  file: string;
  /** Columns whose cells are answers to code: names, or the tool's column ids. */
  text: string[];
  /** Columns that describe the respondent (role, region…), for filters and breakdowns. */
  attributes: string[];
  by: string;
}

export interface ImportSummary {
  survey: string;
  layout: Layout;
  rows: number;
  imported: number;
  skipped: number;
  dropped: string[];
  errors: { row: number; message: string }[];
}

const MAX_REPORTED_ERRORS = 100;
const SURVEY_ID = /^[a-z][a-z0-9-]{0,59}$/;

/** The imported surveys, newest first, with how many respondents each holds. */
export function listImportedSurveys(context: ImportContext): Promise<ImportedSurveyListing[]> {
  return importedSurveys(context.connection);
}

export interface ImportContext {
  connection: Connection;
  registry: MutableSurveyRegistry;
  now?: () => Date;
}

/**
 * Imports the chosen columns of a survey tool's export as an imported survey. The file is read
 * twice: once to check every row and learn the attributes' values (a file that cannot be read to
 * the end stores nothing), then to store the respondents not already stored.
 */
export async function importAnswers(context: ImportContext, request: ImportRequest): Promise<ImportSummary> {
  const { connection, registry } = context;
  const now = context.now?.() ?? new Date();
  if (!SURVEY_ID.test(request.surveyId)) {
    throw new ImportRefusedError('A survey id is lower case letters, digits and -, starting with a letter.');
  }
  const title = cleanName(request.title);
  if (!title || title.length > 200) throw new ImportRefusedError('Give the survey a title of up to 200 characters.');
  const catalogue = new ImportedSurveyCatalogue(connection, new ChangeCounters(connection), registry);
  await catalogue.refresh(true);
  if (registry.get(request.surveyId)?.origin === 'hosted') {
    throw new ImportRefusedError(`"${request.surveyId}" is one of the platform's own surveys: choose another id.`);
  }
  const stored = await importedSurveyModel(connection).findById(request.surveyId).lean();
  const opened = await readable(() => openExport(request.file));
  const chosen = chooseColumns(opened, request, stored?.columns);

  const errors: ImportSummary['errors'] = [];
  let skipped = 0;
  const onBadRow = (row: number, message: string) => {
    skipped += 1;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row, message });
  };
  const attributes = chosen
    .filter((entry) => entry.role === 'attribute')
    .map((entry) => ({ entry, values: previousValues(registry, request.surveyId, entry.questionId) }));
  let rows = 0;
  await readable(async () => {
    for await (const { row } of respondentRows(opened, onBadRow)) {
      rows += 1;
      for (const attribute of attributes) {
        const label = cleanName(row.cells[attribute.entry.column.index] ?? '');
        if (label) valueFor(attribute.values, label);
        if (attribute.values.values.size > MAX_ATTRIBUTE_VALUES) {
          throw new ImportRefusedError(
            `Column "${attribute.entry.column.name}" has more than ${MAX_ATTRIBUTE_VALUES} different values: an attribute is a category such as a role or a region. Import it as answers instead.`,
          );
        }
      }
    }
  });

  const columns: ImportedColumn[] = chosen.map((entry) => ({
    name: entry.column.name,
    questionId: entry.questionId,
    role: entry.role,
  }));
  const previous = registry.get(request.surveyId);
  const unchanged =
    previous !== undefined &&
    attributes.every(({ values }) => {
      const question = previous.question(values.questionId);
      return (
        question !== undefined &&
        'choices' in question &&
        [...values.values.values()].every((value) => question.choices.some((choice) => choice.value === value))
      );
    });
  const version = previous ? previous.definition.version + (unchanged ? 0 : 1) : 1;
  const definition = importedDefinition({
    surveyId: request.surveyId,
    title: stored ? previous!.definition.title.en : title,
    version,
    importedOn: stored?.createdAt ?? now,
    columns,
    attributes: attributes.map((attribute) => attribute.values),
  });
  // Two first imports of one survey at once: the loser of the upsert's insert retries as an update.
  await retryOnDuplicate(() =>
    importedSurveyModel(connection).updateOne(
      { _id: request.surveyId },
      {
        $set: {
          definition: JSON.stringify(definition),
          layout: opened.header.layout,
          columns,
          by: request.by,
          updatedAt: now,
        },
        $setOnInsert: { createdAt: now },
      },
      { upsert: true },
    ),
  );
  const counters = new ChangeCounters(connection);
  await counters.bump(IMPORTED_SURVEYS_COUNTER);
  await catalogue.refresh(true);

  const imported = await storeRows(connection, {
    surveyId: request.surveyId,
    opened,
    chosen,
    attributes,
    version,
    now,
  });
  if (imported > 0) await counters.bump(surveyCounterKey(request.surveyId));
  return {
    survey: request.surveyId,
    layout: opened.header.layout,
    rows,
    imported,
    skipped,
    dropped: opened.header.columns
      .filter((column) => !chosen.some((entry) => entry.column.index === column.index))
      .map((column) => column.name),
    errors,
  };
}

function previousValues(registry: MutableSurveyRegistry, surveyId: string, questionId: string): AttributeValues {
  const question = registry.get(surveyId)?.question(questionId);
  const values = new Map<string, string>();
  if (question && 'choices' in question) {
    for (const choice of question.choices)
      if (!choice.value.startsWith('none-')) values.set(choice.label.en, choice.value);
  }
  return { questionId, values };
}

async function retryOnDuplicate(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await write();
  }
}
