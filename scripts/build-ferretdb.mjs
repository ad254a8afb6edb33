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
 * Changes made to a copy of FerretDB 1.24 from the module proxy. The build fails if any `from` text
 * is no longer there, so an upgrade cannot silently drop one.
 */
const patches = [
  {
    // The SQLite backend indexes `_id` as `_ferretdb_sjson->"_id"` but looks documents up by
    // `_ferretdb_sjson->'$._id'`. SQLite only uses an expression index for the same expression, so
    // every find, update and delete by `_id` read the whole collection: a survey page got slower
    // with every response stored.
    why: 'the _id index is used',
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: 'IDColumn = DefaultColumn + `->"_id"`',
  },
  {
    // `update` and `findAndModify` read a document, change it in Go and write it back, outside any
    // transaction: 50 parallel `$inc`s left a counter at 15, and parallel `$addToSet`s lost
    // elements. MongoDB applies each single-document update atomically, and the app relies on
    // that (sign-in lock-out counts, change counters). One lock per server makes these two
    // commands atomic against each other; SQLite serialises writes anyway.
    why: 'update is atomic',
    file: 'internal/handler/msg_update.go',
    from: 'func (h *Handler) updateDocument(ctx context.Context, params *common.UpdateParams) (int32, int32, *types.Array, error) {\n',
    to: 'func (h *Handler) updateDocument(ctx context.Context, params *common.UpdateParams) (int32, int32, *types.Array, error) {\n\tatomicWrites.Lock()\n\tdefer atomicWrites.Unlock()\n',
  },
  {
    why: 'findAndModify is atomic',
    file: 'internal/handler/msg_findandmodify.go',
    from: 'func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (*findAndModifyResult, error) {\n',
    to: 'func (h *Handler) findAndModifyDocument(ctx context.Context, params *common.FindAndModifyParams) (*findAndModifyResult, error) {\n\tatomicWrites.Lock()\n\tdefer atomicWrites.Unlock()\n',
  },
];
/** The lock the two write patches above share. */
const addedFiles = {
  'internal/handler/atomic_writes.go':
    'package handler\n\nimport "sync"\n\n// atomicWrites makes each update and findAndModify read-modify-write whole (added by the app\'s build).\nvar atomicWrites sync.Mutex\n',
};

function makeWritable(target) {
  const stat = fs.statSync(target);
  fs.chmodSync(target, stat.isDirectory() ? 0o755 : 0o644);
  if (stat.isDirectory()) for (const name of fs.readdirSync(target)) makeWritable(path.join(target, name));
}

function patchedFerretDbSource() {
  const go = (...args) => execFileSync('go', args, { cwd: source, encoding: 'utf8' });
  const { Dir: moduleDir, Version: version } = JSON.parse(
    go('mod', 'download', '-json', 'github.com/FerretDB/FerretDB'),
  );
  const copy = path.join(workDir, `FerretDB@${version}`);
  if (fs.existsSync(copy)) makeWritable(copy);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(moduleDir, copy, { recursive: true });
  // Go's module cache is read-only, and so is a plain copy of it.
  makeWritable(copy);
  for (const patch of patches) {
    const file = path.join(copy, patch.file);
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes(patch.from)) {
      throw new Error(
        `FerretDB ${version}: ${patch.file} no longer holds the text patched so that ${patch.why}; review scripts/build-ferretdb.mjs`,
      );
    }
    fs.writeFileSync(file, text.replace(patch.from, patch.to));
  }
  for (const [name, text] of Object.entries(addedFiles)) fs.writeFileSync(path.join(copy, name), text);

  // The launcher's own go.mod stays as published; the build uses a copy that points at the patched module.
  const modFile = path.join(workDir, 'launcher.mod');
  fs.writeFileSync(
    modFile,
    `${fs.readFileSync(path.join(source, 'go.mod'), 'utf8')}\nreplace github.com/FerretDB/FerretDB => ${copy}\n`,
  );
  fs.copyFileSync(path.join(source, 'go.sum'), path.join(workDir, 'launcher.sum'));
  return modFile;
}

console.log('[ferretdb] building the FerretDB launcher (first time takes a minute)...');
fs.mkdirSync(workDir, { recursive: true });
try {
  const modFile = patchedFerretDbSource();
  execFileSync('go', ['build', '-buildvcs=false', '-trimpath', `-modfile=${modFile}`, '-o', binary, '.'], {
    cwd: source,
    stdio: 'inherit',
  });
  console.log(`[ferretdb] built ${path.relative(root, binary)}`);
} catch (error) {
  console.error(`[ferretdb] build failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
