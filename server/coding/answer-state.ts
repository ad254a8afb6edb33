import type { SessionUser } from '../auth/roles.js';
import { survivingCodeId } from '../codebooks/service.js';
import { noteKey, quoteKey } from './model.js';
import { unitOf, type CodingContext, type CodingTarget } from './target.js';

/**
 * One answer as one analyst now sees it: what the workbench script updates the page from after
 * an action, instead of loading the page again. The same facts the page shows, read after the change.
 */
export interface AnswerState {
  responseId: string;
  /** Codes on the whole answer for this analyst (merged-away codes as the code they became). */
  codes: string[];
  noCode: boolean;
  /** This analyst's coded passages, in the order of the text. */
  spans: { code: string; start: number; end: number }[];
  starred: boolean;
  starredByOthers: number;
  memo: string;
  progress: { coded: number; total: number };
  /** This answer's page in the view the action came from. */
  page: string;
}

export async function answerState(
  context: CodingContext,
  target: CodingTarget,
  user: SessionUser,
  responseId: string,
  page: string,
): Promise<AnswerState> {
  unitOf(target, responseId);
  const { survey, question, codebook } = target;
  // The index as it stands after the change: the cached one, or rebuilt if another process wrote meanwhile.
  const [index, note, quote] = await Promise.all([
    context.readModel.get(survey, question.id, codebook.id),
    context.coding.notes.findById(noteKey(survey.id, question.id, responseId, user.id)).lean(),
    context.coding.quotes.findById(quoteKey(survey.id, question.id, responseId)).lean(),
  ]);
  const codes = new Set<string>();
  const spans: AnswerState['spans'] = [];
  for (const coding of index.codingsOf(responseId, user.id)) {
    const code = survivingCodeId(codebook, coding.codeId);
    if (coding.start === undefined) codes.add(code);
    else spans.push({ code, start: coding.start, end: coding.end ?? coding.start });
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  const starredBy = quote?.starredBy ?? [];
  return {
    responseId,
    codes: [...codes],
    noCode: index.decidedNoCode(responseId, user.id),
    spans,
    starred: starredBy.includes(user.id),
    starredByOthers: starredBy.filter((id) => id !== user.id).length,
    memo: note?.memo ?? '',
    progress: { coded: index.codedCount(user.id), total: index.units.length },
    page,
  };
}
