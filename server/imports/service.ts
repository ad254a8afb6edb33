import type { Connection } from 'mongoose';
import { ChangeCounters, surveyCounterKey } from '../db/change-counter.js';
import type { MutableSurveyRegistry } from '../surveys/registry.js';
import { IMPORTED_SURVEYS_COUNTER, ImportedSurveyCatalogue } from './catalogue.js';
import { chooseColumns } from './columns.js';
import { MAX_ATTRIBUTE_VALUES } from './definition.js';
import { ImportRefusedError, readable } from './errors.js';
import { cleanName, type Layout } from './layout.js';
import { importedSurveys, type ImportedSurveyListing } from './listing.js';
import { importedSurveyModel, type ImportedColumn } from './model.js';
import { respondentRows } from './respondents.js';
import { openExport } from './source.js';
import { storeRows } from './store.js';
import { saveSurveyRecord } from './survey-record.js';

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

/** The audit trail's entry for an import: who, which survey, how many; never a cell of the file. */
export function importAuditEntry(actor: string, summary: ImportSummary) {
  return {
    actor,
    action: 'responses.import',
    target: summary.survey,
    detail: { layout: summary.layout, rows: summary.rows, imported: summary.imported, skipped: summary.skipped },
  };
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
  // The attributes' values as the file gives them; merged with those stored when the survey is saved.
  const labels = chosen
    .filter((entry) => entry.role === 'attribute')
    .map((entry) => ({ entry, seen: new Set<string>() }));
  let rows = 0;
  await readable(async () => {
    for await (const { row } of respondentRows(
      opened,
      chosen.map((entry) => entry.column),
      onBadRow,
    )) {
      rows += 1;
      for (const { entry, seen } of labels) {
        const label = cleanName(row.cells[entry.column.index] ?? '');
        if (label) seen.add(label);
        if (seen.size > MAX_ATTRIBUTE_VALUES) {
          throw new ImportRefusedError(
            `Column "${entry.column.name}" has more than ${MAX_ATTRIBUTE_VALUES} different values: an attribute is a category such as a role or a region. Import it as answers instead.`,
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
  const { version, attributes } = await saveSurveyRecord(connection, {
    surveyId: request.surveyId,
    title,
    layout: opened.header.layout,
    columns,
    labels: labels.map(({ entry, seen }) => ({
      questionId: entry.questionId,
      name: entry.column.name,
      labels: [...seen],
    })),
    by: request.by,
    now,
  });
  const counters = new ChangeCounters(connection);
  await counters.bump(IMPORTED_SURVEYS_COUNTER);
  await catalogue.refresh(true);

  // The survey's counter moves even when nothing new was stored, or storing failed part way: an
  // earlier run may have stored rows and stopped before moving it, and processes' coding read
  // models only read the survey again when it moves.
  const imported = await storeRows(connection, {
    surveyId: request.surveyId,
    opened,
    chosen,
    attributes: attributes.map((values) => ({
      entry: chosen.find((entry) => entry.questionId === values.questionId)!,
      values,
    })),
    version,
    now,
  }).finally(() => counters.bump(surveyCounterKey(request.surveyId)));
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
