// Builds the FerretDB launcher (tools/ferretdb) into .bin/ferretdb with Go from the module proxy.
// Runs after `npm install`; without Go it explains and leaves the choice of database to the user.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const binary = path.join(root, '.bin', 'ferretdb');
const source = path.join(root, 'tools', 'ferretdb');
const workDir = path.join(root, '.bin', 'ferretdb-build');
const force = process.argv.includes('--force');

const inputs = [...fs.readdirSync(source).map((name) => path.join(source, name)), import.meta.filename];
const newestInput = Math.max(...inputs.map((file) => fs.statSync(file).mtimeMs));
if (!force && fs.existsSync(binary) && fs.statSync(binary).mtimeMs >= newestInput) {
  process.exit(0);
}
if (spawnSync('go', ['version']).status !== 0) {
  console.warn('[ferretdb] Go is not installed: the embedded FerretDB was not built.');
  console.warn('[ferretdb] Set MONGODB_URI, or npm start will use mongod from mongodb-memory-server.');
  process.exit(0);
}

/**
 * FerretDB 1.24's SQLite backend indexes `_id` as `_ferretdb_sjson->"_id"` but looks documents up
 * by `_ferretdb_sjson->'$._id'`. SQLite only uses an expression index for the same expression, so
 * every find, update and delete by `_id` read the whole collection: a survey page got slower with
 * every response stored. The fix is one line, applied to a copy of the module from the proxy.
 */
const idColumnFix = {
  file: 'internal/backends/sqlite/metadata/metadata.go',
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: 'IDColumn = DefaultColumn + `->"_id"`',
};

function makeWritable(target) {
  const stat = fs.statSync(target);
  fs.chmodSync(target, stat.isDirectory() ? 0o755 : 0o644);
  if (stat.isDirectory()) for (const name of fs.readdirSync(target)) makeWritable(path.join(target, name));
}

function patchedFerretDbSource() {
  const go = (...args) => execFileSync('go', args, { cwd: source, encoding: 'utf8' });
  const { Dir: moduleDir, Version: version } = JSON.parse(go('mod', 'download', '-json', 'github.com/FerretDB/FerretDB'));
  const copy = path.join(workDir, `FerretDB@${version}`);
  if (fs.existsSync(copy)) makeWritable(copy);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(moduleDir, copy, { recursive: true });
  // Go's module cache is read-only, and so is a plain copy of it.
  makeWritable(copy);
  const file = path.join(copy, idColumnFix.file);
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(idColumnFix.from)) {
    throw new Error(`FerretDB ${version}: ${idColumnFix.file} no longer holds ${idColumnFix.from}; review the _id index fix in scripts/build-ferretdb.mjs`);
  }
  fs.writeFileSync(file, text.replace(idColumnFix.from, idColumnFix.to));

  // The launcher's own go.mod stays as published; the build uses a copy that points at the patched module.
  const modFile = path.join(workDir, 'launcher.mod');
  fs.writeFileSync(modFile, `${fs.readFileSync(path.join(source, 'go.mod'), 'utf8')}\nreplace github.com/FerretDB/FerretDB => ${copy}\n`);
  fs.copyFileSync(path.join(source, 'go.sum'), path.join(workDir, 'launcher.sum'));
  return modFile;
}

console.log('[ferretdb] building the FerretDB launcher (first time takes a minute)...');
fs.mkdirSync(workDir, { recursive: true });
try {
  const modFile = patchedFerretDbSource();
  execFileSync('go', ['build', '-buildvcs=false', '-trimpath', `-modfile=${modFile}`, '-o', binary, '.'], { cwd: source, stdio: 'inherit' });
  console.log(`[ferretdb] built ${path.relative(root, binary)}`);
} catch (error) {
  console.error(`[ferretdb] build failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
