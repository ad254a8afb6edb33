import fs from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { loadCodebookFiles } from '../codebooks/files.js';
import { autoCoderForFile } from './codebook.js';

export class UsageError extends Error {}

const answerLine = z.object({ id: z.union([z.string(), z.number()]), text: z.string() }).strict();
const trainingLine = z.object({ text: z.string(), codes: z.array(z.string()) }).strict();

function parseFlags(args: string[]): { scheme: string; train?: string; top: number } {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!;
    if (!['--scheme', '--train', '--top'].includes(name)) throw new UsageError(`Unknown option "${name}". Usage: suggest --scheme <codebook-id> [--train <file>] [--top <n>]`);
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
    flags.set(name, value);
  }
  const scheme = flags.get('--scheme');
  if (!scheme) throw new UsageError('--scheme <codebook-id> is required');
  const top = Number(flags.get('--top') ?? 3);
  if (!Number.isInteger(top) || top < 1 || top > 50) throw new UsageError('--top must be a whole number from 1 to 50');
  return { scheme, train: flags.get('--train'), top };
}

function describe(error: unknown): string {
  if (error instanceof z.ZodError) return error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ');
  if (error instanceof SyntaxError) return `not valid JSON (${error.message})`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * `suggest --scheme <id> [--train <file>] [--top <n>]`: JSON lines {"id","text"} in, one line of
 * suggestions out per answer. A bad line is reported on stderr with its number and skipped.
 * Returns how many lines were refused.
 */
export async function suggestCommand(args: string[], input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout, errors: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { scheme, train, top } = parseFlags(args);
  const books = loadCodebookFiles();
  const book = books.get(scheme);
  if (!book) throw new UsageError(`Unknown codebook "${scheme}". Known: ${[...books.keys()].join(', ')}`);
  const coder = autoCoderForFile(book);
  const known = new Set(book.codes.map((code) => code.id));
  let refused = 0;

  if (train) {
    if (!fs.existsSync(train)) throw new UsageError(`Training file not found: ${train}`);
    const lines = fs.readFileSync(train, 'utf8').split(/\r?\n/);
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      try {
        const example = trainingLine.parse(JSON.parse(line));
        const unknown = example.codes.filter((code) => !known.has(code));
        if (unknown.length > 0) throw new Error(`unknown code ${unknown.map((code) => `"${code}"`).join(', ')} for ${scheme}`);
        coder.learn(`train:${index}`, example.text, example.codes);
      } catch (error) {
        refused++;
        errors.write(`${train}: line ${index + 1}: ${describe(error)}\n`);
      }
    });
  }

  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (!line.trim()) continue;
    try {
      const answer = answerLine.parse(JSON.parse(line));
      const suggestions = coder.suggest(answer.text, top).map(({ codeId, score, because }) => ({ code: codeId, score, because }));
      output.write(`${JSON.stringify({ id: answer.id, suggestions })}\n`);
    } catch (error) {
      refused++;
      errors.write(`line ${lineNumber}: ${describe(error)}\n`);
    }
  }
  return refused;
}
