import { autoCoderForFile } from '../server/autocode/codebook.js';
import type { Suggestion } from '../server/coding/suggestions.js';
import { byCodebook, codebooks, folds, ownSet, practitionerSet, shuffled, type Labelled } from './autocode/data.js';
import { top1Change, type Tally } from './autocode/verdict.js';

/**
 * Top-1 and top-3 accuracy of the suggestions on two hand-coded sets: the codebook-worded one in
 * eval/autocode/ and the frozen practitioner-written one in eval/practitioner/ (reported, never
 * tuned on). Each at cold start and along a learning curve by k-fold cross-validation (every
 * answer is scored only by models that never learned it), plus a reliability table of the
 * calibrated scores, saying for each band with 20+ suggestions whether its mean score is within 10
 * points of the share right, with a one-line verdict (a calibration miss is reported, not an exit
 * code). Exits 1 if learning lowers top-1 on average on either set.
 * `--no-terms`: the codebooks without their indicative terms (names, definitions, include notes).
 */
const empty = (): Tally => ({ answers: 0, top1: 0, top3: 0 });
const add = (into: Tally, from: Tally) => {
  into.answers += from.answers;
  into.top1 += from.top1;
  into.top3 += from.top3;
};
const percent = (part: number, whole: number) =>
  whole === 0 ? '   -  ' : `${((100 * part) / whole).toFixed(1).padStart(5)}%`;
const cell = (tally: Tally) => `${percent(tally.top1, tally.answers)} / ${percent(tally.top3, tally.answers)}`;

const BANDS = 10;
/** per band: suggestions, summed score, right */
type Reliability = { shown: number; score: number; right: number }[];
const reliability = (): Reliability => Array.from({ length: BANDS }, () => ({ shown: 0, score: 0, right: 0 }));

function score(tally: Tally, table: Reliability, suggestions: Suggestion[], truth: string[]) {
  tally.answers++;
  if (suggestions[0] && truth.includes(suggestions[0].codeId)) tally.top1++;
  if (suggestions.slice(0, 3).some((suggestion) => truth.includes(suggestion.codeId))) tally.top3++;
  for (const suggestion of suggestions.slice(0, 3)) {
    const band = table[Math.min(BANDS - 1, Math.floor(suggestion.score * BANDS))]!;
    band.shown++;
    band.score += suggestion.score;
    if (truth.includes(suggestion.codeId)) band.right++;
  }
}

interface SetResult {
  cold: Tally;
  curve: Tally[];
}

function evaluate(name: string, answers: Labelled[], k: number, sizes: number[], withoutTerms: boolean): SetResult {
  const books = codebooks(withoutTerms);
  const total: SetResult = { cold: empty(), curve: sizes.map(empty) };
  const table = reliability();
  const labels = sizes.map((size) => (Number.isFinite(size) ? String(size) : 'all'));
  console.log(`\n${name}: ${answers.length} answers, ${k}-fold learning curve`);
  console.log(`codebook                 answers   cold top-1 / top-3 | learned from n answers: ${labels.join(', ')}`);
  for (const [id, group] of byCodebook(answers)) {
    const book = books.get(id);
    if (!book) throw new Error(`no codebook "${id}" in coding-schemes/`);
    const ordered = shuffled(group, 7);
    const cold = empty();
    const coldCoder = autoCoderForFile(book);
    for (const answer of ordered) score(cold, table, coldCoder.suggest(answer.text, 3), answer.codes);
    const curve = sizes.map((size) => {
      const tally = empty();
      for (const { train, test } of folds(ordered, k)) {
        const coder = autoCoderForFile(book);
        train.slice(0, size).forEach((answer, index) => coder.learn(`t${index}`, answer.text, answer.codes));
        for (const answer of test) score(tally, table, coder.suggest(answer.text, 3), answer.codes);
      }
      return tally;
    });
    add(total.cold, cold);
    curve.forEach((tally, index) => add(total.curve[index]!, tally));
    console.log(
      `${id.padEnd(24)} ${String(ordered.length).padStart(7)}   ${cell(cold)} | ${curve.map((tally, index) => `${labels[index]}: ${cell(tally)}`).join('  ')}`,
    );
  }
  console.log('-'.repeat(110));
  console.log(
    `${'all codebooks'.padEnd(24)} ${String(total.cold.answers).padStart(7)}   ${cell(total.cold)} | ${total.curve.map((tally, index) => `${labels[index]}: ${cell(tally)}`).join('  ')}`,
  );
  console.log(`\nReliability of the scores of every suggestion shown (top 3), cold start and learned together:`);
  console.log('score band   suggestions   mean score   observed right   gap   within 10 points?');
  let judged = 0;
  let off = 0;
  table.forEach((band, index) => {
    if (band.shown === 0) return;
    const mean = band.score / band.shown;
    const observed = band.right / band.shown;
    const gap = Math.round(100 * (observed - mean));
    let verdict = 'not judged (fewer than 20)';
    if (band.shown >= 20) {
      judged++;
      verdict = Math.abs(gap) <= 10 ? 'yes' : 'NO: off by more than 10 points';
      if (Math.abs(gap) > 10) off++;
    }
    console.log(
      `${`${index * 10}-${index * 10 + 10}%`.padEnd(12)} ${String(band.shown).padStart(11)}   ${(100 * mean).toFixed(1).padStart(9)}%   ${(100 * observed).toFixed(1).padStart(13)}%   ${`${gap > 0 ? '+' : ''}${gap}`.padStart(4)}   ${verdict}`,
    );
  });
  console.log(
    off === 0
      ? `Calibration verdict: PASS, all ${judged} bands with 20+ suggestions are within 10 points of observed accuracy`
      : `Calibration verdict: MISS, ${off} of ${judged} bands with 20+ suggestions are off by more than 10 points (reported, not an exit code)`,
  );
  return total;
}

const withoutTerms = process.argv.includes('--no-terms');
console.log(
  withoutTerms
    ? 'Codebooks WITHOUT their indicative terms (names, definitions and include notes only)'
    : 'Codebooks as shipped in coding-schemes/',
);
const results = [
  evaluate('Codebook-worded set (eval/autocode/)', ownSet(), 5, [10, 25, 50, 100], withoutTerms),
  evaluate('Practitioner set, frozen (eval/practitioner/)', practitionerSet(), 3, [5, 10, Infinity], withoutTerms),
  evaluate(
    'Second practitioner set, frozen (eval/practitioner-2/)',
    practitionerSet('practitioner-2'),
    3,
    [5, 10, Infinity],
    withoutTerms,
  ),
];
const setNames = ['codebook-worded set', 'practitioner set', 'second practitioner set'];
console.log(`\ntop-1: the first suggestion is one of the answer's codes; top-3: one of the first three is.`);
let worse = false;
for (const [index, { cold, curve }] of results.entries()) {
  const change = top1Change(cold, curve);
  console.log(`${setNames[index]}: learning changes top-1 by ${change.toFixed(1)} points on average`);
  if (change < 0) worse = true;
}
if (worse) {
  console.log('FAIL: learning lowers top-1 on average');
  process.exitCode = 1;
}
