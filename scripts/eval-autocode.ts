import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { autoCoderForFile } from '../server/autocode/codebook.js';
import { loadCodebookFiles } from '../server/codebooks/files.js';
import { projectRoot } from '../server/config.js';
import { random } from './bench/dataset.js';

/**
 * Top-1 and top-3 accuracy of the suggestions on the hand-labelled answers in eval/autocode/: at
 * cold start, and after learning 10, 25, 50 and 100 coded answers. Five-fold cross-validation:
 * every answer is scored only by models that never learned it.
 */
const labelled = z.object({ text: z.string().min(1), codes: z.array(z.string()).min(1) });
type Labelled = z.infer<typeof labelled>;
const FOLDS = 5;
const CURVE = [10, 25, 50, 100];

function read(file: string): Labelled[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, index) => {
      const parsed = labelled.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

function shuffled<T>(items: T[], seed: number): T[] {
  const next = random(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

interface Tally {
  answers: number;
  top1: number;
  top3: number;
}
const empty = (): Tally => ({ answers: 0, top1: 0, top3: 0 });
const percent = (part: number, whole: number) =>
  whole === 0 ? '   -  ' : `${((100 * part) / whole).toFixed(1).padStart(5)}%`;

function score(tally: Tally, suggestions: { codeId: string }[], truth: string[]) {
  tally.answers++;
  if (suggestions[0] && truth.includes(suggestions[0].codeId)) tally.top1++;
  if (suggestions.slice(0, 3).some((suggestion) => truth.includes(suggestion.codeId))) tally.top3++;
}

// Without indicative terms, only names and definitions: a harder test, since the eval answers and
// the terms were written by the same people and real respondents may use other words.
const withoutTerms = process.argv.includes('--no-terms');
const books = new Map(
  [...loadCodebookFiles()].map(([id, book]) => [
    id,
    withoutTerms ? { ...book, codes: book.codes.map((code) => ({ ...code, terms: [] })) } : book,
  ]),
);
console.log(
  withoutTerms
    ? 'Codebooks WITHOUT their indicative terms (names, definitions and include notes only)\n'
    : 'Codebooks as shipped in coding-schemes/\n',
);
const evalDir = path.join(projectRoot, 'eval', 'autocode');
const totals = { cold: empty(), curve: new Map(CURVE.map((n) => [n, empty()])) };
const usedSizes = new Map<number, Set<number>>(CURVE.map((n) => [n, new Set()]));

console.log('codebook                 answers   cold top-1 top-3 | learned from n answers (top-1 / top-3)');
for (const file of fs
  .readdirSync(evalDir)
  .filter((name) => name.endsWith('.jsonl'))
  .sort()) {
  const id = path.basename(file, '.jsonl');
  const book = books.get(id);
  if (!book) throw new Error(`${file}: no codebook "${id}" in coding-schemes/`);
  const answers = shuffled(read(path.join(evalDir, file)), 7);
  const cold = empty();
  const coldCoder = autoCoderForFile(book);
  for (const answer of answers) score(cold, coldCoder.suggest(answer.text, 3), answer.codes);
  totals.cold.answers += cold.answers;
  totals.cold.top1 += cold.top1;
  totals.cold.top3 += cold.top3;

  const curveCells: string[] = [];
  for (const n of CURVE) {
    const tally = empty();
    for (let fold = 0; fold < FOLDS; fold++) {
      const test = answers.filter((_answer, index) => index % FOLDS === fold);
      const train = answers.filter((_answer, index) => index % FOLDS !== fold).slice(0, n);
      usedSizes.get(n)!.add(train.length);
      const coder = autoCoderForFile(book);
      train.forEach((answer, index) => coder.learn(`train-${index}`, answer.text, answer.codes));
      for (const answer of test) score(tally, coder.suggest(answer.text, 3), answer.codes);
    }
    const total = totals.curve.get(n)!;
    total.answers += tally.answers;
    total.top1 += tally.top1;
    total.top3 += tally.top3;
    curveCells.push(`${n}: ${percent(tally.top1, tally.answers)} / ${percent(tally.top3, tally.answers)}`);
  }
  console.log(
    `${id.padEnd(24)} ${String(answers.length).padStart(7)}   ${percent(cold.top1, cold.answers)} ${percent(cold.top3, cold.answers)} | ${curveCells.join('  ')}`,
  );
}
console.log('-'.repeat(100));
const curve = CURVE.map(
  (n) =>
    `${n}: ${percent(totals.curve.get(n)!.top1, totals.curve.get(n)!.answers)} / ${percent(totals.curve.get(n)!.top3, totals.curve.get(n)!.answers)}`,
);
console.log(
  `${'all codebooks'.padEnd(24)} ${String(totals.cold.answers).padStart(7)}   ${percent(totals.cold.top1, totals.cold.answers)} ${percent(totals.cold.top3, totals.cold.answers)} | ${curve.join('  ')}`,
);
console.log(`\ntop-1: the first suggestion is one of the answer's codes; top-3: one of the first three is.`);
console.log(`Learning curve: ${FOLDS}-fold cross-validation; a model learns up to n answers from the other folds`);
console.log(
  `(training sizes actually available: ${CURVE.map((n) => `${n} -> ${[...usedSizes.get(n)!].sort((a, b) => a - b).join('/')}`).join(', ')}).`,
);
