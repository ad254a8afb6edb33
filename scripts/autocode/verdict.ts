/** Answers scored, and how many had one of their codes first (top-1) and among the first three. */
export interface Tally {
  answers: number;
  top1: number;
  top3: number;
}

/**
 * How many points learning changes top-1 on average along the learning curve: the mean of each
 * point's top-1 share less the cold-start share. A change smaller than rounding error is none, so
 * that a curve which leaves top-1 exactly where it was (7 of 10 at every point) does not read as
 * "learning lowers top-1" (summing 0.7 three times and dividing by 3 gives a hair under 0.7).
 */
export function top1Change(cold: Tally, curve: Tally[]): number {
  const learned = curve.reduce((sum, tally) => sum + tally.top1 / tally.answers, 0) / curve.length;
  const change = 100 * (learned - cold.top1 / cold.answers);
  return Math.abs(change) < 1e-9 ? 0 : change;
}
