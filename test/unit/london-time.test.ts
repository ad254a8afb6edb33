import { describe, expect, it } from 'vitest';
import { londonDay, londonDayEnd, londonDayStart } from '../../server/surveys/london-time.js';

describe('survey dates are London days', () => {
  it('opens and closes at midnight in London, in winter (GMT) and in summer (BST)', () => {
    expect(londonDayStart('2026-01-15').toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(londonDayEnd('2026-01-15').toISOString()).toBe('2026-01-15T23:59:59.999Z');
    expect(londonDayStart('2026-07-01').toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(londonDayEnd('2026-07-01').toISOString()).toBe('2026-07-01T22:59:59.999Z');
    // The days the clocks change.
    expect(londonDayStart('2026-03-29').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(londonDayEnd('2026-03-29').toISOString()).toBe('2026-03-29T22:59:59.999Z');
    expect(londonDayStart('2026-10-25').toISOString()).toBe('2026-10-24T23:00:00.000Z');
    expect(londonDay(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
  });
});
