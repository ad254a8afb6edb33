// Compiles server/ to plain JavaScript in dist/ (`npm run build`), and, for `npm start`, only when
// the compiled app is missing or older than its sources. Nothing else is copied: the compiled app
// reads views, survey definitions, codebooks and catalogues from the source tree, as in development.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.built');
export const compiledMain = path.join(dist, 'server', 'main.js');

/** The newest modification time among the files the build reads. */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  visit(path.join(root, 'server'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package.json'])
    newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs);
  return newest;
}

export function isStale() {
  if (!fs.existsSync(stamp) || !fs.existsSync(compiledMain)) return true;
  return fs.statSync(stamp).mtimeMs < newestSource();
}

export function build() {
  const started = Date.now();
  let tsc;
  try {
    tsc = path.join(path.dirname(fileURLToPath(import.meta.resolve('typescript/package.json'))), 'bin', 'tsc');
  } catch {
    throw new Error(
      'The app needs building, and TypeScript is not installed (was it installed with --omit=dev?): run `npm install`, then `npm run build`.',
    );
  }
  // A clean output, so a source file deleted since the last build leaves no module behind.
  fs.rmSync(path.join(dist, 'server'), { recursive: true, force: true });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('The build failed: see the TypeScript errors above.');
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
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
