import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript script, without types
import { sourceHash } from '../../scripts/build.mjs';

const hashOf = sourceHash as (base: string) => string;

describe('whether npm start must rebuild', () => {
  it('goes by the sources content, not their times: an older copied-in change and a deleted file count', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'build-hash-'));
    fs.mkdirSync(path.join(base, 'server', 'http'), { recursive: true });
    const file = path.join(base, 'server', 'http', 'a.ts');
    fs.writeFileSync(file, 'export const a = 1;\n');
    fs.writeFileSync(path.join(base, 'server', 'b.ts'), 'export const b = 2;\n');
    fs.writeFileSync(path.join(base, 'tsconfig.json'), '{}\n');
    const built = hashOf(base);
    expect(hashOf(base)).toBe(built);
    // Changed with an old time, as tar or rsync -a leave it.
    fs.writeFileSync(file, 'export const a = 2;\n');
    fs.utimesSync(file, new Date(0), new Date(0));
    const changed = hashOf(base);
    expect(changed).not.toBe(built);
    fs.rmSync(path.join(base, 'server', 'b.ts'));
    expect(hashOf(base)).not.toBe(changed);
    fs.rmSync(base, { recursive: true });
  });
});
