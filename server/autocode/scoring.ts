import { CALIBRATION } from './calibration.js';

// How the engine's evidence for a code becomes a score: the inputs of the calibration fitted by
// `npm run calibrate:autocode` (calibration.ts), its logistic score and its isotonic map.

/** The figures the calibration turns into a probability, for one code and one answer. */
export interface CodeEvidence {
  codeId: string;
  /** Cold-start score from the codebook's wording, 0 to 1. */
  cold: number;
  /** The cold score relative to the best-scoring code for this answer, 0 to 1. */
  coldShare: number;
  /** The learner's log-odds scaled to -1 to 1 (0 before anything is learned). */
  learned: number;
  /** How much has been learned: 0 at cold start, towards 1 as coded answers arrive. */
  weight: number;
  /** 1 if the code has no indicative terms (its cold evidence comes from its name and definition only). */
  termless: number;
  /** The answer's length in words over 80, at most 1: longer answers carry more themes. */
  length: number;
  parts: [string, number][];
}

/**
 * The calibration's inputs, in the order of its weights: the cold-start evidence and its share of
 * the best code's, weighted by how little has been learned; the same and the learner's log-odds
 * weighted by how much has; for a code with no indicative terms, its cold-start evidence again (a
 * name and a definition say less than terms, so the same evidence means something else); and the
 * answer's length, alone and with the share (a long answer often carries a second and third theme).
 */
export function calibrationInputs(e: CodeEvidence): number[] {
  const cold = 1 - e.weight;
  const bare = cold * e.termless;
  return [
    cold * e.cold,
    cold * e.coldShare,
    e.weight * e.cold,
    e.weight * e.coldShare,
    e.weight * e.learned,
    e.weight,
    bare * e.cold,
    bare * e.coldShare,
    bare,
    e.length,
    e.length * e.coldShare,
  ];
}

/** The logistic score of the evidence (fitted by `npm run calibrate:autocode`): it orders suggestions. */
export function logistic(e: CodeEvidence): number {
  const inputs = calibrationInputs(e);
  let z = CALIBRATION.bias;
  inputs.forEach((value, index) => (z += value * (CALIBRATION.weights[index] ?? 0)));
  return 1 / (1 + Math.exp(-z));
}

/** The probability that a suggestion is right: the isotonic map of its logistic score, interpolated. */
export function calibrated(raw: number): number {
  const points = CALIBRATION.isotonic;
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return raw;
  if (raw <= first[0]) return first[1];
  if (raw >= last[0]) return last[1];
  let low = 0;
  let high = points.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (points[middle]![0] <= raw) low = middle;
    else high = middle;
  }
  const [x0, y0] = points[low]!;
  const [x1, y1] = points[high]!;
  return x1 === x0 ? y1 : y0 + ((raw - x0) / (x1 - x0)) * (y1 - y0);
}
