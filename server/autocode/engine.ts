import type { Suggestion } from '../coding/suggestions.js';
import { CALIBRATION } from './calibration.js';
import { Learner, LEARNED_CLAMP } from './learner.js';
import { calibrated, logistic, type CodeEvidence } from './scoring.js';
import { analyse, domainStopWords, negationCues, type Analysis } from './text.js';

/** What the engine needs to know about a code. */
export interface EngineCode {
  codeId: string;
  name: string;
  definition: string;
  include: string;
  terms: string[];
}

interface Weighted {
  weight: number;
  /** The codebook wording this feature came from, when the answer's own words are not at hand. */
  source: string;
}

/** How strongly each part of a code's description points to it. */
const WEIGHTS = {
  nameWord: 2,
  namePhrase: 3,
  term: 2.5,
  termPhrase: 4,
  termWordOfPhrase: 0.8,
  definitionWord: 1,
  definitionPhrase: 1.5,
};
/** Evidence needed for a cold-start score of 1 - 1/e (about 0.63). */
const COLD_SCALE = 4;

/**
 * Cold start: each code's name, definition, include notes and indicative terms become weighted
 * features; a feature shared by several codes counts for less (an inverse document frequency
 * over the codebook).
 */
class ColdProfile {
  private readonly byCode = new Map<string, Map<string, Weighted>>();
  private readonly idf = new Map<string, number>();

  constructor(codes: EngineCode[]) {
    const documentFrequency = new Map<string, number>();
    for (const code of codes) {
      const profile = new Map<string, Weighted>();
      const add = (analysis: Analysis, unigram: number, bigram: number, source: string) => {
        for (const [feature, surface] of analysis.features) {
          if (unigram === WEIGHTS.termWordOfPhrase && domainStopWords.has(surface)) continue;
          const weight = feature.includes(' ') && !feature.startsWith('not ') ? bigram : unigram;
          if ((profile.get(feature)?.weight ?? 0) < weight) profile.set(feature, { weight, source });
        }
      };
      add(analyse(code.name), WEIGHTS.nameWord, WEIGHTS.namePhrase, code.name.toLowerCase());
      for (const term of code.terms) {
        const analysis = analyse(term);
        const phrase = analysis.features.size > 1 || term.split(/\s+/).some((word) => negationCues.has(word));
        if (phrase) add(analysis, WEIGHTS.termWordOfPhrase, WEIGHTS.termPhrase, term);
        else add(analysis, WEIGHTS.term, WEIGHTS.termPhrase, term);
        // "not listened" is a phrase however it is written: its negated word carries the full weight.
        for (const feature of analysis.features.keys()) {
          if (feature.startsWith('not ')) profile.set(feature, { weight: WEIGHTS.termPhrase, source: term });
        }
      }
      add(
        analyse(`${code.definition} ${code.include}`, { dropDomainWords: true }),
        WEIGHTS.definitionWord,
        WEIGHTS.definitionPhrase,
        '',
      );
      this.byCode.set(code.codeId, profile);
      for (const feature of profile.keys()) documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);
    }
    const count = Math.max(1, codes.length);
    for (const [feature, frequency] of documentFrequency)
      this.idf.set(feature, Math.log(1 + count / frequency) / Math.log(1 + count));
  }

  /** A code's features with their weights scaled by how specific they are to it: the learner's prior. */
  priorOf(codeId: string): Map<string, number> {
    const prior = new Map<string, number>();
    for (const [feature, { weight }] of this.byCode.get(codeId) ?? [])
      prior.set(feature, (weight * (this.idf.get(feature) ?? 1)) / WEIGHTS.term);
    return prior;
  }

  /** Evidence for each code: summed weight of the answer's features found in its profile. */
  evidence(codeId: string, analysis: Analysis): { total: number; parts: [string, number][] } {
    const profile = this.byCode.get(codeId);
    const parts: [string, number][] = [];
    let total = 0;
    if (!profile) return { total, parts };
    for (const [feature, surface] of analysis.features) {
      const match = profile.get(feature);
      if (!match) continue;
      const value = match.weight * (this.idf.get(feature) ?? 1);
      total += value;
      parts.push([surface, value]);
    }
    return { total, parts };
  }
}

