import { createHash } from 'node:crypto';
import type { Unit } from '../coding/read-model.js';
import { featuresOf } from './answer-search.js';

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
const SEEDS = [1, 2, 3, 4, 5];
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

/** An answer as a unit-length TF-IDF vector over the features of two or more answers. */
interface Sparse {
  ids: Int32Array;
  weights: Float64Array;
}

const dot = (vector: Sparse, dense: Float64Array) => {
  let sum = 0;
  for (let i = 0; i < vector.ids.length; i++) sum += vector.weights[i]! * dense[vector.ids[i]!]!;
  return sum;
};

function vectorsOf(units: Unit[]): { vectors: Sparse[]; size: number } {
  const frequency = new Map<string, number>();
  for (const unit of units)
    for (const feature of featuresOf(unit).keys()) frequency.set(feature, (frequency.get(feature) ?? 0) + 1);
  // A feature of one answer cannot bring two answers together.
  const index = new Map<string, number>();
  for (const [feature, count] of [...frequency].sort((a, b) => a[0].localeCompare(b[0])))
    if (count >= 2) index.set(feature, index.size);
  const vectors = units.map((unit) => {
    const entries: [number, number][] = [];
    for (const feature of featuresOf(unit).keys()) {
      const id = index.get(feature);
      // Inverse document frequency; a phrase counts half, as it repeats the words it is made of.
      if (id !== undefined)
        entries.push([
          id,
          Math.log((1 + units.length) / (1 + frequency.get(feature)!)) * (feature.includes(' ') ? 0.5 : 1) + 0.01,
        ]);
    }
    const norm = Math.sqrt(entries.reduce((sum, [, weight]) => sum + weight * weight, 0)) || 1;
    return {
      ids: Int32Array.from(entries.map(([id]) => id)),
      weights: Float64Array.from(entries.map(([, weight]) => weight / norm)),
    };
  });
  return { vectors, size: index.size };
}

/** The unit-length mean of the members (all zero for none). */
function centreOf(vectors: Sparse[], members: number[], size: number): Float64Array {
  const centre = new Float64Array(size);
  for (const member of members) {
    const vector = vectors[member]!;
    for (let i = 0; i < vector.ids.length; i++) centre[vector.ids[i]!]! += vector.weights[i]!;
  }
  let norm = 0;
  for (const value of centre) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < size; i++) centre[i]! /= norm;
  return centre;
}

/** Spherical k-means from a k-means++ start; returns each answer's group, the centres and the fit. */
function kMeans(vectors: Sparse[], size: number, k: number, seed: number) {
  const next = seeded(seed);
  const centres = [centreOf(vectors, [Math.floor(next() * vectors.length)], size)];
  const nearest = vectors.map((vector) => 1 - dot(vector, centres[0]!));
  while (centres.length < k) {
    const total = nearest.reduce((sum, value) => sum + value, 0);
    let pick = next() * total;
    let chosen = nearest.findIndex((distance) => (pick -= distance) <= 0);
    if (chosen < 0 || total <= 0) chosen = Math.floor(next() * vectors.length);
    const centre = centreOf(vectors, [chosen], size);
    centres.push(centre);
    vectors.forEach((vector, index) => (nearest[index] = Math.min(nearest[index]!, 1 - dot(vector, centre))));
  }
  let assignment = vectors.map(() => -1);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const updated = vectors.map((vector) => {
      let best = 0;
      let bestScore = -1;
      centres.forEach((centre, index) => {
        const score = dot(vector, centre);
        if (score > bestScore) [best, bestScore] = [index, score];
      });
      return best;
    });
    const changed = updated.some((group, index) => group !== assignment[index]);
    assignment = updated;
    if (!changed) break;
    for (let group = 0; group < k; group++) {
      const members = assignment.flatMap((other, index) => (other === group ? [index] : []));
      if (members.length > 0) centres[group] = centreOf(vectors, members, size);
    }
  }
  const fit = vectors.reduce((total, vector, index) => total + dot(vector, centres[assignment[index]!]!), 0);
  return { assignment, fit };
}

/**
 * Groups answers by what they say: TF-IDF vectors of their words and phrases, spherical k-means
 * (k about the square root of the answers, 2 to 12) from several fixed seeds, keeping the best fit.
 * An answer that shares almost nothing with the rest of its group is left out of it, and groups
 * under MIN_GROUP answers are dropped; the largest come first. Deterministic: the same answers give
 * the same groups.
 */
export function groupAnswers(units: Unit[]): ThemeGroup[] {
  const usable = units.filter((unit) => featuresOf(unit).size > 0);
  if (usable.length < MIN_GROUP * 2) return [];
  const { vectors, size } = vectorsOf(usable);
  const k = Math.max(2, Math.min(12, Math.round(Math.sqrt(usable.length))));
  let best: ReturnType<typeof kMeans> | undefined;
  for (const seed of SEEDS) {
    const run = kMeans(vectors, size, k, seed);
    if (!best || run.fit > best.fit + 1e-12) best = run;
  }
  const chosen = best!.assignment;
  // Mean cosine to the other members: (v . sum - v . v) / (members - 1), with the sum kept dense.
  const sums = Array.from({ length: k }, () => new Float64Array(size));
  const counts = new Array<number>(k).fill(0);
  chosen.forEach((group, index) => {
    const vector = vectors[index]!;
    counts[group]!++;
    for (let i = 0; i < vector.ids.length; i++) sums[group]![vector.ids[i]!]! += vector.weights[i]!;
  });
  const assignment = chosen.map((group, index) => {
    const vector = vectors[index]!;
    const self = vector.weights.reduce((sum, weight) => sum + weight * weight, 0);
    const mean = (dot(vector, sums[group]!) - self) / Math.max(1, counts[group]! - 1);
    return mean >= MIN_COHESION ? group : -1;
  });
  const documentFrequency = new Map<string, number>();
  for (const unit of usable)
    for (const feature of featuresOf(unit).keys())
      documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);

  const groups: ThemeGroup[] = [];
  for (let group = 0; group < k; group++) {
    const members = assignment.flatMap((other, index) => (other === group ? [index] : []));
    if (members.length < MIN_GROUP) continue;
    const words = distinctiveWords(
      members.map((member) => usable[member]!),
      documentFrequency,
      usable.length,
    );
    // Answers that share no word are not a theme.
    if (words.length === 0) continue;
    const centre = centreOf(vectors, members, size);
    const examples = members
      .map((member) => ({ unit: usable[member]!, score: dot(vectors[member]!, centre) }))
      .sort((a, b) => b.score - a.score || a.unit.index - b.unit.index)
      .slice(0, 3)
      .map((entry) => entry.unit);
    groups.push({
      fingerprint: fingerprintOf(members.map((member) => usable[member]!.responseId)),
      responseIds: members.map((member) => usable[member]!.responseId),
      words,
      examples,
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
