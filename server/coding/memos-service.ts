import { z } from 'zod';
import { coderNames } from '../auth/service.js';
import type { SessionUser } from '../auth/roles.js';
import { activeCodes } from '../codebooks/service.js';
import type { CodeRecord } from '../codebooks/model.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { csvRow } from '../http/csv.js';
import { objectIdSchema } from '../http/validate.js';
import { answerCodes } from './counting.js';
import { FINAL_CODER, type AnswerNote } from './model.js';
import { quoteRecords } from './quotes-service.js';
import { redact } from './redaction.js';
import { mayCompareCoders } from './settings.js';
import { codingTarget, type CodingContext, type CodingTarget } from './target.js';

export type MemoContext = CodingContext;

/** The memo list's filters, as they appear in its URL. */
export const memoQuerySchema = z.object({
  codebook: codeIdSchema.optional(),
  author: objectIdSchema.optional(),
  code: codeIdSchema.optional(),
  /** Whose coding the code filter looks at: the memo's author's (the default), or anyone's. */
  codedBy: z.enum(['author', 'anyone']).default('author'),
});
export type MemoQuery = z.infer<typeof memoQuerySchema>;

export interface MemoItem {
  responseId: string;
  authorId: string;
  authorName: string;
  memo: string;
  updatedAt?: Date;
  /** The answer, with every phrase redacted on it hidden. */
  text: string;
  /** The codes the memo's author gave the answer (merged codes as their survivor). */
  authorCodes: string[];
  authorNoCode: boolean;
  workbenchUrl: string;
}

