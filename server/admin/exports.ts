import { survivingCodeId } from '../codebooks/service.js';
import { FINAL_CODER } from '../coding/model.js';
import type { CodingTarget } from '../coding/target.js';
import type { ExportableQuote } from '../coding/quotes-service.js';
import { csvRow } from '../http/csv.js';
import type { AdminContext } from './service.js';
import type { ResponseDocument, ResponseModel } from '../surveys/responses/model.js';
import { typeOf } from '../surveys/question-types/index.js';
import type { ExportColumn } from '../surveys/question-types/base.js';
import type { Question } from '../surveys/definition-schema.js';
import { isVisible, type Answers } from '../surveys/flow.js';
import type { Survey } from '../surveys/registry.js';

/**
 * The columns of one question, worked out once per download: its type's columns, then an "other"
 * column where "Other (please say)" is offered. Rows then only look answers up, and whether the
 * question was shown is decided once per row, not once per column.
 */
interface QuestionColumns {
  question: Question;
  columns: ExportColumn<Question>[];
  other: boolean;
}

function responseLayout(survey: Survey): QuestionColumns[] {
  return survey.questions.map((question) => ({
    question,
    columns: typeOf(question).exportColumns(question),
    other: 'other' in question && question.other === true,
  }));
}

function layoutHeader(layout: QuestionColumns[]): string[] {
  return layout.flatMap(({ question, columns, other }) => [
    ...columns.map((column) => column.header),
    ...(other ? [`${question.id}_other`] : []),
  ]);
}

function responseRow(layout: QuestionColumns[], response: ExportedResponse): string {
  const answers = (response.answers ?? {}) as Answers;
  const otherText = (response.otherText ?? {}) as Record<string, string>;
  const cells: unknown[] = [
    String(response._id),
    response.submittedAt?.toISOString() ?? '',
    response.surveyVersion,
    response.language,
  ];
  for (const { question, columns, other } of layout) {
    const answer = answers[question.id];
    const visible = isVisible(question, answers);
    for (const column of columns) cells.push(column.value(question, answer, visible));
    if (other) cells.push(otherText[question.id] ?? '');
  }
  return csvRow(cells);
}

export type ExportedResponse = Pick<
  ResponseDocument,
  '_id' | 'answers' | 'otherText' | 'submittedAt' | 'surveyVersion' | 'language'
>;

/** Large batches: each one is a round trip, and a batch of these is a megabyte or two at most. */
const BATCH_SIZE = 2000;

/**
 * Submitted responses, read in batches as the download is written. The next batch is asked for
 * before this one is handed on, so the database reads it while the app writes rows out (the
 * driver alone would ask only once the batch is used up, leaving each side waiting on the other);
 * never more than one batch ahead, so memory stays flat however many there are. Only the fields
 * the files need, plain objects (no Mongoose documents). Stopping early (a client gone, an error)
 * closes the database cursor rather than leaving it open on the server.
 */
export async function* submittedResponses(responses: ResponseModel, survey: Survey): AsyncGenerator<ExportedResponse> {
  const cursor = responses.collection.find<ExportedResponse>(
    { surveyId: survey.id, status: 'submitted' },
    { projection: { answers: 1, otherText: 1, submittedAt: 1, surveyVersion: 1, language: 1 }, batchSize: BATCH_SIZE },
  );
  // Settled into a value at once, so a failed read-ahead is never an unhandled rejection while we wait to look at it.
  const readAhead = () =>
    cursor.hasNext().then(
      (more) => ({ failed: false as const, more }),
      (error: unknown) => ({ failed: true as const, error }),
    );
  let next = readAhead();
  try {
    for (;;) {
      const read = await next;
      if (read.failed) throw read.error;
      if (!read.more) return;
      const batch = cursor.readBufferedDocuments();
      next = readAhead();
      yield* batch;
    }
  } finally {
    await next;
    await cursor.close();
  }
}

const ROWS_PER_CHUNK = 200;

/** Every response as CSV, one row each, in chunks of rows as they are read. */
export async function* responsesCsv(source: AsyncIterable<ExportedResponse>, survey: Survey): AsyncGenerator<string> {
  const layout = responseLayout(survey);
  yield csvRow(['response_id', 'submitted_at', 'survey_version', 'language', ...layoutHeader(layout)]);
  let rows = 0;
  let pending = '';
  for await (const response of source) {
    pending += responseRow(layout, response);
    if (++rows % ROWS_PER_CHUNK === 0) {
      yield pending;
      pending = '';
    }
  }
  if (pending) yield pending;
}

