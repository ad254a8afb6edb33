import fs from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { autoCoderForFile } from '../server/autocode/codebook.js';
import { calibrationInputs, type CodeEvidence } from '../server/autocode/scoring.js';
import { projectRoot } from '../server/config.js';
import { byCodebook, calibrationSet, codebooks, folds, ownSet, shuffled, type Labelled } from './autocode/data.js';
import {
  bands,
  calibrationError,
  fitLogistic,
  interpolate,
  poolAdjacentViolators,
  probability,
  worstGap,
  type Model,
  type Shown,
} from './autocode/fit.js';

/**
 * Fits the engine's calibration (server/autocode/calibration.ts) on three sets, never on
 * eval/practitioner/: the codebook-worded set in eval/autocode/, and two sets written like real
 * answers (shorthand, several themes, negation, themes without the codebooks' words) so that the
 * scores hold on answers like the ones the app will see: eval/calibration/, by a writer who had
 * read the codebooks, and eval/calibration-blind/, written as the frozen set was (seeing only the
 * questions and the codes' names), so with the frozen set's distance from the codebooks' words.
 *
 * 1. Every answer is scored by models that never learned it (5-fold cross-validation), at cold
 *    start and after learning 5, 10, 25, 50 and all the other folds' answers, with the codebooks as
 *    shipped and again without their indicative terms.
 * 2. The blend (answers learned at which learner and codebook count alike) is the smallest
 *    candidate whose fitted model's cross-validated top-1 after learning is within a quarter of a
 *    point of the best: where the sets cannot tell them apart, trust the analysts sooner.
 * 3. A weighted logistic regression (Newton's method, L2 penalty 1) maps each suggested code's
 *    evidence to whether the answer carries it; then, optionally, isotonic regression (pool
 *    adjacent violators) of the right/wrong outcome of the suggestions shown (the top 3 by the
 *    logistic score) on that score; the engine interpolates between the fitted points. The order
 *    of suggestions stays that of the logistic score.
 * 4. How much an answer of each calibration set weighs against a codebook-worded one, and whether
 *    the isotonic step is kept, are chosen by out-of-fold reliability within the fitting data
 *    only: each fold of every set is held out in turn, the calibration fitted on the rest, and the
 *    expected calibration error measured on the held-out blind-set answers (the set written most
 *    like the answers the app will see).
 *
 * `npm run calibrate:autocode` rewrites the file; `--check` only prints the figures, and exits 1 if
 * the file is not what this script fits now (the engine or a fitting set changed since it was fitted).
 */
const FOLDS = 5;
const SIZES = [0, 5, 10, 25, 50, Infinity];
const BLENDS = [5, 10, 20, 40, 80, 160, 320];
/** Candidate weights of one answer of each calibration set against one codebook-worded answer. */
const CALIBRATION_WEIGHTS = [1, 4, 8];
const BLIND_WEIGHTS = [1, 4, 16, 64];
const describe = (weights: SetWeights) => `calibration set ${weights.calibration}, blind set ${weights.blind}`;

type SetName = 'own' | 'calibration' | 'blind';
/** How much one answer of each set weighs in a fit (the codebook-worded set's answers weigh 1). */
type SetWeights = Record<SetName, number>;
interface Scored {
  set: SetName;
  withoutTerms: boolean;
  /** The cross-validation fold the answer is tested in (the same at every size and setting). */
  fold: number;
  candidates: CodeEvidence[];
  truth: string[];
  learned: boolean;
}
interface Calibration {
  model: Model;
  /** (logistic score, share right) of the suggestions shown; none: the logistic score as it is. */
  isotonic: [number, number][];
}

function scoredAnswers(sets: Record<SetName, Labelled[]>, blendHalf: number): Scored[] {
  const result: Scored[] = [];
  for (const withoutTerms of [false, true]) {
    const books = codebooks(withoutTerms);
    for (const set of ['own', 'calibration', 'blind'] as const) {
      for (const [id, group] of byCodebook(sets[set])) {
        const book = books.get(id);
        if (!book) throw new Error(`no codebook "${id}"`);
        folds(shuffled(group, 7), FOLDS).forEach(({ train, test }, fold) => {
          // Sizes beyond the training fold all mean "everything": score that once.
          const sizes = SIZES.filter((size, index) => index === 0 || SIZES[index - 1]! < train.length);
          for (const size of sizes) {
            const coder = autoCoderForFile(book, blendHalf);
            train.slice(0, size).forEach((answer, index) => coder.learn(`t${index}`, answer.text, answer.codes));
            for (const answer of test)
              result.push({
                set,
                withoutTerms,
                fold,
                candidates: coder.evidence(answer.text).filter((candidate) => candidate.parts.length > 0),
                truth: answer.codes,
                learned: size > 0,
              });
          }
        });
      }
    }
  }
  return result;
}

