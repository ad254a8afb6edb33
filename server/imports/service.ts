import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import { ChangeCounters, surveyCounterKey } from '../db/change-counter.js';
import { isDuplicateKey } from '../db/duplicates.js';
import { AppError } from '../http/errors.js';
import type { MutableSurveyRegistry } from '../surveys/registry.js';
import { responseModel } from '../surveys/responses/model.js';
import { IMPORTED_SURVEYS_COUNTER, ImportedSurveyCatalogue } from './catalogue.js';
import {
  CONSENT_QUESTION,
  importedDefinition,
  MAX_ATTRIBUTE_VALUES,
  questionIdFor,
  SOURCE_QUESTION,
  valueFor,
  type AttributeValues,
} from './definition.js';
import { UnreadableFileError } from './encoding.js';
import { cleanName, type FileColumn, type Layout } from './layout.js';
import { importedSurveyModel, type ImportedColumn } from './model.js';
import { isBlank, openExport, type OpenedFile } from './source.js';
import type { FileRow } from './rows.js';

/** A file, column or choice the import cannot take: nothing is stored. The command line exits 2. */
export class ImportRefusedError extends AppError {
  constructor(message: string) {
    super(422, message, 'error.badRequest.title');
  }
}

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
const BATCH = 500;
const SURVEY_ID = /^[a-z][a-z0-9-]{0,59}$/;

interface Chosen {
  column: FileColumn;
  role: 'text' | 'attribute';
  questionId: string;
}

/** A column of the file by its name (spaces and case aside) or the tool's id for it. */
export function findColumn(columns: FileColumn[], wanted: string): FileColumn | undefined {
  const name = cleanName(wanted).toLowerCase();
  return (
    columns.find((column) => column.name.toLowerCase() === name) ??
    columns.find((column) => column.id?.toLowerCase() === name || column.importId?.toLowerCase() === name)
  );
}

function chooseColumns(opened: OpenedFile, request: ImportRequest, previous: ImportedColumn[] | undefined): Chosen[] {
  const chosen: Chosen[] = [];
  const taken = new Set([SOURCE_QUESTION, CONSENT_QUESTION, ...(previous ?? []).map((entry) => entry.questionId)]);
  for (const [role, names] of [
    ['text', request.text],
    ['attribute', request.attributes],
  ] as const) {
    for (const wanted of names) {
      const column = findColumn(opened.header.columns, wanted);
      if (!column) throw new ImportRefusedError(`There is no column "${wanted}" in the file.`);
      if (column.personal) {
        throw new ImportRefusedError(`Column "${column.name}" is not imported: ${column.personal}.`);
      }
      if (column.respondentId) {
        throw new ImportRefusedError(
          `Column "${column.name}" is the respondent id: it keys each respondent and is not stored.`,
        );
      }
      if (chosen.some((entry) => entry.column.index === column.index)) {
        throw new ImportRefusedError(`Column "${column.name}" is chosen twice.`);
      }
      const earlier = previous?.find((entry) => entry.name === column.name);
      if (previous && (!earlier || earlier.role !== role)) {
        throw new ImportRefusedError(
          `This survey was imported with other columns (${previous.map((entry) => `"${entry.name}"`).join(', ')}); import this file into a new survey.`,
        );
      }
      chosen.push({ column, role, questionId: earlier?.questionId ?? questionIdFor(column.id ?? column.name, taken) });
    }
  }
  if (!chosen.some((entry) => entry.role === 'text')) {
    throw new ImportRefusedError('Choose at least one column of answers to code.');
  }
  if (previous && previous.length !== chosen.length) {
    throw new ImportRefusedError(
      `This survey was imported with the columns ${previous.map((entry) => `"${entry.name}"`).join(', ')}: choose the same ones, or import into a new survey.`,
    );
  }
  return chosen;
}

/**
 * The stable key of each respondent row: the file's respondent id where it has one, otherwise a hash
 * of the whole row and how many identical rows came before it, so identical respondents stay apart.
 */
class RowKeys {
  private readonly seenHashes = new Map<string, number>();
  private readonly seenIds = new Set<string>();

  constructor(private readonly idColumn: FileColumn | undefined) {}

  keyOf(row: FileRow): { key: string } | { error: string } {
    const id = this.idColumn ? (row.cells[this.idColumn.index] ?? '').trim() : '';
    if (id) {
      // A short digest, not the id itself: 100,000 ids then take a few megabytes.
      const seen = crypto.createHash('sha256').update(id).digest('base64').slice(0, 12);
      if (this.seenIds.has(seen)) return { error: `respondent id "${id.slice(0, 40)}" appears again` };
      this.seenIds.add(seen);
      return { key: `id:${id}` };
    }
    const hash = crypto.createHash('sha256').update(row.cells.join('\u0000')).digest('hex');
    const seen = hash.slice(0, 16);
    const occurrence = (this.seenHashes.get(seen) ?? 0) + 1;
    this.seenHashes.set(seen, occurrence);
    return { key: `row:${hash}:${occurrence}` };
  }
}

