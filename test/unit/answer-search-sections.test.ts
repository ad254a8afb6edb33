import { describe, expect, it } from 'vitest';
import { parseSearch, searchAnswers } from '../../server/autocode/answer-search.js';
import { unitsOf } from '../helpers/units.js';

/** The field's section shorthand (s.47, s47, s.20) as code by search reads it. */

const units = unitsOf([
  'We held a s.47 strategy meeting the same day.',
  'The family waited 47 weeks for a hearing.',
  'S47 done, then an ICPC.',
  'Accommodated under s.20 for two years.',
  'Twenty years and 20 social workers.',
  'a s20 placement broke down',
]);

const found = (query: string) =>
  searchAnswers(units, parseSearch(query)).map((hit) => [
    hit.unit.index,
    hit.segments.filter((segment) => segment.hit).map((segment) => segment.text),
  ]);

describe('section shorthand in code by search', () => {
  it('finds s.47 written either way, and not any answer with the number 47 in it', () => {
    expect(found('s.47')).toEqual([
      [0, ['s.47']],
      [2, ['S47']],
    ]);
    expect(found('s47')).toEqual(found('s.47'));
  });

  it('finds s.20 written either way, and not "20 social workers"', () => {
    expect(found('s.20')).toEqual([
      [3, ['s.20']],
      [5, ['s20']],
    ]);
  });

  it('still finds a plain number as a number', () => {
    expect(found('47').map(([index]) => index)).toEqual([1]);
  });
});
