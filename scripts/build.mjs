// Compiles server/ to plain JavaScript in dist/ (`npm run build`), and, for `npm start`, only when
// the compiled app is missing or was built from other sources (their hash is kept in dist/.built).
// Nothing else is copied: the compiled app reads views, survey definitions, codebooks and
// catalogues from the source tree, as in development.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.built');
export const compiledMain = path.join(dist, 'server', 'main.js');

/**
 * A hash of what the build reads: every .ts file under server/ (its path and content) and the config
 * files. Content, not modification times: a change copied in with an older time (tar, rsync -a) or
 * a deleted source still counts.
 */
export function sourceHash(base = root) {
  const files = [];
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts')) files.push(full);
    }
  };
  visit(path.join(base, 'server'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package.json']) {
    const full = path.join(base, file);
    if (fs.existsSync(full)) files.push(full);
  }
  const hash = crypto.createHash('sha256');
  for (const file of files.sort()) {
    hash.update(`${path.relative(base, file)}\0`);
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export function isStale() {
  if (!fs.existsSync(stamp) || !fs.existsSync(compiledMain)) return true;
  return fs.readFileSync(stamp, 'utf8').trim() !== sourceHash();
}

export function build() {
  const started = Date.now();
  // The sources as they are when the build starts: a change made during it makes the next start rebuild.
  const hashBefore = sourceHash();
  let tsc;
  try {
    tsc = path.join(path.dirname(fileURLToPath(import.meta.resolve('typescript/package.json'))), 'bin', 'tsc');
  } catch {
    throw new Error(
      'The app needs building, and TypeScript is not installed (was it installed with --omit=dev?): run `npm install`, then `npm run build`.',
    );
  }
  // A clean output, so a source file deleted since the last build leaves no module behind.
  fs.rmSync(dist, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('The build failed: see the TypeScript errors above.');
  fs.writeFileSync(stamp, `${hashBefore}\n`);
  console.error(`Built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.filename === process.argv[1]) {
  try {
    if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
    build();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
