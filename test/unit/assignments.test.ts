import { describe, expect, it } from 'vitest';
import { assignedAnswers } from '../../server/coding/assignments.js';
import type { AssignmentRule } from '../../server/coding/model.js';
import type { Unit } from '../../server/coding/question-index.js';

const units = (count: number): Unit[] =>
  Array.from({ length: count }, (_, index) => ({
    responseId: `r${index}`,
    text: '',
    quoteConsent: true,
    index,
  }));
const share = (coders: string[], overlap: number): AssignmentRule => ({
  id: 'x',
  coders,
  scope: {},
  split: 'share',
  overlap,
});
const sizes = (assigned: Map<string, Set<string>>) => Object.fromEntries([...assigned].map(([c, s]) => [c, s.size]));
const shared = (assigned: Map<string, Set<string>>, a: string, b: string) =>
  [...assigned.get(a)!].filter((id) => assigned.get(b)!.has(id)).length;

describe('sharing answers out with an overlap', () => {
  it('gives two coders equal shares at 50% overlap, not all the overlap to one', () => {
    const assigned = assignedAnswers(units(10), [share(['ana', 'ben'], 50)]);
    expect(sizes(assigned)).toEqual({ ana: 8, ben: 7 });
    expect(shared(assigned, 'ana', 'ben')).toBe(5);
  });

  it('gives every pair of three coders a sample, and each coder the same load', () => {
    const assigned = assignedAnswers(units(30), [share(['ana', 'ben', 'cat'], 20)]);
    expect(sizes(assigned)).toEqual({ ana: 12, ben: 12, cat: 12 });
    expect([shared(assigned, 'ana', 'ben'), shared(assigned, 'ben', 'cat'), shared(assigned, 'ana', 'cat')]).toEqual([
      2, 2, 2,
    ]);
    const nine = assignedAnswers(units(9), [share(['ana', 'ben', 'cat'], 34)]);
    expect(Object.values(sizes(nine)).every((size) => size === 4)).toBe(true);
  });

  it('covers every answer exactly once without overlap, and twice at 100%', () => {
    const none = assignedAnswers(units(7), [share(['ana', 'ben'], 0)]);
    expect(sizes(none)).toEqual({ ana: 4, ben: 3 });
    expect(shared(none, 'ana', 'ben')).toBe(0);
    const all = assignedAnswers(units(7), [share(['ana', 'ben'], 100)]);
    expect(sizes(all)).toEqual({ ana: 7, ben: 7 });
  });

  it('keeps earlier answers with their coders when more arrive', () => {
    const before = assignedAnswers(units(20), [share(['ana', 'ben', 'cat'], 20)]);
    const after = assignedAnswers(units(35), [share(['ana', 'ben', 'cat'], 20)]);
    for (const coder of ['ana', 'ben', 'cat'])
      for (const id of before.get(coder)!) expect(after.get(coder)!.has(id), `${coder} ${id}`).toBe(true);
  });
});
