import type { CodingTarget } from '../../coding/target.js';
import type { Output } from '../output.js';
import { coOccurrence } from '../themes.js';
import { counting } from './themes.js';

/** How often each pair of codes is on the same coded answer. */
export function coOccurrenceOutput(target: CodingTarget): Output {
  const result = coOccurrence(target);
  return {
    filename: `${target.survey.id}-${target.question.id}-cooccurrence`,
    view: 'reports/cooccurrence',
    locals: () => ({ target, result, counting }),
    table: () => ({
      header: ['code', ...result.codes.map((code) => code.codeId)],
      rows: result.codes.map((code, index) => [code.codeId, ...result.counts[index]!]),
    }),
    json: () => ({
      base: result.base,
      coverage: result.coverage,
      codes: result.codes.map((code) => code.codeId),
      counts: result.counts,
    }),
  };
}
