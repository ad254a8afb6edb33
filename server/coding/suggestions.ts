import type { Codebook } from '../codebooks/service.js';

/** A code suggested for an answer, with the words that triggered it. */
export interface Suggestion {
  codeId: string;
  score: number;
  because: string[];
}

/**
 * A suggestion's score is a calibrated probability that the code applies (see server/autocode/).
 * The workbench says it in words: "likely" from 70%, "possible" from 40%; below that the engine is
 * guessing, and the workbench says there is no confident suggestion.
 */
export type Confidence = 'likely' | 'possible' | 'unlikely';
export function confidenceOf(score: number): Confidence {
  return score >= 0.7 ? 'likely' : score >= 0.4 ? 'possible' : 'unlikely';
}

/**
 * The whole percentage shown beside the word, rounded down so it never contradicts it: 0.699 is
 * "possible (69%)", not "possible (70%)" beside "likely from 70%". (Scores carry three decimals.)
 */
export function percentOf(score: number): number {
  return Math.floor(Math.round(score * 1000) / 10);
}

/** The answer suggestions are asked for, and how its question is being coded. */
export interface SuggestedAnswer {
  surveyId: string;
  questionId: string;
  responseId: string;
  /** Coders code this question without seeing each other's work. */
  independent: boolean;
}

export interface SuggestionRequest {
  /** The codebook as currently cached: a new object whenever it has been edited. */
  codebook: Codebook;
  text: string;
  limit: number;
  /** Who the suggestions are for: under independent coding they learn only from final codings and this coder's own. */
  coderId: string;
  answer: SuggestedAnswer;
}

/** The seam the workbench calls: coding defines it, and the auto-coding engine (server/autocode/) implements it. */
export interface SuggestionSource {
  suggest(request: SuggestionRequest): Promise<Suggestion[]>;
}
