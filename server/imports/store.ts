import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import { responseModel } from '../surveys/responses/model.js';
import type { Chosen } from './columns.js';
import { SOURCE_QUESTION, type AttributeValues } from './definition.js';
import { readable } from './errors.js';
import { cleanName } from './layout.js';
import { respondentRows } from './respondents.js';
import type { OpenedFile } from './source.js';

const BATCH = 500;

/** Inserts the rows' chosen cells as submitted responses, in batches; returns how many were new. */
export async function storeRows(
  connection: Connection,
  input: {
    surveyId: string;
    opened: OpenedFile;
    chosen: Chosen[];
    attributes: { entry: Chosen; values: AttributeValues }[];
    version: number;
    now: Date;
  },
): Promise<number> {
  const responses = responseModel(connection).collection;
  let imported = 0;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    imported += await insertNew(responses, batch);
    batch = [];
  };
  await readable(async () => {
    for await (const { row, key } of respondentRows(
      input.opened,
      input.chosen.map((entry) => entry.column),
      () => undefined,
    )) {
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
        surveyId: input.surveyId,
        surveyVersion: input.version,
        tokenHash: importedKeyHash(input.surveyId, key),
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
