// Builds the FerretDB launcher (tools/ferretdb) into .bin/ferretdb with Go from the module proxy.
// Runs after `npm install`; without Go it explains and leaves the choice of database to the user.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const binary = path.join(root, '.bin', 'ferretdb');
const source = path.join(root, 'tools', 'ferretdb');
const force = process.argv.includes('--force');

const newestSource = Math.max(...fs.readdirSync(source).map((name) => fs.statSync(path.join(source, name)).mtimeMs));
if (!force && fs.existsSync(binary) && fs.statSync(binary).mtimeMs >= newestSource) {
  process.exit(0);
}
if (spawnSync('go', ['version']).status !== 0) {
  console.warn('[ferretdb] Go is not installed: the embedded FerretDB was not built.');
  console.warn('[ferretdb] Set MONGODB_URI, or npm start will use mongod from mongodb-memory-server.');
  process.exit(0);
}
console.log('[ferretdb] building the FerretDB launcher (first time takes a minute)...');
fs.mkdirSync(path.dirname(binary), { recursive: true });
try {
  execFileSync('go', ['build', '-buildvcs=false', '-trimpath', '-o', binary, '.'], { cwd: source, stdio: 'inherit' });
  console.log(`[ferretdb] built ${path.relative(root, binary)}`);
} catch {
  console.error('[ferretdb] build failed: see the Go output above.');
  process.exit(1);
}