/** The same responses as a JSON array of {id, submittedAt, surveyVersion, language, answers, otherText}. */
export async function* responsesJson(source: AsyncIterable<ExportedResponse>): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const response of source) {
    const item = {
      id: String(response._id),
      submittedAt: response.submittedAt,
      surveyVersion: response.surveyVersion,
      language: response.language,
      answers: response.answers,
      otherText: response.otherText,
    };
    yield `${first ? '' : ','}\n${JSON.stringify(item)}`;
    first = false;
  }
  yield '\n]\n';
}

/**
 * One row per answer-code pair per coder (and the final coding), with the span where there is one;
 * a coder's "no code applies" is a row of its own, so every decision is in the file. Each row
 * carries that coder's memo on the answer (`memos`, keyed `${responseId}:${coderId}`); a memo on
 * an answer its author has not coded is a row of its own too.
 */
export async function* codedAnswersCsv(
  target: CodingTarget,
  coderNames: Map<string, string>,
  memos: Map<string, string> = new Map(),
): AsyncGenerator<string> {
  const { survey, question, codebook, index } = target;
  const names = new Map(codebook.codes.map((code) => [code.codeId, code.name]));
  const groupLabel = (value: string | undefined) => survey.choiceLabel(survey.definition.profile.group, value) ?? '';
  yield csvRow([
    'response_id',
    'survey',
    'question',
    'codebook',
    'code_id',
    'code_name',
    'coder',
    'span_start',
    'span_end',
    'span_text',
    'group',
    'country',
    'memo',
  ]);
  const memoAuthors = new Map<string, string[]>();
  for (const key of memos.keys()) {
    const [responseId = '', coderId = ''] = key.split(':');
    memoAuthors.set(responseId, [...(memoAuthors.get(responseId) ?? []), coderId]);
  }
  for (const unit of index.units) {
    let chunk = '';
    const row = (coder: string, codeId: string, codeName: string, start?: number, end?: number) =>
      csvRow([
        unit.responseId,
        survey.id,
        question.id,
        codebook.id,
        codeId,
        codeName,
        coder === FINAL_CODER ? 'final (reconciled)' : (coderNames.get(coder) ?? coder),
        start ?? '',
        end ?? '',
        start === undefined ? '' : unit.text.slice(start, end),
        groupLabel(unit.group),
        unit.country ?? '',
        memos.get(`${unit.responseId}:${coder}`) ?? '',
      ]);
    for (const coder of [
      ...index.codersOf(unit.responseId),
      ...(index.isReconciled(unit.responseId) ? [FINAL_CODER] : []),
    ]) {
      if (index.decidedNoCode(unit.responseId, coder)) chunk += row(coder, '', 'No code applies');
      const codings = index.codingsOf(unit.responseId, coder);
      if (coder === FINAL_CODER && codings.length === 0) chunk += row(coder, '', 'No code applies');
      for (const coding of codings) {
        const codeId = survivingCodeId(codebook, coding.codeId);
        chunk += row(coder, codeId, names.get(codeId) ?? codeId, coding.start, coding.end);
      }
    }
    for (const coder of memoAuthors.get(unit.responseId) ?? [])
      if (!index.isCodedBy(unit.responseId, coder)) chunk += row(coder, '', 'Not coded (memo only)');
    if (chunk) yield chunk;
  }
}

/** Every submitted response of a survey, as CSV or as JSON, read as the download is written. */
export const allResponsesCsv = (context: Pick<AdminContext, 'responses'>, survey: Survey) =>
  responsesCsv(submittedResponses(context.responses, survey), survey);
export const allResponsesJson = (context: Pick<AdminContext, 'responses'>, survey: Survey) =>
  responsesJson(submittedResponses(context.responses, survey));

/** The quotes that may leave the platform, one row each, attributed by role only. */
export async function* quotesCsv(quotes: ExportableQuote[]): AsyncGenerator<string> {
  yield csvRow(['response_id', 'quote', 'attribution', 'codes']);
  for (const quote of quotes)
    yield csvRow([quote.responseId, quote.text, `(${quote.attribution})`, quote.codes.join('; ')]);
}