export interface MemoList {
  target: CodingTarget;
  query: MemoQuery;
  /**
   * False for an analyst on a question coded independently: they see only their own memos, and the
   * code filter looks only at their own codes ("coded by anyone" would show others' codes).
   */
  seesAll: boolean;
  /** Every memo this user may see on the question, before filters. */
  visible: number;
  items: MemoItem[];
  authors: { id: string; name: string }[];
  codes: CodeRecord[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The memos on a question's answers (empty ones left out), optionally only one coder's. */
async function notesOf(context: Pick<CodingContext, 'coding'>, target: CodingTarget, coderId?: string) {
  const prefix = `^${escapeRegExp(`${target.survey.id}:${target.question.id}:`)}[a-f0-9]{24}:`;
  const pattern = coderId ? `${prefix}${escapeRegExp(coderId)}$` : prefix;
  const notes = await context.coding.notes.find({ _id: { $regex: pattern } }).lean<AnswerNote[]>();
  return notes.flatMap((note) => {
    const rest = note._id.slice(`${target.survey.id}:${target.question.id}:`.length);
    const [responseId = '', authorId = ''] = rest.split(':');
    const memo = (note.memo ?? '').trim();
    return memo && target.index.byResponse.has(responseId) ? [{ responseId, authorId, memo, note }] : [];
  });
}

/** Every coder's memo on a question's answers, keyed `${responseId}:${coderId}`: for the codings export. */
export async function memosByAnswer(
  context: Pick<CodingContext, 'coding'>,
  target: CodingTarget,
): Promise<Map<string, string>> {
  const notes = await notesOf(context, target);
  return new Map(notes.map((note) => [`${note.responseId}:${note.authorId}`, note.memo]));
}

/** As `memosByAnswer`, with when each memo was last written: for the REFI-QDA project's notes. */
export async function datedMemosByAnswer(
  context: Pick<CodingContext, 'coding'>,
  target: CodingTarget,
): Promise<Map<string, { text: string; at: Date }>> {
  const notes = await notesOf(context, target);
  return new Map(
    notes.map((note) => [
      `${note.responseId}:${note.authorId}`,
      { text: note.memo, at: note.note.updatedAt instanceof Date ? note.note.updatedAt : new Date(0) },
    ]),
  );
}

/** Whether the answer was coded with the code by this coder, or (`anyone`) by any coder or the final coding. */
function codedWith(target: CodingTarget, responseId: string, codeId: string, coderId: string | undefined): boolean {
  const coders = coderId
    ? [coderId]
    : [...target.index.codersOf(responseId), ...(target.index.isReconciled(responseId) ? [FINAL_CODER] : [])];
  return coders.some((coder) => answerCodes(target, responseId, coder).has(codeId));
}

/**
 * The memos on one question that this user may see, filtered. Under independent coding (the
 * default) an analyst sees only their own memos and filters only by their own codes; leads and
 * admins see every coder's.
 */
export async function memoList(
  context: MemoContext,
  user: SessionUser,
  surveyId: string,
  questionId: string,
  query: MemoQuery,
): Promise<MemoList> {
  const target = await codingTarget(context, surveyId, questionId, query.codebook);
  const seesAll = mayCompareCoders(user, target.settings);
  const [notes, names, quotes] = await Promise.all([
    notesOf(context, target, seesAll ? undefined : user.id),
    coderNames(context.users),
    quoteRecords(context, target),
  ]);
  const codeNames = new Map(target.codebook.codes.map((code) => [code.codeId, code.name]));
  const nameOf = (id: string) => names.get(id) ?? 'a former account';
  const byCode = query.code;
  const anyone = seesAll && query.codedBy === 'anyone';
  const items: MemoItem[] = [];
  for (const { responseId, authorId, memo, note } of notes) {
    if (query.author && authorId !== query.author) continue;
    if (byCode && !codedWith(target, responseId, byCode, anyone ? undefined : authorId)) continue;
    const unit = target.index.byResponse.get(responseId)!;
    const redacted = quotes.get(responseId)?.redacted ?? [];
    items.push({
      responseId,
      authorId,
      authorName: nameOf(authorId),
      // A name redacted from the answer is hidden in memos on it too.
      memo: redact(memo, redacted),
      updatedAt: note.updatedAt,
      text: redact(unit.text, redacted),
      authorCodes: [...answerCodes(target, responseId, authorId)].map((id) => codeNames.get(id) ?? id),
      authorNoCode: target.index.decidedNoCode(responseId, authorId),
      workbenchUrl: `/work/${surveyId}/${questionId}?codebook=${target.codebook.id}&at=${responseId}`,
    });
  }
  const order = (item: MemoItem) => target.index.byResponse.get(item.responseId)!.index;
  items.sort((a, b) => order(a) - order(b) || a.authorName.localeCompare(b.authorName));
  const authors = [...new Set(notes.map((note) => note.authorId))]
    .map((id) => ({ id, name: nameOf(id) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    target,
    query: { ...query, codedBy: anyone ? 'anyone' : 'author' },
    seesAll,
    visible: notes.length,
    items,
    authors,
    codes: activeCodes(target.codebook),
  };
}

/** The same memos as CSV, one row each. */
export async function* memosCsv(list: MemoList): AsyncGenerator<string> {
  const { survey, question, codebook } = list.target;
  yield csvRow([
    'response_id',
    'survey',
    'question',
    'codebook',
    'author',
    'updated_at',
    'memo',
    'answer',
    'author_codes',
  ]);
  for (const item of list.items)
    yield csvRow([
      item.responseId,
      survey.id,
      question.id,
      codebook.id,
      item.authorName,
      item.updatedAt?.toISOString() ?? '',
      item.memo,
      item.text,
      item.authorNoCode ? 'No code applies' : item.authorCodes.join('; '),
    ]);
}

/** The URL of the memo list (or its CSV) with these filters. */
export function memosUrl(surveyId: string, questionId: string, query: Partial<MemoQuery>, csv = false): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value && !(key === 'codedBy' && value === 'author')) params.set(key, value);
  const search = params.toString();
  return `/work/${surveyId}/${questionId}/memos${csv ? '.csv' : ''}${search ? `?${search}` : ''}`;
}
