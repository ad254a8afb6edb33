import { createHash } from 'node:crypto';
import type { Unit } from '../coding/read-model.js';
import { cosine, featuresOf, inverseFrequencies, weighted } from './answer-search.js';

/** A group of answers that say something alike, which no code fits. */
export interface ThemeGroup {
  /** Stable for the same answers: a form names the group it was shown, and is refused if it changed. */
  fingerprint: string;
  responseIds: string[];
  /** The words and phrases that set the group apart from the other answers, most distinctive first. */
  words: string[];
  /** The three answers closest to the group's centre. */
  examples: Unit[];
}

/** Fewer answers than this make no group. */
export const MIN_GROUP = 3;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
/** An answer less like the rest of its group than this (mean cosine) shares nothing with it: left out. */
const MIN_COHESION = 0.05;
const ITERATIONS = 30;

/** A small seeded generator (mulberry32): the same data always gives the same groups. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normalised(vector: Map<string, number>): Map<string, number> {
  let norm = 0;
  for (const value of vector.values()) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  return new Map([...vector].map(([feature, value]) => [feature, value / norm]));
}

/** Spherical k-means from a k-means++ start; returns each answer's group and the fit (summed cosine). */
function kMeans(
  vectors: Map<string, number>[],
  k: number,
  seed: number,
): { assignment: number[]; fit: number; centres: Map<string, number>[] } {
  const next = seeded(seed);
  const centres: Map<string, number>[] = [vectors[Math.floor(next() * vectors.length)]!];
  while (centres.length < k) {
    const distances = vectors.map((vector) => 1 - Math.max(...centres.map((centre) => cosine(vector, centre))));
    const total = distances.reduce((sum, value) => sum + value, 0);
    let pick = next() * total;
    let chosen = distances.findIndex((distance) => (pick -= distance) <= 0);
    if (chosen < 0 || total === 0) chosen = Math.floor(next() * vectors.length);
    centres.push(vectors[chosen]!);
  }
  let assignment = vectors.map(() => -1);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const updated = vectors.map((vector) => {
      let best = 0;
      let bestScore = -1;
      centres.forEach((centre, index) => {
        const score = cosine(vector, centre);
        if (score > bestScore) [best, bestScore] = [index, score];
      });
      return best;
    });
    const changed = updated.some((group, index) => group !== assignment[index]);
    assignment = updated;
    if (!changed) break;
    for (let group = 0; group < k; group++) {
      const sum = new Map<string, number>();
      vectors.forEach((vector, index) => {
        if (assignment[index] !== group) return;
        for (const [feature, value] of vector) sum.set(feature, (sum.get(feature) ?? 0) + value);
      });
      if (sum.size > 0) centres[group] = normalised(sum);
    }
  }
  const fit = vectors.reduce((total, vector, index) => total + cosine(vector, centres[assignment[index]!]!), 0);
  return { assignment, fit, centres };
}

/**
 * Groups answers by what they say: TF-IDF vectors of their words and phrases, spherical k-means
 * (k about the square root of the answers, 2 to 12) from several fixed seeds, keeping the best fit.
 * An answer far from its group's centre is left out of it, and groups under MIN_GROUP answers are
 * dropped; the largest come first. Deterministic: the same answers give the same groups.
 */
export function groupAnswers(units: Unit[]): ThemeGroup[] {
  const usable = units.filter((unit) => featuresOf(unit).size > 0);
  if (usable.length < MIN_GROUP * 2) return [];
  const idf = inverseFrequencies(usable);
  const vectors = usable.map((unit) => weighted(unit, idf));
  const k = Math.max(2, Math.min(12, Math.round(Math.sqrt(usable.length))));
  let best: ReturnType<typeof kMeans> | undefined;
  for (const seed of SEEDS) {
    const run = kMeans(vectors, k, seed);
    if (!best || run.fit > best.fit + 1e-12) best = run;
  }
  const assignment = best!.assignment.map((group, index, all) => {
    const others = all.flatMap((other, j) => (other === group && j !== index ? [vectors[j]!] : []));
    const mean = others.reduce((sum, vector) => sum + cosine(vectors[index]!, vector), 0) / Math.max(1, others.length);
    return mean >= MIN_COHESION ? group : -1;
  });
  const documentFrequency = new Map<string, number>();
  for (const unit of usable)
    for (const feature of featuresOf(unit).keys())
      documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);

  const groups: ThemeGroup[] = [];
  for (let group = 0; group < k; group++) {
    const members = usable
      .map((unit, index) => ({ unit, vector: vectors[index]! }))
      .filter((_m, index) => assignment[index] === group);
    if (members.length < MIN_GROUP) continue;
    const words = distinctiveWords(
      members.map((member) => member.unit),
      documentFrequency,
      usable.length,
    );
    // Answers that share no word are not a theme.
    if (words.length === 0) continue;
    groups.push({
      fingerprint: fingerprintOf(members.map((member) => member.unit.responseId)),
      responseIds: members.map((member) => member.unit.responseId),
      words,
      examples: closestToCentre(members).slice(0, 3),
    });
  }
  return groups.sort(
    (a, b) => b.responseIds.length - a.responseIds.length || a.fingerprint.localeCompare(b.fingerprint),
  );
}

export function fingerprintOf(responseIds: string[]): string {
  return createHash('sha256')
    .update([...responseIds].sort().join(','))
    .digest('base64url')
    .slice(0, 16);
}

/**
 * Words and phrases far more common in the group than among all the grouped answers (in at least
 * two of its answers), shown as written; a word inside a chosen phrase is not repeated.
 */
function distinctiveWords(members: Unit[], documentFrequency: Map<string, number>, total: number): string[] {
  const inGroup = new Map<string, { count: number; surface: string }>();
  for (const unit of members)
    for (const [feature, surface] of featuresOf(unit)) {
      if (feature.startsWith('not ')) continue;
      const entry = inGroup.get(feature) ?? { count: 0, surface };
      entry.count++;
      inGroup.set(feature, entry);
    }
  const ranked = [...inGroup]
    .filter(([, entry]) => entry.count >= 2)
    .map(([feature, entry]) => ({
      feature,
      surface: entry.surface,
      score: entry.count / members.length - (documentFrequency.get(feature) ?? 0) / total,
    }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.feature.localeCompare(b.feature))
    .slice(0, 12);
  const chosen = ranked.filter(
    (entry) =>
      !ranked.some(
        (other) =>
          other !== entry &&
          other.feature.includes(' ') &&
          other.feature.split(' ').includes(entry.feature) &&
          other.score >= entry.score,
      ),
  );
  return chosen.slice(0, 6).map((entry) => entry.surface);
}

function closestToCentre(members: { unit: Unit; vector: Map<string, number> }[]): Unit[] {
  const sum = new Map<string, number>();
  for (const { vector } of members)
    for (const [feature, value] of vector) sum.set(feature, (sum.get(feature) ?? 0) + value);
  const centre = normalised(sum);
  return members
    .map((member) => ({ unit: member.unit, score: cosine(member.vector, centre) }))
    .sort((a, b) => b.score - a.score || a.unit.index - b.unit.index)
    .map((entry) => entry.unit);
}