/** Every respondent row after the header rows, with its key, or why it is skipped. */
async function* respondentRows(
  opened: OpenedFile,
  onBadRow: (row: number, message: string) => void,
): AsyncGenerator<{ row: FileRow; key: string }> {
  const width = opened.header.columns.length;
  const keys = new RowKeys(opened.header.columns.find((column) => column.respondentId));
  let headersLeft = opened.header.headerRows;
  for await (const row of opened.source.rows(onBadRow)) {
    if (isBlank(row)) continue;
    if (headersLeft > 0) {
      headersLeft -= 1;
      continue;
    }
    if (row.cells.length > width && row.cells.slice(width).some((cell) => cell.trim() !== '')) {
      onBadRow(row.number, `has ${row.cells.length} cells; the header has ${width}`);
      continue;
    }
    const keyed = keys.keyOf(row);
    if ('error' in keyed) {
      onBadRow(row.number, keyed.error);
      continue;
    }
    yield { row, key: keyed.key };
  }
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

  const imported = await storeRows(context, { request, opened, chosen, attributes, version, now });
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

/** Turns a file that cannot be read (bad zip, broken quoting at the end) into a refusal naming why. */
export async function readable<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ImportRefusedError(error.message);
    if (error instanceof ImportRefusedError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new ImportRefusedError('The file is not there.');
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      throw new ImportRefusedError(`The file cannot be read as CSV: ${(error as Error).message}`);
    }
    if (error instanceof TypeError && /encoded data was not valid/i.test(error.message)) {
      throw new ImportRefusedError('The file changed while it was being imported.');
    }
    throw error;
  }
}

async function storeRows(
  context: ImportContext,
  input: {
    request: ImportRequest;
    opened: OpenedFile;
    chosen: Chosen[];
    attributes: { entry: Chosen; values: AttributeValues }[];
    version: number;
    now: Date;
  },
): Promise<number> {
  const responses = responseModel(context.connection).collection;
  let imported = 0;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    imported += await insertNew(responses, batch);
    batch = [];
  };
  await readable(async () => {
    for await (const { row, key } of respondentRows(input.opened, () => undefined)) {
      const answers: Record<string, string> = {};
      for (const entry of input.chosen) {
        const cell = row.cells[entry.column.index] ?? '';
        if (entry.role === 'text') {
          if (cell.trim() !== '') answers[entry.questionId] = cell.trim();
        } else {
          const label = cleanName(cell);
          const attribute = input.attributes.find((candidate) => candidate.entry === entry)!;
          if (label) answers[entry.questionId] = attribute.values.values.get(label)!;
        }
      }
      answers[SOURCE_QUESTION] = 'file';
      batch.push({
        surveyId: input.request.surveyId,
        surveyVersion: input.version,
        tokenHash: importedKeyHash(input.request.surveyId, key),
        status: 'submitted',
        language: 'en',
        answers,
        otherText: {},
        finishedPages: ['answers'],
        submittedAt: input.now,
        createdAt: input.now,
        updatedAt: input.now,
      });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  });
  return imported;
}

/** Stored where a hosted response keeps its resume-token hash: unique, so the same row is never stored twice. */
export function importedKeyHash(surveyId: string, key: string): string {
  return `import-${crypto.createHash('sha256').update(`${surveyId}\u0000${key}`).digest('hex')}`;
}

/**
 * Inserts the documents not already stored and returns how many were new: the unique index on the
 * key refuses the others, which costs an index look-up each (a scan of the survey's stored keys
 * first would read every response document on FerretDB).
 */
async function insertNew(
  collection: ReturnType<typeof responseModel>['collection'],
  documents: Record<string, unknown>[],
): Promise<number> {
  try {
    const result = await collection.insertMany(documents, { ordered: false });
    return result.insertedCount;
  } catch (error) {
    const { insertedCount, result, writeErrors } = error as {
      insertedCount?: number;
      result?: { insertedCount?: number };
      writeErrors?: { code?: number }[] | { code?: number };
    };
    const errors = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (errors.length === 0 || !errors.every((entry) => entry.code === 11000)) throw error;
    return insertedCount ?? result?.insertedCount ?? documents.length - errors.length;
  }
}
