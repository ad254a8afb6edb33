import { describe, expect, it } from 'vitest';
import { parseSearch, searchAnswers } from '../../server/autocode/answer-search.js';
import { unitsOf } from '../helpers/units.js';

/** How code by search reads what an analyst types. */

const units = unitsOf([
  'Legal aid cuts: parents meet their solicitor on the day.',
  'She said nobody was afraid to ask for help.',
  'Mae’r oedi yn y llys yn ddrwg i’r teuluoedd.',
  "Mae'r llys yn araf i'r plant.",
  'Court delays, court delays, court delays.',
]);

const found = (query: string) =>
  searchAnswers(units, parseSearch(query)).map((hit) => [
    hit.unit.index,
    hit.segments.filter((segment) => segment.hit).map((segment) => segment.text),
  ]);

describe('searching answers', () => {
  it('finds a phrase as whole words only', () => {
    expect(found('"aid"')).toEqual([[0, ['aid']]]);
    expect(found('"legal aid"')).toEqual([[0, ['Legal aid']]]);
  });

  it('reads a quote left open as a phrase to the end, not as nothing', () => {
    expect(parseSearch('court "legal aid')).toEqual({ words: ['court'], phrases: ['legal aid'] });
    expect(found('"legal aid')).toEqual([[0, ['Legal aid']]]);
  });

  it('takes curly quotes, as the page’s own hint shows them, for a phrase', () => {
    expect(parseSearch('“legal aid” cuts')).toEqual({ words: ['cut'], phrases: ['legal aid'] });
    expect(found('“parents meet”')).toEqual([[0, ['parents meet']]]);
  });

  it('reads straight and curly apostrophes alike, in words and in phrases (Welsh i’r, Mae’r)', () => {
    // "i’r" on its own is a Welsh function word (as "i" and "y" are), searched for as a phrase.
    expect(parseSearch("i'r").words).toEqual([]);
    expect(found('"i\'r"').map(([index]) => index)).toEqual([2, 3]);
    expect(found('"i’r"').map(([index]) => index)).toEqual([2, 3]);
    expect(found('"i’r teuluoedd"')).toEqual([[2, ['i’r teuluoedd']]]);
    expect(found('"mae\'r llys"')).toEqual([[3, ["Mae'r llys"]]]);
    expect(found('"yn y llys"')).toEqual([[2, ['yn y llys']]]);
  });

  it('marks every occurrence, and takes regular-expression characters literally', () => {
    expect(found('"court delays"')).toEqual([[4, ['Court delays', 'court delays', 'court delays']]]);
    expect(found('"(.*"')).toEqual([]);
    expect(found('".*"')).toEqual([]);
    expect(parseSearch('""')).toEqual({ words: [], phrases: [] });
  });
});

describe('Welsh function words', () => {
  const mixed = unitsOf([
    'Mae’r neiniau a’r teidiau yn camu yn ôl.',
    'Mae’r bysiau yn hwyr.',
    'DA was never discussed at the ICPC.',
  ]);
  const hits = (query: string) => searchAnswers(mixed, parseSearch(query)).map((hit) => hit.unit.index);

  it('are not searched for, as English stop words are not', () => {
    expect(parseSearch('mae yn bysiau').words).toEqual(['bysiau']);
    expect(hits('mae yn bysiau')).toEqual([1]);
  });

  it('leave English shorthand that is spelt like one searchable', () => {
    expect(hits('DA')).toEqual([2]);
  });

  it('leave English words and shorthand spelt like one searchable: FE (further education), Yr 10', () => {
    const english = unitsOf(['Care leavers at FE college get no support.', 'A Yr 10 pupil was excluded.']);
    expect(searchAnswers(english, parseSearch('FE')).map((hit) => hit.unit.index)).toEqual([0]);
    expect(searchAnswers(english, parseSearch('yr')).map((hit) => hit.unit.index)).toEqual([1]);
  });
});