/**
 * Suggested codes for an answer: cold-start evidence from the codebook, blended with a naive Bayes
 * learner by how much has been learned, turned into calibrated probabilities.
 */
export class AutoCoder {
  private readonly cold: ColdProfile;
  private readonly learner: Learner;
  private readonly codeIds: string[];
  private readonly termless: Set<string>;

  /** @param blendHalf answers learned at which the learner and the codebook count alike (the calibration's). */
  constructor(
    codes: EngineCode[],
    private readonly blendHalf: number = CALIBRATION.blendHalf,
  ) {
    this.cold = new ColdProfile(codes);
    this.codeIds = codes.map((code) => code.codeId);
    this.termless = new Set(codes.filter((code) => code.terms.length === 0).map((code) => code.codeId));
    this.learner = new Learner();
    for (const codeId of this.codeIds) this.learner.prior(codeId, this.cold.priorOf(codeId));
  }

  get learnedCount(): number {
    return this.learner.size;
  }

  /** Learns (or relearns) one coded answer; an answer with no codes is forgotten. */
  learn(key: string, text: string, codes: Iterable<string>): void {
    this.learnFeatures(key, [...analyse(text).features.keys()], codes);
  }

  /** As `learn`, with the answer's features already worked out (`analyse`), as several engines share them. */
  learnFeatures(key: string, features: string[], codes: Iterable<string>): void {
    this.learner.learn(
      key,
      features,
      [...codes].filter((code) => this.codeIds.includes(code)),
    );
  }

  forget(key: string): void {
    this.learner.forget(key);
  }

  /** Forgets every learned answer whose key starts with `prefix` and that `keep` does not keep. */
  forgetAllBut(prefix: string, keep: (key: string) => boolean): void {
    for (const key of this.learner.keys()) if (key.startsWith(prefix) && !keep(key)) this.learner.forget(key);
  }

  /** The uncalibrated evidence for every code (the calibration script fits on this). */
  evidence(text: string): CodeEvidence[] {
    const analysis = analyse(text);
    const learned = this.learner.score(analysis.features, this.codeIds);
    const learnedCount = this.learner.size;
    const weight = learnedCount / (learnedCount + this.blendHalf);
    const noCodeYet = Math.log(0.5 / (learnedCount + 0.5));
    const colds = this.codeIds.map((codeId) => this.cold.evidence(codeId, analysis));
    const best = Math.max(0, ...colds.map((cold) => cold.total));
    const length = Math.min(1, analysis.padded.trim().split(/\s+/).length / 80);
    return this.codeIds.map((codeId, index) => {
      const cold = colds[index]!;
      const fromLearner = learned.get(codeId);
      const logOdds = learnedCount === 0 ? 0 : (fromLearner?.logOdds ?? Math.max(-LEARNED_CLAMP, noCodeYet));
      return {
        codeId,
        cold: 1 - Math.exp(-cold.total / COLD_SCALE),
        coldShare: best > 0 ? cold.total / best : 0,
        learned: Math.max(-1, Math.min(1, logOdds / LEARNED_CLAMP)),
        weight,
        termless: this.termless.has(codeId) ? 1 : 0,
        length,
        parts: [...cold.parts, ...(fromLearner?.parts ?? [])],
      };
    });
  }

  suggest(text: string, top = 3): Suggestion[] {
    return this.evidence(text)
      .filter((candidate) => candidate.parts.length > 0)
      .map((candidate) => ({ ...candidate, raw: logistic(candidate) }))
      .sort((a, b) => b.raw - a.raw || a.codeId.localeCompare(b.codeId))
      .slice(0, top)
      .map(({ codeId, raw, parts }) => ({
        codeId,
        score: Math.round(calibrated(raw) * 1000) / 1000,
        because: strongestReasons(parts),
      }));
  }
}

/** The words that did most for a code; "fear of blame" stands for "fear" and "blame" too. */
function strongestReasons(parts: [string, number][]): string[] {
  const totals = new Map<string, number>();
  for (const [surface, value] of parts) totals.set(surface, (totals.get(surface) ?? 0) + value);
  const ranked = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([surface]) => surface);
  return ranked.filter((surface) => !ranked.some((other) => other !== surface && other.includes(surface))).slice(0, 4);
}
