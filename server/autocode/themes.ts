import { createHash } from 'node:crypto';
import type { Unit } from '../coding/read-model.js';
import { featuresOf } from './answer-search.js';
import { centreOf, dot, seeded, vectorsOf, type Sparse } from './themes-vectors.js';

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

/** A group too small to show whose centre is this alike (cosine) to another's joins it. */
const MERGE_ALIKE = 0.5;

/**
 * Merges the most alike pair of groups, one of them under MIN_GROUP answers (a small theme k-means
 * split), while any such pair's centres are MERGE_ALIKE or more alike.
 */
function mergeAlike(assignment: number[], vectors: Sparse[], size: number, k: number): number[] {
  const merged = [...assignment];
  for (;;) {
    const groups = [...new Set(merged)].sort((a, b) => a - b);
    const centres = groups.map((group) =>
      centreOf(
        vectors,
        merged.flatMap((other, index) => (other === group ? [index] : [])),
        size,
      ),
    );
    let best: [number, number, number] | undefined;
    const sizes = groups.map((group) => merged.filter((other) => other === group).length);
    for (let a = 0; a < groups.length; a++)
      for (let b = a + 1; b < groups.length; b++) {
        if (sizes[a]! >= MIN_GROUP && sizes[b]! >= MIN_GROUP) continue;
        let alike = 0;
        for (let i = 0; i < size; i++) alike += centres[a]![i]! * centres[b]![i]!;
        if (alike >= MERGE_ALIKE && (!best || alike > best[2])) best = [groups[a]!, groups[b]!, alike];
      }
    if (!best || groups.length <= 1 || k < 2) return merged;
    const [into, from] = best;
    merged.forEach((group, index) => {
      if (group === from) merged[index] = into;
    });
  }
}

/**
 * Groups answers by what they say: TF-IDF vectors of their words and phrases, spherical k-means
 * (k about the square root of half the answers, 1 to 12) from several fixed seeds, keeping the best fit.
 * An answer that shares almost nothing with the rest of its group is left out of it, and groups
 * under MIN_GROUP answers are dropped; the largest come first. Deterministic: the same answers give
 * the same groups.
 */
export function groupAnswers(units: Unit[]): ThemeGroup[] {
  const all = units.filter((unit) => featuresOf(unit).size > 0);
  if (all.length < MIN_GROUP * 2) return [];
  // An answer sharing no word or phrase with any other cannot be in a group.
  const shared = vectorsOf(all);
  const usable = all.filter((_unit, index) => shared.vectors[index]!.ids.length > 0);
  const vectors = shared.vectors.filter((vector) => vector.ids.length > 0);
  const { size } = shared;
  if (usable.length < MIN_GROUP) return [];
  const k = Math.max(1, Math.min(12, Math.round(Math.sqrt(usable.length / 2))));
  let best: ReturnType<typeof kMeans> | undefined;
  for (const seed of SEEDS) {
    const run = kMeans(vectors, size, k, seed);
    if (!best || run.fit > best.fit + 1e-12) best = run;
  }
  const chosen = mergeAlike(best!.assignment, vectors, size, k);
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
  for (const unit of all)
    for (const feature of featuresOf(unit).keys())
      documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);

  const groups: ThemeGroup[] = [];
  for (let group = 0; group < k; group++) {
    const members = assignment.flatMap((other, index) => (other === group ? [index] : []));
    if (members.length < MIN_GROUP) continue;
    const words = distinctiveWords(
      members.map((member) => usable[member]!),
      documentFrequency,
      all.length,
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
