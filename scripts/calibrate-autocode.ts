import fs from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { autoCoderForFile } from '../server/autocode/codebook.js';
import { calibrationInputs, type CodeEvidence } from '../server/autocode/engine.js';
import { projectRoot } from '../server/config.js';
import { byCodebook, codebooks, folds, ownSet, shuffled, type Labelled } from './autocode/data.js';

/**
 * Fits the engine's calibration (server/autocode/calibration.ts) on the codebook-worded set in
 * eval/autocode/ only, never on eval/practitioner/:
 *
 * 1. Every answer is scored by models that never learned it (5-fold cross-validation), at cold
 *    start and after learning 10, 25, 50 and all the other folds' answers, with the codebooks as
 *    shipped and again without their indicative terms (real answers use the codebooks' words less
 *    than this set does, so the calibration must also see weaker cold-start evidence).
 * 2. A logistic regression (Newton's method, L2 penalty 1) maps each suggested code's evidence to
 *    whether the answer carries it: the suggestion's calibrated probability.
 * 3. Isotonic regression (pool-adjacent-violators) of the right/wrong outcome of the suggestions
 *    shown (the top 3 by the logistic score) on that score, so that of the suggestions shown at
 *    80% about 80% are right; the engine interpolates between the fitted points. The order of
 *    suggestions stays that of the logistic score. Kept only if, leaving each codebook out in
 *    turn, it calibrates the left-out codebook better than the logistic score alone.
 * 4. The blend (answers learned at which learner and codebook count alike) is the smallest
 *    candidate whose fitted model's cross-validated top-1 after learning is within a quarter of a
 *    point of the best: where this small set cannot tell them apart, trust the analysts sooner.
 *
 * `npm run calibrate:autocode` rewrites the file; `--check` only prints the figures.
 */
const FOLDS = 5;
const SIZES = [0, 10, 25, 50, Infinity];
const BLENDS = [5, 10, 20, 40, 80, 160, 320];

interface Row {
  inputs: number[];
  label: number;
}
interface Scored {
  codebook: string;
  candidates: CodeEvidence[];
  truth: string[];
  learned: boolean;
}

function scoredAnswers(answers: Labelled[], blendHalf: number): Scored[] {
  const result: Scored[] = [];
  for (const withoutTerms of [false, true]) {
    const books = codebooks(withoutTerms);
    for (const [id, group] of byCodebook(answers)) {
      const book = books.get(id);
      if (!book) throw new Error(`no codebook "${id}"`);
      for (const { train, test } of folds(shuffled(group, 7), FOLDS)) {
        for (const size of SIZES) {
          const coder = autoCoderForFile(book, blendHalf);
          train.slice(0, size).forEach((answer, index) => coder.learn(`t${index}`, answer.text, answer.codes));
          for (const answer of test)
            result.push({
              codebook: id,
              candidates: coder.evidence(answer.text).filter((candidate) => candidate.parts.length > 0),
              truth: answer.codes,
              learned: size > 0,
            });
        }
      }
    }
  }
  return result;
}

