import type { Codebook } from '../codebooks/service.js';

/** A code suggested for an answer, with the words that triggered it. */
export interface Suggestion {
  codeId: string;
  score: number;
  because: string[];
}

export interface SuggestionRequest {
  /** The codebook as currently cached: a new object whenever it has been edited. */
  codebook: Codebook;
  text: string;
  limit: number;
}

/** The seam the workbench calls; the auto-coding engine plugs in here. */
export interface SuggestionSource {
  suggest(request: SuggestionRequest): Promise<Suggestion[]>;
}
