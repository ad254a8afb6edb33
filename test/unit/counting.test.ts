import { describe, expect, it } from 'vitest';
import type { Codebook } from '../../server/codebooks/service.js';
import { countedCodings } from '../../server/coding/counting.js';
import { FINAL_CODER, NO_CODE, type QuestionSettings } from '../../server/coding/model.js';
import { QuestionIndex, type Unit } from '../../server/coding/read-model.js';

const unit = (index: number): Unit => ({
  responseId: `r${index}`,
  text: `answer ${index}`,
  quoteConsent: true,
  index,
});
const code = (codeId: string, extra: object = {}) => ({
  _id: `book/${codeId}`,
  codebookId: 'book',
  codeId,
  name: codeId,
  definition: '',
  include: '',
  exclude: '',
  colour: '#000000',
  order: 0,
  terms: [],
  retired: false,
  ...extra,
});
const codebook: Codebook = {
  id: 'book',
  name: 'Book',
  description: '',
  codes: [code('x'), code('y'), code('old', { retired: true, mergedInto: 'x' })],
};
const settings = (reportCoder?: string): QuestionSettings => ({ _id: 's:q', independent: true, reportCoder });

function indexOf(count: number, codings: [number, string, string][]) {
  const index = new QuestionIndex(
    1,
    Array.from({ length: count }, (_, i) => unit(i)),
  );
  for (const [at, coderId, codeId] of codings) index.apply({ responseId: `r${at}`, coderId, codeId, present: true });
  return index;
}
const count = (counting: ReturnType<typeof countedCodings>, index: QuestionIndex, codeId: string) =>
  index.units.filter((u) => counting.codesOf(u)?.has(codeId)).length;

describe('the counting rule', () => {
  it('counts nothing, and says so, when there are no answers', () => {
    const counting = countedCodings({ index: indexOf(0, []), codebook, settings: settings() });
    expect(counting.coverage).toEqual({ answers: 0, coded: 0, reconciled: 0, provisional: false });
  });

  it('counts every coded answer when two coders share the answers out', () => {
    const index = indexOf(4, [
      [0, 'a', 'x'],
      [1, 'a', 'x'],
      [2, 'b', 'x'],
      [3, 'b', 'x'],
    ]);
    const counting = countedCodings({ index, codebook, settings: settings() });
    expect(counting.coverage).toMatchObject({ coded: 4, provisional: false });
    expect(count(counting, index, 'x')).toBe(4);
  });

  it('prefers the final coding, then the report coder, then the other coder', () => {
    const index = indexOf(3, [
      [0, 'a', 'x'],
      [0, 'b', 'y'],
      [1, 'a', 'x'],
      [1, 'b', 'y'],
      [2, 'b', 'y'],
    ]);
    index.apply({ responseId: 'r0', coderId: FINAL_CODER, codeId: 'y', present: true });
    const counting = countedCodings({ index, codebook, settings: settings('a') });
    expect([0, 1, 2].map((i) => [...counting.codesOf(index.units[i]!)!])).toEqual([['y'], ['x'], ['y']]);
    expect([0, 1, 2].map((i) => counting.sourceOf(index.units[i]!))).toEqual(['final', 'report coder', 'other coder']);
    expect(counting.coverage).toMatchObject({ coded: 3, reconciled: 1 });
  });

  it('counts "no code applies" and an empty final coding as coded answers with no theme', () => {
    const index = indexOf(3, [
      [0, 'a', NO_CODE],
      [1, 'a', 'x'],
    ]);
    index.apply({ responseId: 'r1', coderId: FINAL_CODER, codeId: 'x', present: false });
    const counting = countedCodings({ index, codebook, settings: settings() });
    expect(counting.coverage).toEqual({ answers: 3, coded: 2, reconciled: 1, provisional: true });
    expect(count(counting, index, 'x')).toBe(0);
  });

  it('counts a merged-away code as its survivor', () => {
    const index = indexOf(1, [[0, 'a', 'old']]);
    const counting = countedCodings({ index, codebook, settings: settings() });
    expect([...counting.codesOf(index.units[0]!)!]).toEqual(['x']);
  });
});
