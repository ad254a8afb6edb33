import type { Unit } from '../coding/read-model.js';
import { featuresOf } from './answer-search.js';

// The vectors emerging themes are grouped by: integer feature ids, dense centres.

/** A small seeded generator (mulberry32): the same data always gives the same groups. */
export function seeded(seed: number): () => number {
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
export interface Sparse {
  ids: Int32Array;
  weights: Float64Array;
}

export const dot = (vector: Sparse, dense: Float64Array) => {
  let sum = 0;
  for (let i = 0; i < vector.ids.length; i++) sum += vector.weights[i]! * dense[vector.ids[i]!]!;
  return sum;
};

export function vectorsOf(units: Unit[]): { vectors: Sparse[]; size: number } {
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
export function centreOf(vectors: Sparse[], members: number[], size: number): Float64Array {
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
