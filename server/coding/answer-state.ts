import type { SessionUser } from '../auth/roles.js';
import { myProgress } from './assignments.js';
import { mayCompareCoders } from './settings.js';
import { survivingCodeId } from '../codebooks/service.js';
import type { CodeRecord } from '../codebooks/model.js';
import { noteKey, quoteKey } from './model.js';
import type { Coding } from './read-model.js';
import { redactionMatches } from './redaction.js';
import { unitOf, type CodingContext, type CodingTarget } from './target.js';
import { segmentText } from './segments.js';

/**
 * One answer as one analyst now sees it: what the workbench script updates the page from after
 * an action, instead of loading the page again. The same facts the page shows, read after the change.
 */
export interface AnswerState {
  responseId: string;
  /** Codes on the whole answer for this analyst (merged-away codes as the code they became). */
  codes: string[];
  noCode: boolean;
  /** This analyst's coded passages, in the order of the text, with what the page shows of their code. */
  spans: { code: string; name: string; colour: string; start: number; end: number }[];
  /** The answer's text cut at every passage and redaction boundary, as the page marks it. */
  segments: { text: string; codes: string[]; redacted: boolean }[];
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
  const unit = unitOf(target, responseId);
  const { survey, question, codebook } = target;
  // The index as it stands after the change: the cached one, or rebuilt if another process wrote meanwhile.
  const [index, note, quote] = await Promise.all([
    context.readModel.get(survey, question.id, codebook.id),
    context.coding.notes.findById(noteKey(survey.id, question.id, responseId, user.id)).lean(),
    context.coding.quotes.findById(quoteKey(survey.id, question.id, responseId)).lean(),
  ]);
  const codeById = new Map(codebook.codes.map((code) => [code.codeId, code]));
  const codes = new Set<string>();
  const passages: (Coding & { code: CodeRecord })[] = [];
  for (const coding of index.codingsOf(responseId, user.id)) {
    const code = codeById.get(survivingCodeId(codebook, coding.codeId));
    if (!code) continue;
    if (coding.start === undefined) codes.add(code.codeId);
    else passages.push({ ...coding, code });
  }
  passages.sort((a, b) => (a.start ?? 0) - (b.start ?? 0) || (a.end ?? 0) - (b.end ?? 0));
  const starredBy = quote?.starredBy ?? [];
  const segments = segmentText(unit.text, passages, redactionMatches(unit.text, quote?.redacted ?? []));
  return {
    responseId,
    codes: [...codes],
    noCode: index.decidedNoCode(responseId, user.id),
    spans: passages.map(({ code, start, end }) => ({
      code: code.codeId,
      name: code.name,
      colour: code.colour,
      start: start ?? 0,
      end: end ?? 0,
    })),
    segments: segments.map(({ text, codes: marked, redacted }) => ({
      text,
      codes: marked.map((code) => code.codeId),
      redacted,
    })),
    starred: starredBy.includes(user.id),
    // Under independent coding an analyst is not told that colleagues starred an answer.
    starredByOthers: mayCompareCoders(user, target.settings) ? starredBy.filter((id) => id !== user.id).length : 0,
    memo: note?.memo ?? '',
    progress: myProgress(index, target.settings.assignments, user.id),
    page,
  };
}
