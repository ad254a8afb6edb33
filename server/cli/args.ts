import { parseArgs } from 'node:util';

/** A command used wrongly: the message says how to use it, and the process exits with 2. */
export class UsageError extends Error {}

type Options = Record<string, { type: 'string' | 'boolean'; default?: string; multiple?: boolean }>;

/** A string, a boolean, or every value of an option given more than once (`multiple: true`). */
type OptionValue<O> = O extends { multiple: true } ? string[] : O extends { type: 'boolean' } ? boolean : string;

/**
 * The one argument parser for every command (Node's util.parseArgs): `--name value` options only,
 * anything unknown or missing its value refused with the command's usage line.
 */
export function commandArgs<O extends Options>(
  args: string[],
  options: O,
  usage: string,
): { [K in keyof O]?: OptionValue<O[K]> } {
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    return values as { [K in keyof O]?: OptionValue<O[K]> };
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}. Usage: ${usage}`);
  }
}

export function requireOption(value: string | undefined, name: string, usage: string): string {
  if (!value) throw new UsageError(`--${name} is required. Usage: ${usage}`);
  return value;
}
