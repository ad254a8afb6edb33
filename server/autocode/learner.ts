import { domainStopWords } from './text.js';

interface LearnedAnswer {
  features: string[];
  codes: Set<string>;
  /** A codebook pseudo-answer counts each feature by its weight; an analyst's answer counts each once. */
  weights?: Map<string, number>;
}

/** Laplace smoothing of each feature's count. */
const SMOOTHING = 0.5;
/** A learned log-odds beyond this says nothing more: a handful of answers must not outvote the codebook. */
export const LEARNED_CLAMP = 8;
/** Words that turn up in answers to every theme: never evidence on their own. */
const isFiller = (surface: string) =>
  surface.length < 3 || surface.split(' ').every((word) => domainStopWords.has(word) || word.length < 3);

export interface LearnedScore {
  /** Log-odds that the answer carries the code, from the analysts' codings alone. */
  logOdds: number;
  /** The answer's words that pointed most towards the code. */
  parts: [string, number][];
}

/**
 * What analysts taught, as a one-vs-rest multinomial naive Bayes over words and two-word phrases
 * (each counted once an answer) with Laplace smoothing: for every code, how often each feature
 * turns up in answers coded with it against answers not coded with it. Multi-label: each code is
 * its own yes/no question, so an answer can carry several. Kept as counts, so learning or
 * unlearning one answer touches only that answer's features and codes (microseconds, however many
 * answers have been learned); scoring reads only the answer's features.
 */
export class Learner {
  private readonly answers = new Map<string, LearnedAnswer>();
  /** feature → code → answers coded with the code that have the feature; the total under '' */
  private readonly counts = new Map<string, Map<string, number>>();
  /** code → answers coded with it */
  private readonly codeAnswers = new Map<string, number>();
  /** code → features summed over the answers coded with it; the total under '' */
  private readonly codeFeatures = new Map<string, number>();

  /** Pseudo-answers from the codebook, one per code: the prior the analysts' codings move away from. */
  private priors = 0;

  /** Answers learned from analysts (the codebook's pseudo-answers not counted). */
  get size(): number {
    return this.answers.size - this.priors;
  }

  /**
   * Starts a code from the codebook: one pseudo-answer carrying the code, whose features are the
   * code's wording, each counted by its weight (so an indicative term counts more than a word of the
   * definition). It also tells every other code what answers without it look like.
   */
  prior(code: string, features: Map<string, number>): void {
    const key = `\u0000prior:${code}`;
    if (this.answers.has(key)) return;
    const answer = { features: [...features.keys()], codes: new Set([code]), weights: features };
    this.answers.set(key, answer);
    this.priors++;
    this.count(answer, 1);
  }

  /** Answers learned with this code. */
  positives(code: string): number {
    return this.codeAnswers.get(code) ?? 0;
  }

  learn(key: string, features: string[], codes: Iterable<string>): void {
    this.forget(key);
    // Kept as given when it has no repeats (an analysis's features never do): engines share it.
    const unique = new Set(features);
    const answer = { features: unique.size === features.length ? features : [...unique], codes: new Set(codes) };
    if (answer.codes.size === 0) return;
    this.answers.set(key, answer);
    this.count(answer, 1);
  }

  /** The keys of every answer learned. */
  keys(): string[] {
    return [...this.answers.keys()];
  }

  forget(key: string): void {
    const existing = this.answers.get(key);
    if (!existing) return;
    this.answers.delete(key);
    this.count(existing, -1);
  }

  private count(answer: LearnedAnswer, delta: number): void {
    const weightOf = (feature: string) => answer.weights?.get(feature) ?? 1;
    const length = answer.features.reduce((sum, feature) => sum + weightOf(feature), 0);
    bump(this.codeFeatures, TOTAL, delta * length);
    for (const code of answer.codes) {
      bump(this.codeAnswers, code, delta);
      bump(this.codeFeatures, code, delta * length);
    }
    for (const feature of answer.features) {
      let byCode = this.counts.get(feature);
      if (!byCode) this.counts.set(feature, (byCode = new Map()));
      const amount = delta * weightOf(feature);
      bump(byCode, TOTAL, amount);
      for (const code of answer.codes) bump(byCode, code, amount);
      if ((byCode.get(TOTAL) ?? 0) <= 1e-9) this.counts.delete(feature);
    }
  }

  /**
   * Log-odds for each code given the answer's features (those seen in training; unseen ones say
   * nothing either way), with the code's base rate as prior. Codes never learned are absent.
   */
  score(features: Map<string, string>, codeIds: string[]): Map<string, LearnedScore> {
    const result = new Map<string, LearnedScore>();
    const answers = this.answers.size;
    if (answers === this.priors) return result;
    const vocabulary = this.counts.size;
    const allFeatures = this.codeFeatures.get(TOTAL) ?? 0;
    // A feature an answer has but a code's answers never had counts log(S) - log(total + S) for it
    // (the same for every such code): summed once, then corrected where the code has the feature.
    const slot = new Map(codeIds.map((code, index) => [code, index]));
    const corrections = new Float64Array(codeIds.length);
    const parts = codeIds.map((): [string, number][] => []);
    let unseen = 0;
    let present = 0;
    for (const [feature, surface] of features) {
      const byCode = this.counts.get(feature);
      if (!byCode || isFiller(surface)) continue;
      present++;
      const total = byCode.get(TOTAL) ?? 0;
      const base = Math.log(SMOOTHING) - Math.log(total + SMOOTHING);
      unseen += base;
      for (const [code, withCode] of byCode) {
        const index = slot.get(code);
        if (index === undefined || withCode <= 0) continue;
        const value = Math.log(withCode + SMOOTHING) - Math.log(total - withCode + SMOOTHING);
        corrections[index]! += value - base;
        // Reasons: words seen more often with the code than without it.
        if (value > 0) parts[index]!.push([surface, value]);
      }
    }
    codeIds.forEach((code, index) => {
      const positive = this.codeAnswers.get(code) ?? 0;
      if (positive <= 0) return;
      const inFeatures = this.codeFeatures.get(code) ?? 0;
      const outFeatures = allFeatures - inFeatures;
      const inDenominator = Math.log(inFeatures + SMOOTHING * vocabulary);
      const outDenominator = Math.log(outFeatures + SMOOTHING * vocabulary);
      const logOdds =
        Math.log((positive + 0.5) / (answers - positive + 0.5)) +
        unseen +
        corrections[index]! +
        present * (outDenominator - inDenominator);
      result.set(code, { logOdds: Math.max(-LEARNED_CLAMP, Math.min(LEARNED_CLAMP, logOdds)), parts: parts[index]! });
    });
    return result;
  }
}

function bump(map: Map<string, number>, key: string, delta: number): void {
  const next = (map.get(key) ?? 0) + delta;
  if (Math.abs(next) < 1e-9) map.delete(key);
  else map.set(key, next);
}

const TOTAL = '';
