import { describe, expect, it } from 'vitest';
import { top1Change } from '../../scripts/autocode/verdict.js';

/** `npm run eval:autocode` exits 1 only if learning lowers top-1 on average on a set. */
describe('the learning verdict of eval:autocode', () => {
  it('is no change when every point of the curve has top-1 where cold start had it', () => {
    const tally = (top1: number) => ({ answers: 10, top1, top3: 10 });
    expect(top1Change(tally(7), [tally(7), tally(7), tally(7)])).toBe(0);
    for (let answers = 1; answers <= 60; answers++)
      for (let top1 = 0; top1 <= answers; top1++) {
        const same = { answers, top1, top3: answers };
        expect(top1Change(same, [same, same, same])).toBe(0);
        expect(top1Change(same, [same, same, same, same])).toBe(0);
      }
  });

  it('is a fall when learning does lower top-1, and a rise when it raises it', () => {
    const tally = (top1: number) => ({ answers: 10, top1, top3: 10 });
    expect(top1Change(tally(7), [tally(7), tally(7), tally(6)])).toBeCloseTo(-10 / 3);
    expect(top1Change(tally(7), [tally(8), tally(7), tally(7)])).toBeCloseTo(10 / 3);
  });
});
