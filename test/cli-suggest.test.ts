import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { suggestCommand } from '../server/cli/suggest.js';

/** `cli suggest`: JSON lines {id,text} in, one line {id,suggestions} out per answer. */

async function run(input: string) {
  const output = new PassThrough();
  const errors = new PassThrough();
  let out = '';
  let err = '';
  output.on('data', (chunk: Buffer) => (out += chunk.toString()));
  errors.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const refused = await suggestCommand(['--scheme', 'partnership-barriers'], Readable.from([input]), output, errors);
  return { refused, out, err };
}

describe('cli suggest', () => {
  it('gives back each answer’s id as it was sent, or refuses the line: never a different id', async () => {
    const { refused, out, err } = await run('{"id":9007199254740993,"text":"court delays"}\n{"id":7,"text":"x"}\n');
    const ids = out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => /^\{"id":([^,]*),/.exec(line)?.[1]);
    expect(ids).not.toContain('9007199254740992');
    expect(ids).toContain('7');
    expect(refused).toBe(1);
    expect(err).toMatch(/line 1: id:/);
  });
});
