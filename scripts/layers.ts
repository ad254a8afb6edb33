// The layers of server/, lowest first. A file may import its own folder and anything in a lower
// layer; never a higher one, nor another folder of the same layer. test/unit/layers.test.ts holds
// the code to this, and `npm run structure` reports it.
import fs from 'node:fs';
import path from 'node:path';

const layers: string[][] = [
  // Shared helpers every feature may use.
  ['config.ts', 'data-files.ts'],
  ['db', 'i18n'],
  ['http'],
  // The audit trail: a shared service every feature may record to.
  ['audit'],
  ['surveys', 'help'],
  ['auth'],
  ['codebooks'],
  ['coding'],
  ['autocode'],
  ['reports'],
  ['admin'],
  // Answers from other tools' exports: builds imported surveys from the surveys feature's parts.
  ['imports'],
  // The composition root: builds the app and the commands from every feature.
  ['cli', 'app.ts', 'startup.ts', 'main.ts', 'housekeeping.ts'],
];
const COMPOSITION = layers.length - 1;

/** The top-level folder (or root file) of server/ that a file belongs to. */
export function layerOf(root: string, file: string): string {
  const [first = ''] = path.relative(path.join(root, 'server'), file).split(path.sep);
  return first;
}

export function layerRank(layer: string): number {
  const rank = layers.findIndex((names) => names.includes(layer));
  return rank < 0 ? Number.POSITIVE_INFINITY : rank;
}

/** An import from folder `from` to folder `to` that points up, or sideways between two features. */
export function isUpward(from: string, to: string): boolean {
  if (from === to) return false;
  const a = layerRank(from);
  const b = layerRank(to);
  return b > a || (b === a && a !== COMPOSITION);
}

/** The files a module imports (relative imports only), as absolute .ts paths. */
export function importsOf(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    found.push(path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, '.ts')));
  }
  return found;
}

export function listFiles(dir: string, keep: (name: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full, keep);
    return keep(entry.name) ? [full] : [];
  });
}
