import type { Model } from 'mongoose';
import { z } from 'zod';
import type { SessionUser } from '../auth/roles.js';
import type { CodeRecord } from '../codebooks/model.js';
import { activeCodes, survivingCodeId } from '../codebooks/service.js';
import { codeBatchOf, type CodeBatch } from '../coding/bulk-actions.js';
import { codingTarget, unitOf, type CodingDataContext, type CodingTarget } from '../coding/target.js';
import { objectIdSchema, pathIdSchema } from '../http/validate.js';
import { parseSearch, searchAnswers, similarAnswers, type SearchHit } from './answer-search.js';

/** At most this many answers are listed (and so can be coded) in one step: a form carries 200 fields. */
export const MAX_LISTED = 150;

export const searchQuerySchema = z.object({
  codebook: pathIdSchema.optional(),
  q: z.string().max(500).default(''),
  like: objectIdSchema.optional(),
  done: z.uuid().optional(),
  undone: z.uuid().optional(),
  unchanged: z.literal('1').optional(),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

export interface SearchView {
  target: CodingTarget;
  query: SearchQuery;
  /** The answer the search is "similar to", when it is one. */
  like?: { responseId: string; text: string };
  searched: boolean;
  total: number;
  /**
   * Each with this analyst's codes, and under shared coding (never independent) each colleague's,
   * as the workbench shows them: "no code applies" for a colleague who decided so.
   */
  hits: (SearchHit & { myCodes: string[]; noCode: boolean; colleagues: string[][] })[];
  codes: CodeRecord[];
  /** The step just taken or undone, for the banner and its undo button. */
  batch?: {
    id: string;
    codeName: string;
    count: number;
    /** How many of them the undo took the code off (the others no longer had it from the analyst). */
    undoneCount?: number;
    undone: boolean;
    justUndone: boolean;
  };
}

/**
 * The code-by-search page of a question: the answers matching words, "phrases" or an answer they
 * are similar to, each with what matched marked and this analyst's own codes (never a colleague's:
 * under independent coding that would give their coding away).
 */
export async function searchView(
  context: CodingDataContext,
  batches: Model<CodeBatch>,
  user: SessionUser,
  surveyId: string,
  questionId: string,
  query: SearchQuery,
): Promise<SearchView> {
  const target = await codingTarget(context, surveyId, questionId, query.codebook);
  const units = target.index.units;
  const likeUnit = query.like ? unitOf(target, query.like) : undefined;
  const hits = likeUnit ? similarAnswers(units, likeUnit) : searchAnswers(units, parseSearch(query.q));
  const names = new Map(target.codebook.codes.map((code) => [code.codeId, code.name]));
  const listed = hits.slice(0, MAX_LISTED).map((hit) => {
    const own = target.index.codingsOf(hit.unit.responseId, user.id);
    const myCodes = [...new Set(own.map((coding) => survivingCodeId(target.codebook, coding.codeId)))];
    return {
      ...hit,
      myCodes: myCodes.map((codeId) => names.get(codeId) ?? codeId),
      noCode: target.index.decidedNoCode(hit.unit.responseId, user.id),
      colleagues: target.settings.independent ? [] : colleaguesCodes(target, hit.unit.responseId, user.id, names),
    };
  });
  const batchId = query.done ?? query.undone;
  let batch: SearchView['batch'];
  if (batchId) {
    const found = await codeBatchOf(batches, target, user, batchId).catch(() => undefined);
    if (found)
      batch = {
        id: found._id,
        codeName: names.get(found.codeId) ?? found.codeId,
        count: found.responseIds.length,
        undoneCount: found.undoneCount,
        undone: Boolean(found.undoneAt),
        justUndone: Boolean(query.undone),
      };
  }
  return {
    target,
    query,
    like: likeUnit && { responseId: likeUnit.responseId, text: likeUnit.text },
    searched: Boolean(likeUnit) || query.q.trim() !== '',
    total: hits.length,
    hits: listed,
    codes: activeCodes(target.codebook),
    batch,
  };
}

/** Under shared coding: the codes each colleague gave the answer (an empty list for "no code applies"). */
function colleaguesCodes(target: CodingTarget, responseId: string, userId: string, names: Map<string, string>) {
  return target.index
    .codersOf(responseId)
    .filter((coder) => coder !== userId)
    .map((coder) => [
      ...new Set(
        target.index
          .codingsOf(responseId, coder)
          .map((coding) => names.get(survivingCodeId(target.codebook, coding.codeId)) ?? coding.codeId),
      ),
    ]);
}

/** The page's address, keeping the search. */
export function searchUrl(
  surveyId: string,
  questionId: string,
  query: Partial<Record<keyof SearchQuery, string | undefined>>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return `/work/${encodeURIComponent(surveyId)}/${encodeURIComponent(questionId)}/search${search ? `?${search}` : ''}`;
}
