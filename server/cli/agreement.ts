import { createInterface } from 'node:readline';
import { z } from 'zod';
import { agreement, type Rating } from '../reports/agreement.js';
import { describeLineError } from './lines.js';

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
    try {
      ratings.push(ratingLine.parse(JSON.parse(line)));
    } catch (error) {
      throw new Error(`line ${lineNumber}: ${describeLineError(error)}`, { cause: error });
    }
  }
  return agreement(ratings);
}
