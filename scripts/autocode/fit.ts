import { calibrationInputs, type CodeEvidence } from '../../server/autocode/scoring.js';

/** The fitting helpers of scripts/calibrate-autocode.ts: weighted logistic and isotonic regression. */
export interface Model {
  weights: number[];
  bias: number;
}
/** One candidate code of one answer: the calibration's inputs, whether it is right, and its weight. */
export interface Row {
  inputs: number[];
  label: number;
  weight: number;
}
/** One suggestion shown (top 3): its logistic score, whether it is right, and its weight. */
export interface Shown {
  raw: number;
  right: number;
  weight: number;
}

/** Weighted logistic regression by Newton's method, L2 penalty on the weights (not the bias). */
export function fitLogistic(rows: Row[], penalty = 1): Model {
  const width = (rows[0]?.inputs.length ?? 0) + 1;
  let beta = new Array<number>(width).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = new Array<number>(width).fill(0);
    const hessian = Array.from({ length: width }, () => new Array<number>(width).fill(0));
    for (const row of rows) {
      const x = [1, ...row.inputs];
      const p = 1 / (1 + Math.exp(-x.reduce((sum, value, i) => sum + value * beta[i]!, 0)));
      for (let i = 0; i < width; i++) {
        gradient[i]! += row.weight * (p - row.label) * x[i]!;
        for (let j = 0; j < width; j++) hessian[i]![j]! += row.weight * p * (1 - p) * x[i]! * x[j]!;
      }
    }
    for (let i = 1; i < width; i++) {
      gradient[i]! += penalty * beta[i]!;
      hessian[i]![i]! += penalty;
    }
    const step = solve(hessian, gradient);
    beta = beta.map((value, i) => value - step[i]!);
    if (Math.max(...step.map(Math.abs)) < 1e-7) break;
  }
  return { bias: beta[0]!, weights: beta.slice(1) };
}

/** Gaussian elimination with partial pivoting. */
function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let row = col + 1; row < n; row++) {
      const factor = a[row]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[row]![k]! -= factor * a[col]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = a[row]![n]!;
    for (let k = row + 1; k < n; k++) sum -= a[row]![k]! * x[k]!;
    x[row] = sum / a[row]![row]!;
  }
  return x;
}

/** As the engine does (`logistic` in engine.ts). */
export const probability = (model: Model, candidate: CodeEvidence) =>
  1 /
  (1 +
    Math.exp(
      -calibrationInputs(candidate).reduce((sum, value, i) => sum + value * (model.weights[i] ?? 0), model.bias),
    ));

/** Weighted pool adjacent violators: a non-decreasing step function, as (mean raw score, share right) per block. */
export function poolAdjacentViolators(points: Shown[]): [number, number][] {
  const blocks: { raw: number; right: number; weight: number }[] = [];
  for (const point of [...points].sort((a, b) => a.raw - b.raw)) {
    blocks.push({ raw: point.raw * point.weight, right: point.right * point.weight, weight: point.weight });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const previous = blocks[blocks.length - 2]!;
      if (previous.right / previous.weight < last.right / last.weight) break;
      blocks.splice(blocks.length - 2, 2, {
        raw: previous.raw + last.raw,
        right: previous.right + last.right,
        weight: previous.weight + last.weight,
      });
    }
  }
  return blocks.map((block) => [block.raw / block.weight, block.right / block.weight]);
}

/** As the engine does (`calibrated` in engine.ts). */
export function interpolate(points: [number, number][], raw: number): number {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return raw;
  if (raw <= first[0]) return first[1];
  if (raw >= last[0]) return last[1];
  const high = points.findIndex(([x]) => x > raw);
  const [x0, y0] = points[high - 1]!;
  const [x1, y1] = points[high]!;
  return x1 === x0 ? y1 : y0 + ((raw - x0) / (x1 - x0)) * (y1 - y0);
}

export interface Band {
  count: number;
  score: number;
  right: number;
}

/** Ten score bands, as `npm run eval:autocode` prints them (suggestions unweighted). */
export function bands(points: { score: number; right: number }[]): Band[] {
  const table = Array.from({ length: 10 }, () => ({ count: 0, score: 0, right: 0 }));
  for (const point of points) {
    const band = table[Math.min(9, Math.floor(point.score * 10))]!;
    band.count++;
    band.score += point.score;
    band.right += point.right;
  }
  return table;
}

/** Expected calibration error: mean |score - share right| over the bands, weighted by suggestions. */
export const calibrationError = (table: Band[]) =>
  table.reduce((sum, band) => sum + Math.abs(band.score - band.right), 0) /
  Math.max(
    1,
    table.reduce((sum, band) => sum + band.count, 0),
  );

/** The largest |gap| in points among bands with at least 20 suggestions. */
export const worstGap = (table: Band[]) =>
  Math.max(
    0,
    ...table.filter((band) => band.count >= 20).map((band) => Math.abs(100 * (band.right - band.score)) / band.count),
  );