const EVEN: SetWeights = { own: 1, calibration: 1, blind: 1 };
const weightOf = (answer: Scored, weights: SetWeights) => weights[answer.set];

const rowsOf = (scored: Scored[], setWeight: SetWeights) =>
  scored.flatMap((answer) =>
    answer.candidates.map((candidate) => ({
      inputs: calibrationInputs(candidate),
      label: answer.truth.includes(candidate.codeId) ? 1 : 0,
      weight: weightOf(answer, setWeight),
    })),
  );

/** The suggestions shown (top 3 by the model) with their outcome. */
const shownBy = (model: Model, scored: Scored[], setWeight: SetWeights = EVEN): Shown[] =>
  scored.flatMap((answer) =>
    answer.candidates
      .map((candidate) => ({
        raw: probability(model, candidate),
        right: answer.truth.includes(candidate.codeId) ? 1 : 0,
        weight: weightOf(answer, setWeight),
      }))
      .sort((a, b) => b.raw - a.raw)
      .slice(0, 3),
  );

function fitCalibration(scored: Scored[], setWeight: SetWeights, isotonic: boolean): Calibration {
  const model = fitLogistic(rowsOf(scored, setWeight));
  return { model, isotonic: isotonic ? poolAdjacentViolators(shownBy(model, scored, setWeight)) : [] };
}

interface Tally {
  /** per score band: suggestions shown, summed score, right */
  table: { score: number; right: number }[];
  answers: number;
  top1: number;
  top3: number;
}

/**
 * Out-of-fold reliability: hold out each fold of both sets in turn, fit on the rest, and score the
 * held-out answers' shown suggestions. Returned per set and setting (with or without terms).
 */
function outOfFold(scored: Scored[], setWeight: SetWeights, isotonic: boolean) {
  const points = new Map<string, Tally>();
  for (let fold = 0; fold < FOLDS; fold++) {
    const calibration = fitCalibration(
      scored.filter((answer) => answer.fold !== fold),
      setWeight,
      isotonic,
    );
    for (const answer of scored.filter((item) => item.fold === fold)) {
      const key = `${answer.set} ${answer.withoutTerms ? 'without terms' : 'with terms'}`;
      const tally = points.get(key) ?? { table: [], answers: 0, top1: 0, top3: 0 };
      const shown = shownBy(calibration.model, [answer]);
      tally.table.push(...shown.map(({ raw, right }) => ({ score: interpolate(calibration.isotonic, raw), right })));
      tally.answers++;
      if (shown[0]?.right) tally.top1++;
      if (shown.some(({ right }) => right)) tally.top3++;
      points.set(key, tally);
    }
  }
  return new Map([...points].map(([key, tally]) => [key, { ...tally, bands: bands(tally.table) }]));
}

const sets = { own: ownSet(), calibration: calibrationSet(), blind: calibrationSet('calibration-blind') };
console.log(
  `fitting on ${sets.own.length} codebook-worded, ${sets.calibration.length} calibration-set and ${sets.blind.length} blind calibration-set answers`,
);
const blends: { blendHalf: number; top1: number }[] = [];
for (const blendHalf of BLENDS) {
  const scored = scoredAnswers(sets, blendHalf);
  const model = fitLogistic(rowsOf(scored, EVEN));
  const learned = scored.filter((answer) => answer.learned);
  const hits = learned.filter(({ candidates, truth }) => {
    const top = [...candidates].sort((a, b) => probability(model, b) - probability(model, a))[0];
    return top !== undefined && truth.includes(top.codeId);
  }).length;
  const top1 = hits / learned.length;
  console.log(
    `blend ${String(blendHalf).padStart(3)}: cross-validated top-1 after learning ${(100 * top1).toFixed(1)}%`,
  );
  blends.push({ blendHalf, top1 });
}
const bestTop1 = Math.max(...blends.map((candidate) => candidate.top1));
const blendHalf = blends.find((candidate) => candidate.top1 >= bestTop1 - 0.0025)?.blendHalf;
if (blendHalf === undefined) throw new Error('no evaluation answers');
const scored = scoredAnswers(sets, blendHalf);

