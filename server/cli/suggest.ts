import fs from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { autoCoderForFile } from '../autocode/codebook.js';
import { loadCodebookFiles } from '../codebooks/files.js';
import { commandArgs, UsageError } from './args.js';
import { describeLineError } from './lines.js';

const usage = 'suggest --scheme <codebook-id> [--train <file>] [--top <n>]';
/**
 * A numeric id beyond 2^53 cannot be read exactly (9007199254740993 reads as ...992), so it would
 * come back as another answer's id: such a line is refused, and the id can be sent as a string.
 */
const numericId = z
  .number()
  .refine(
    (id) => Math.abs(id) <= Number.MAX_SAFE_INTEGER,
    'a number this large cannot be kept exactly: send it as a string',
  );
const answerLine = z.object({ id: z.union([z.string(), numericId]), text: z.string() }).strict();
const trainingLine = z.object({ text: z.string(), codes: z.array(z.string()) }).strict();

/**
 * `suggest --scheme <id> [--train <file>] [--top <n>]`: JSON lines {"id","text"} in, one line of
 * suggestions out per answer. A bad line is reported on stderr with its number and skipped.
 * Returns how many lines were refused.
 */
export async function suggestCommand(
  args: string[],
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
  errors: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const options = commandArgs(
    args,
    { scheme: { type: 'string' }, train: { type: 'string' }, top: { type: 'string', default: '3' } },
    usage,
  );
  if (!options.scheme) throw new UsageError('--scheme <codebook-id> is required');
  const top = Number(options.top);
  if (!Number.isInteger(top) || top < 1 || top > 50) throw new UsageError('--top must be a whole number from 1 to 50');
  const books = loadCodebookFiles();
  const book = books.get(options.scheme);
  if (!book) throw new UsageError(`Unknown codebook "${options.scheme}". Known: ${[...books.keys()].join(', ')}`);
  const coder = autoCoderForFile(book);
  const known = new Set(book.codes.map((code) => code.id));
  let refused = 0;

  const { train } = options;
  if (train) {
    if (!fs.existsSync(train)) throw new UsageError(`Training file not found: ${train}`);
    fs.readFileSync(train, 'utf8')
      .split(/\r?\n/)
      .forEach((line, index) => {
        if (!line.trim()) return;
        try {
          const example = trainingLine.parse(JSON.parse(line));
          const unknown = example.codes.filter((code) => !known.has(code));
          if (unknown.length > 0)
            throw new Error(`unknown code ${unknown.map((code) => `"${code}"`).join(', ')} for ${book.id}`);
          coder.learn(`train:${index}`, example.text, example.codes);
        } catch (error) {
          refused++;
          errors.write(`${train}: line ${index + 1}: ${describeLineError(error)}\n`);
        }
      });
  }

  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (!line.trim()) continue;
    try {
      const answer = answerLine.parse(JSON.parse(line));
      const suggestions = coder
        .suggest(answer.text, top)
        .map(({ codeId, score, because }) => ({ code: codeId, score, because }));
      output.write(`${JSON.stringify({ id: answer.id, suggestions })}\n`);
    } catch (error) {
      refused++;
      errors.write(`line ${lineNumber}: ${describeLineError(error)}\n`);
    }
  }
  return refused;
}
