import { codeFieldsOf, loadCodebookFiles } from '../codebooks/files.js';
import { codebookToQdc } from '../reports/qdc.js';
import { commandArgs, UsageError } from './args.js';

const usage = 'codebook --scheme <codebook-id> --format qdc';

/** `codebook --scheme <id> --format qdc`: the codebook file from coding-schemes/ as REFI-QDA XML. */
export function codebookCommand(args: string[]): string {
  const options = commandArgs(args, { scheme: { type: 'string' }, format: { type: 'string', default: 'qdc' } }, usage);
  if (!options.scheme) throw new UsageError(`Usage: ${usage}`);
  if (options.format !== 'qdc') throw new UsageError(`Unknown format "${options.format}": the only format is qdc`);
  const books = loadCodebookFiles();
  const book = books.get(options.scheme);
  if (!book) throw new UsageError(`Unknown codebook "${options.scheme}". Known: ${[...books.keys()].join(', ')}`);
  return codebookToQdc(book.id, book.codes.map(codeFieldsOf));
}
