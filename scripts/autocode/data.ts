import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CodebookFile } from '../../server/codebooks/schema.js';
import { loadCodebookFiles } from '../../server/codebooks/files.js';
import { projectRoot } from '../../server/config.js';
import { random } from '../bench/dataset.js';

/** A hand-coded answer: every code of its codebook that applies. */
export interface Labelled {
  codebook: string;
  text: string;
  codes: string[];
}

const ownLine = z.object({ text: z.string().min(1), codes: z.array(z.string()).min(1) });
const practitionerLine = z.object({
  id: z.string(),
  codebook: z.string(),
  survey: z.string(),
  question: z.string(),
  codes: z.array(z.string()).min(1),
  text: z.string().min(1),
});

function lines(file: string): unknown[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as unknown);
}

function parse<T>(schema: z.ZodType<T>, raw: unknown, where: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`${where}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The codebook-worded set, eval/autocode/<codebook>.jsonl: tuned on (with eval/calibration/ for the calibration). */
export function ownSet(): Labelled[] {
  const dir = path.join(projectRoot, 'eval', 'autocode');
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) =>
      lines(path.join(dir, name)).map((raw, index) => ({
        codebook: path.basename(name, '.jsonl'),
        ...parse(ownLine, raw, `${name}:${index + 1}`),
      })),
    );
}

/** Every answer of the JSONL files in eval/<folder>/, in the frozen set's line shape. */
function handCoded(folder: string): Labelled[] {
  const dir = path.join(projectRoot, 'eval', folder);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) =>
      lines(path.join(dir, name)).map((raw, index) => {
        const { codebook, text, codes } = parse(practitionerLine, raw, `${folder}/${name}:${index + 1}`);
        return { codebook, text, codes };
      }),
    );
}

/**
 * A set used only to fit the calibration, eval/<folder>/<codebook>.jsonl: answers written like real
 * ones (practitioners' shorthand, several themes, negation). `calibration`: written by a writer who
 * had read the codebooks; `calibration-blind`: written as the frozen practitioner set was, seeing
 * only the questions and the codes' names.
 */
export const calibrationSet = (folder: 'calibration' | 'calibration-blind' = 'calibration') => handCoded(folder);

/**
 * A frozen set written as real answers are, from the questions and code names only: reported on,
 * never tuned on. `practitioner`: the first (130 answers); `practitioner-2`: the second, written
 * after the calibration it judges was fixed.
 */
export const practitionerSet = (folder: 'practitioner' | 'practitioner-2' = 'practitioner') => handCoded(folder);

/** The codebooks, optionally without their indicative terms (a harder test: names and definitions only). */
export function codebooks(withoutTerms = false): Map<string, CodebookFile> {
  return new Map(
    [...loadCodebookFiles()].map(([id, book]) => [
      id,
      withoutTerms ? { ...book, codes: book.codes.map((code) => ({ ...code, terms: [] })) } : book,
    ]),
  );
}

export function byCodebook(answers: Labelled[]): Map<string, Labelled[]> {
  const groups = new Map<string, Labelled[]>();
  for (const answer of answers) {
    const group = groups.get(answer.codebook) ?? [];
    group.push(answer);
    groups.set(answer.codebook, group);
  }
  return groups;
}

export function shuffled<T>(items: T[], seed: number): T[] {
  const next = random(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** k folds of a list: each answer is tested once, by a model trained only on the other folds. */
export function folds<T>(items: T[], k: number): { train: T[]; test: T[] }[] {
  return Array.from({ length: k }, (_unused, fold) => ({
    test: items.filter((_item, index) => index % k === fold),
    train: items.filter((_item, index) => index % k !== fold),
  }));
}
