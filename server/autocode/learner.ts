import { domainStopWords, type Analysis } from './text.js';

interface LearnedAnswer {
  features: string[];
  codes: Set<string>;
}

/** Learned evidence needs a word seen with the code this often before it counts in full. */
const FULL_SUPPORT = 3;
/** Words that turn up in answers to every theme: never evidence on their own. */
const isFiller = (surface: string) =>
  surface.length < 3 || surface.split(' ').every((word) => domainStopWords.has(word) || word.length < 3);

/** Weight of a word analysts always code with one code, as strong as an indicative term. */
const LEARNED_WEIGHT = 2.5;

/**
 * What analysts taught, kept as counts so that learning or unlearning one answer touches only that
 * answer's words. A word counts for a code by its lift: how much more often answers with it carry
 * the code than answers in general. A codebook word that analysts keep not coding counts for less.
 */
export class Learner {
  /** @param codeCount the codebook's size: a code's base rate starts from an even share. */
  constructor(private readonly codeCount: number) {}

  private readonly answers = new Map<string, LearnedAnswer>();
  /** feature → code → answers with both; the total under '' */
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly codeCounts = new Map<string, number>();

  get size(): number {
    return this.answers.size;
  }

  learn(key: string, features: string[], codes: Iterable<string>): void {
    this.forget(key);
    const answer = { features: [...new Set(features)], codes: new Set(codes) };
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
    for (const code of answer.codes) this.codeCounts.set(code, (this.codeCounts.get(code) ?? 0) + delta);
    for (const feature of answer.features) {
      let byCode = this.counts.get(feature);
      if (!byCode) this.counts.set(feature, (byCode = new Map()));
      byCode.set(TOTAL, (byCode.get(TOTAL) ?? 0) + delta);
      for (const code of answer.codes) byCode.set(code, (byCode.get(code) ?? 0) + delta);
    }
  }

  /** Extra evidence for every code from words analysts used with it, in one pass over the answer. */
  evidence(analysis: Analysis): Map<string, { total: number; parts: [string, number][] }> {
    const result = new Map<string, { total: number; parts: [string, number][] }>();
    const answers = this.answers.size;
    for (const [feature, surface] of analysis.features) {
      const byCode = this.counts.get(feature);
      if (!byCode || isFiller(surface)) continue;
      const seen = byCode.get(TOTAL) ?? 0;
      for (const [code, withCode] of byCode) {
        if (code === TOTAL || withCode <= 0) continue;
        // Smoothed towards an even share, so three answers that all carry a code do not make it the norm.
        const baseRate = ((this.codeCounts.get(code) ?? 0) + 1) / (answers + this.codeCount);
        const lift = (withCode / (seen + 1) - baseRate) / (1 - baseRate + 1e-9);
        if (lift <= 0) continue;
        const value = LEARNED_WEIGHT * lift * Math.min(1, withCode / FULL_SUPPORT);
        let entry = result.get(code);
        if (!entry) result.set(code, (entry = { total: 0, parts: [] }));
        entry.total += value;
        entry.parts.push([surface, value]);
      }
    }
    return result;
  }

  /** How far to trust a codebook word for a code, given how analysts coded answers containing it. */
  trust(codeId: string, feature: string): number {
    const byCode = this.counts.get(feature);
    const seen = byCode?.get(TOTAL) ?? 0;
    if (seen < 3) return 1;
    const withCode = byCode?.get(codeId) ?? 0;
    // Seen in several coded answers and hardly ever with this code: the analysts disagree with the codebook.
    return Math.max(0.25, Math.min(1, (withCode + 1) / (0.3 * seen + 1)));
  }
}

const TOTAL = '';