console.log(
  '\nout-of-fold expected calibration error on held-out blind calibration-set answers (with / without terms):',
);
const options: { weights: SetWeights; isotonic: boolean; error: number }[] = [];
for (const calibration of CALIBRATION_WEIGHTS)
  for (const blind of BLIND_WEIGHTS)
    for (const isotonic of [false, true]) {
      const weights = { own: 1, calibration, blind };
      const tables = outOfFold(scored, weights, isotonic);
      const withTerms = calibrationError(tables.get('blind with terms')!.bands);
      const withoutTerms = calibrationError(tables.get('blind without terms')!.bands);
      const error = (withTerms + withoutTerms) / 2;
      console.log(
        `weights ${describe(weights)}, ${isotonic ? 'logistic + isotonic' : 'logistic only      '}: ${(100 * withTerms).toFixed(1)} / ${(100 * withoutTerms).toFixed(1)} points`,
      );
      options.push({ weights, isotonic, error });
    }
const chosen = options.reduce((best, option) => (option.error < best.error - 1e-9 ? option : best));
console.log(
  `chosen: weights ${describe(chosen.weights)}, ${chosen.isotonic ? 'logistic + isotonic' : 'logistic only'}`,
);

console.log(
  '\nthe chosen method out of fold, cold start and every learning size together: top-1 / top-3, and per score band the suggestions shown and the gap (points right minus score)',
);
for (const [key, { bands: table, answers, top1, top3 }] of [
  ...outOfFold(scored, chosen.weights, chosen.isotonic),
].sort()) {
  const row = table
    .map((band, index) =>
      band.count === 0
        ? ''
        : `${index * 10}-${index * 10 + 10}%: ${band.count} ${band.right - band.score >= 0 ? '+' : ''}${Math.round((100 * (band.right - band.score)) / band.count)}`,
    )
    .filter(Boolean);
  console.log(
    `${key.padEnd(26)} ${((100 * top1) / answers).toFixed(1)}% / ${((100 * top3) / answers).toFixed(1)}%, worst gap (20+) ${worstGap(table).toFixed(0)} | ${row.join('  ')}`,
  );
}

const final = fitCalibration(scored, chosen.weights, chosen.isotonic);
const round = (value: number) => Math.round(value * 10_000) / 10_000;
console.log(
  `\nchosen blend ${blendHalf}; weights ${final.model.weights.map(round).join(', ')}; bias ${round(final.model.bias)}; isotonic points ${final.isotonic.length}`,
);
const file = path.join(projectRoot, 'server', 'autocode', 'calibration.ts');
{
  const source = `// Generated by \`npm run calibrate:autocode\` (scripts/calibrate-autocode.ts): do not edit by hand.
// A logistic regression from the engine's evidence to the probability that a suggested code is one
// the analysts gave, fitted on cross-validated scores of eval/autocode/, eval/calibration/ and
// eval/calibration-blind/ (one answer of each weighing 1, ${chosen.weights.calibration} and ${chosen.weights.blind}), never on eval/practitioner/.
export const CALIBRATION = {
  blendHalf: ${blendHalf},
  weights: [${final.model.weights.map(round).join(', ')}],
  bias: ${round(final.model.bias)},
  /** (logistic score, share of shown suggestions right): isotonic, interpolated between points. */
  isotonic: [${final.isotonic.map(([raw, right]) => `[${round(raw)}, ${round(right)}]`).join(', ')}] as [number, number][],
};
`;
  const formatted = await format(source, { ...(await resolveConfig(file)), filepath: file });
  if (!process.argv.includes('--check')) {
    fs.writeFileSync(file, formatted);
    console.log(`wrote ${path.relative(projectRoot, file)}`);
  } else if (fs.readFileSync(file, 'utf8') !== formatted) {
    console.log(
      `STALE: ${path.relative(projectRoot, file)} is not what this script fits now; run npm run calibrate:autocode`,
    );
    process.exitCode = 1;
  } else console.log(`${path.relative(projectRoot, file)} is current`);
}
