import { createInterface } from 'node:readline';
import { z } from 'zod';
import { UsageError } from '../autocode/cli.js';
import { loadCodebookFiles } from '../codebooks/files.js';
import { agreement, type Rating } from './agreement.js';
import { codebookToQdc } from './qdc.js';

const ratingLine = z
  .object({
    unit: z.union([z.string(), z.number()]).transform(String),
    coder: z.union([z.string(), z.number()]).transform(String),
    value: z.union([z.string(), z.number(), z.boolean()]).transform(String),
  })
  .strict();

/**
 * `agreement`: JSON lines {"unit","coder","value"} on stdin, one JSON object out. A bad line stops
 * the run (a statistic computed without it would be wrong), naming the line.
 */
export async function agreementCommand(input: NodeJS.ReadableStream = process.stdin): Promise<object> {
  const ratings: Rating[] = [];
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new Error(`line ${lineNumber}: not valid JSON (${(error as Error).message})`);
    }
    const rating = ratingLine.safeParse(parsed);
    if (!rating.success) throw new Error(`line ${lineNumber}: ${rating.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ')}`);
    ratings.push(rating.data);
  }
  return agreement(ratings);
}

/** `codebook --scheme <id> --format qdc`: the codebook file from coding-schemes/ as REFI-QDA XML. */
export function codebookCommand(args: string[]): string {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) flags.set(args[i]!, args[i + 1] ?? '');
  const scheme = flags.get('--scheme');
  const format = flags.get('--format') ?? 'qdc';
  if (!scheme) throw new UsageError('Usage: codebook --scheme <codebook-id> --format qdc');
  if (format !== 'qdc') throw new UsageError(`Unknown format "${format}": the only format is qdc`);
  const books = loadCodebookFiles();
  const book = books.get(scheme);
  if (!book) throw new UsageError(`Unknown codebook "${scheme}". Known: ${[...books.keys()].join(', ')}`);
  return codebookToQdc(
    book.id,
    book.codes.map((code) => ({ codeId: code.id, name: code.name, definition: code.definition, include: code.include, exclude: code.exclude, colour: code.colour, parentId: code.parent })),
  );
}