function fit(rows: Row[], penalty = 1): { weights: number[]; bias: number } {
  const width = (rows[0]?.inputs.length ?? 0) + 1;
  let beta = new Array<number>(width).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = new Array<number>(width).fill(0);
    const hessian = Array.from({ length: width }, () => new Array<number>(width).fill(0));
    for (const row of rows) {
      const x = [1, ...row.inputs];
      const p = 1 / (1 + Math.exp(-x.reduce((sum, value, i) => sum + value * beta[i]!, 0)));
      for (let i = 0; i < width; i++) {
        gradient[i]! += (p - row.label) * x[i]!;
        for (let j = 0; j < width; j++) hessian[i]![j]! += p * (1 - p) * x[i]! * x[j]!;
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

const probability = (model: { weights: number[]; bias: number }, candidate: CodeEvidence) =>
  1 /
  (1 +
    Math.exp(
      -calibrationInputs(candidate).reduce((sum, value, i) => sum + value * (model.weights[i] ?? 0), model.bias),
    ));

const answers = ownSet();
const candidates: { blendHalf: number; model: { weights: number[]; bias: number }; top1: number }[] = [];
for (const blendHalf of BLENDS) {
  const scored = scoredAnswers(answers, blendHalf);
  const rows = scored.flatMap(({ candidates, truth }) =>
    candidates.map((candidate) => ({
      inputs: calibrationInputs(candidate),
      label: truth.includes(candidate.codeId) ? 1 : 0,
    })),
  );
  const model = fit(rows);
  const learned = scored.filter((answer) => answer.learned);
  const hits = learned.filter(({ candidates, truth }) => {
    const top = [...candidates].sort((a, b) => probability(model, b) - probability(model, a))[0];
    return top !== undefined && truth.includes(top.codeId);
  }).length;
  const top1 = hits / learned.length;
  console.log(
    `blend ${String(blendHalf).padStart(3)}: cross-validated top-1 after learning ${(100 * top1).toFixed(1)}%`,
  );
  candidates.push({ blendHalf, model, top1 });
}
const bestTop1 = Math.max(...candidates.map((candidate) => candidate.top1));
const best = candidates.find((candidate) => candidate.top1 >= bestTop1 - 0.0025);
if (!best) throw new Error('no evaluation answers');
const chosen = best;
const shown = scoredAnswers(answers, chosen.blendHalf).flatMap(({ candidates, truth }) =>
  candidates
    .map((candidate) => ({
      raw: probability(chosen.model, candidate),
      right: truth.includes(candidate.codeId) ? 1 : 0,
    }))
    .sort((a, b) => b.raw - a.raw)
    .slice(0, 3),
);

/** Rows for the logistic fit, and the suggestions shown (top 3 by a model) with their outcome. */
const rowsOf = (scored: Scored[]) =>
  scored.flatMap(({ candidates, truth }) =>
    candidates.map((candidate) => ({
      inputs: calibrationInputs(candidate),
      label: truth.includes(candidate.codeId) ? 1 : 0,
    })),
  );
const shownBy = (model: { weights: number[]; bias: number }, scored: Scored[]) =>
  scored.flatMap(({ candidates, truth }) =>
    candidates
      .map((candidate) => ({ raw: probability(model, candidate), right: truth.includes(candidate.codeId) ? 1 : 0 }))
      .sort((a, b) => b.raw - a.raw)
      .slice(0, 3),
  );

/**
 * Does the calibration carry over to answers it was not fitted on? Leave one codebook out: fit on
 * the other four, then measure the expected calibration error (mean |score - share right| over ten
 * bands, weighted by suggestions) on the one left out. The isotonic step is kept only if it lowers
 * that error: with a small set it can fit the set rather than the engine.
 */
function leaveOneCodebookOut(all: Scored[]): { logistic: number; isotonic: number } {
  const errors = {
    logistic: [] as { raw: number; score: number; right: number }[],
    isotonic: [] as { raw: number; score: number; right: number }[],
  };
  for (const held of new Set(all.map((answer) => answer.codebook))) {
    const training = all.filter((answer) => answer.codebook !== held);
    const model = fit(rowsOf(training));
    const points = poolAdjacentViolators(shownBy(model, training));
    for (const shown of shownBy(
      model,
      all.filter((answer) => answer.codebook === held),
    )) {
      errors.logistic.push({ ...shown, score: shown.raw });
      errors.isotonic.push({ ...shown, score: interpolate(points, shown.raw) });
    }
  }
  return { logistic: calibrationError(errors.logistic), isotonic: calibrationError(errors.isotonic) };
}

function calibrationError(points: { score: number; right: number }[]): number {
  const bands = Array.from({ length: 10 }, () => ({ count: 0, score: 0, right: 0 }));
  for (const point of points) {
    const band = bands[Math.min(9, Math.floor(point.score * 10))]!;
    band.count++;
    band.score += point.score;
    band.right += point.right;
  }
  return bands.reduce((sum, band) => sum + Math.abs(band.score - band.right), 0) / Math.max(1, points.length);
}

/** As the engine does (`calibrated` in engine.ts). */
function interpolate(points: [number, number][], raw: number): number {
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

const transfer = leaveOneCodebookOut(scoredAnswers(answers, chosen.blendHalf));
console.log(
  `leave one codebook out, expected calibration error: logistic ${(100 * transfer.logistic).toFixed(1)} points, with isotonic ${(100 * transfer.isotonic).toFixed(1)} points`,
);
const isotonic = transfer.isotonic < transfer.logistic ? poolAdjacentViolators(shown) : [];
/** Pool adjacent violators: a non-decreasing step function, as (mean raw score, share right) per block. */
function poolAdjacentViolators(points: { raw: number; right: number }[]): [number, number][] {
  const blocks: { raw: number; right: number; count: number }[] = [];
  for (const point of [...points].sort((a, b) => a.raw - b.raw)) {
    blocks.push({ raw: point.raw, right: point.right, count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const previous = blocks[blocks.length - 2]!;
      if (previous.right / previous.count < last.right / last.count) break;
      blocks.splice(blocks.length - 2, 2, {
        raw: previous.raw + last.raw,
        right: previous.right + last.right,
        count: previous.count + last.count,
      });
    }
  }
  return blocks.map((block) => [block.raw / block.count, block.right / block.count]);
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
console.log(`isotonic points: ${isotonic.length}`);
console.log(
  `chosen blend ${best.blendHalf}; weights ${best.model.weights.map(round).join(', ')}; bias ${round(best.model.bias)}`,
);
if (!process.argv.includes('--check')) {
  const file = path.join(projectRoot, 'server', 'autocode', 'calibration.ts');
  const source = `// Generated by \`npm run calibrate:autocode\` (scripts/calibrate-autocode.ts): do not edit by hand.
// A logistic regression from the engine's evidence to the probability that a suggested code is one
// the analysts gave, fitted on cross-validated scores of eval/autocode/ (never eval/practitioner/).
export const CALIBRATION = {
  blendHalf: ${best.blendHalf},
  weights: [${best.model.weights.map(round).join(', ')}],
  bias: ${round(best.model.bias)},
  /** (logistic score, share of shown suggestions right): isotonic, interpolated between points. */
  isotonic: [${isotonic.map(([raw, right]) => `[${round(raw)}, ${round(right)}]`).join(', ')}] as [number, number][],
};
`;
  fs.writeFileSync(file, await format(source, { ...(await resolveConfig(file)), filepath: file }));
  console.log(`wrote ${path.relative(projectRoot, file)}`);
}
