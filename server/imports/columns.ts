import { CONSENT_QUESTION, questionIdFor, SOURCE_QUESTION } from './definition.js';
import { ImportRefusedError } from './errors.js';
import { cleanName, type FileColumn } from './layout.js';
import type { ImportedColumn } from './model.js';
import type { OpenedFile } from './source.js';

/** A column the import keeps: as answers to code, or as an attribute of the respondent. */
export interface Chosen {
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

/** The columns named by the request, refusing unknown, personal, repeated and key columns. */
export function chooseColumns(
  opened: OpenedFile,
  request: { text: string[]; attributes: string[] },
  previous: ImportedColumn[] | undefined,
): Chosen[] {
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
