import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { survivingCodeId } from '../codebooks/service.js';
import { FINAL_CODER } from '../coding/model.js';
import type { CodingTarget } from '../coding/workbench-service.js';
import { csvRow } from '../http/csv.js';
import type { ResponseDocument, ResponseModel } from '../responses/model.js';
import type { Question } from '../surveys/definition-schema.js';
import { isVisible, type Answers } from '../surveys/flow.js';
import type { Survey } from '../surveys/registry.js';
import { choiceLabels, isChoiceQuestion } from './distributions.js';

/** Writes respecting back-pressure, so a slow download never piles rows up in memory. */
async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

interface Column {
  header: string;
  value: (answers: Answers, otherText: Record<string, string>) => unknown;
}

/** One column per question; a multi-choice question gets one per choice (1 chosen, 0 not, blank if not asked). */
function responseColumns(survey: Survey): Column[] {
  const columns: Column[] = [];
  for (const question of survey.questions) {
    if (question.type === 'multi') {
      for (const choice of choiceLabels(question)) {
        columns.push({
          header: `${question.id}: ${choice.label}`,
          value: (answers) => (isVisible(question, answers) ? (Array.isArray(answers[question.id]) && answers[question.id]!.includes(choice.value) ? 1 : 0) : ''),
        });
      }
    } else {
      columns.push({ header: question.id, value: (answers) => labelOf(question, answers[question.id]) });
    }
    if ('other' in question && question.other) columns.push({ header: `${question.id}_other`, value: (_answers, otherText) => otherText[question.id] ?? '' });
  }
  return columns;
}

function labelOf(question: Question, value: Answers[string] | undefined): string {
  if (value === undefined || Array.isArray(value)) return '';
  if (!isChoiceQuestion(question)) return value;
  return choiceLabels(question).find((choice) => choice.value === value)?.label ?? value;
}

type ExportedResponse = Pick<ResponseDocument, '_id' | 'answers' | 'otherText' | 'submittedAt' | 'surveyVersion' | 'language'>;

/** Submitted responses, read in batches as the download is written. */
export const submittedResponses = (responses: ResponseModel, survey: Survey): AsyncIterable<ExportedResponse> =>
  responses
    .find({ surveyId: survey.id, status: 'submitted' }, { answers: 1, otherText: 1, submittedAt: 1, surveyVersion: 1, language: 1 })
    .lean<ExportedResponse[]>()
    .cursor({ batchSize: 1000 });

const ROWS_PER_WRITE = 200;

/** Every response as CSV, one row each, written as it is read. Returns the row count. */
export async function streamResponsesCsv(source: AsyncIterable<ExportedResponse>, survey: Survey, out: Writable): Promise<number> {
  const columns = responseColumns(survey);
  await write(out, csvRow(['response_id', 'submitted_at', 'survey_version', 'language', ...columns.map((column) => column.header)]));
  let rows = 0;
  let pending = '';
  for await (const response of source) {
    const answers = (response.answers ?? {}) as Answers;
    const otherText = (response.otherText ?? {}) as Record<string, string>;
    pending += csvRow([String(response._id), response.submittedAt?.toISOString() ?? '', response.surveyVersion, response.language, ...columns.map((column) => column.value(answers, otherText))]);
    if (++rows % ROWS_PER_WRITE === 0) {
      await write(out, pending);
      pending = '';
    }
  }
  if (pending) await write(out, pending);
  return rows;
}

/** The same responses as a JSON array of {id, submittedAt, surveyVersion, language, answers, otherText}, streamed. */
export async function streamResponsesJson(responses: ResponseModel, survey: Survey, out: Writable): Promise<void> {
  await write(out, '[');
  let first = true;
  for await (const response of submittedResponses(responses, survey)) {
    const item = { id: String(response._id), submittedAt: response.submittedAt, surveyVersion: response.surveyVersion, language: response.language, answers: response.answers, otherText: response.otherText };
    await write(out, `${first ? '' : ','}\n${JSON.stringify(item)}`);
    first = false;
  }
  await write(out, '\n]\n');
}

/** One row per answer-code pair per coder (and the final coding), with the span where there is one. */
export async function streamCodedAnswersCsv(target: CodingTarget, coderNames: Map<string, string>, out: Writable): Promise<void> {
  const { survey, question, codebook, index } = target;
  const names = new Map(codebook.codes.map((code) => [code.codeId, code.name]));
  const groupQuestion = survey.question(survey.definition.profile.group);
  await write(out, csvRow(['response_id', 'survey', 'question', 'codebook', 'code_id', 'code_name', 'coder', 'span_start', 'span_end', 'span_text', 'group', 'country']));
  for (const unit of index.units) {
    for (const coder of [...index.codersOf(unit.responseId), ...(index.isReconciled(unit.responseId) ? [FINAL_CODER] : [])]) {
      for (const coding of index.codingsOf(unit.responseId, coder)) {
        const codeId = survivingCodeId(codebook, coding.codeId);
        await write(
          out,
          csvRow([
            unit.responseId,
            survey.id,
            question.id,
            codebook.id,
            codeId,
            names.get(codeId) ?? codeId,
            coder === FINAL_CODER ? 'final (reconciled)' : (coderNames.get(coder) ?? coder),
            coding.start ?? '',
            coding.end ?? '',
            coding.start === undefined ? '' : unit.text.slice(coding.start, coding.end),
            groupQuestion && isChoiceQuestion(groupQuestion) ? (choiceLabels(groupQuestion).find((choice) => choice.value === unit.group)?.label ?? '') : '',
            unit.country ?? '',
          ]),
        );
      }
    }
  }
}

