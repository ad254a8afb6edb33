import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/config.js';
import { agreement, type Rating } from '../../server/reports/agreement.js';

/** Rows of values, one row per coder, one column per unit; null where the coder gave no value. */
function table(rows: Record<string, (string | number | null)[]>): Rating[] {
  const ratings: Rating[] = [];
  for (const [coder, values] of Object.entries(rows)) {
    values.forEach((value, index) => {
      if (value !== null) ratings.push({ unit: `u${index + 1}`, coder, value: String(value) });
    });
  }
  return ratings;
}

describe('agreement statistics against published worked examples', () => {
  it('Krippendorff (2011) example C: nominal data, four coders, missing values: alpha = 0.743', () => {
    const result = agreement(
      table({
        A: [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
        B: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
        C: [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
        D: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
      }),
    );
    expect(result.krippendorffAlpha).toBeCloseTo(0.743, 3);
    expect(result.units).toBe(12);
    expect(result.coders).toBe(4);
    expect(result.cohenKappa).toBeNull();
  });

  it('Krippendorff (2011) example A: binary data, two coders: alpha = 0.095', () => {
    const result = agreement(table({ A: [0, 1, 0, 0, 0, 0, 0, 0, 1, 0], B: [1, 1, 1, 0, 0, 1, 0, 0, 0, 0] }));
    expect(result.krippendorffAlpha).toBeCloseTo(0.095, 3);
    expect(result.percentAgreement).toBe(60);
  });

  it("Cohen's kappa: 50 items, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no gives 0.4", () => {
    const first = [...Array(25).fill('yes'), ...Array(25).fill('no')];
    const second = [
      ...Array(20).fill('yes'),
      ...Array(5).fill('no'),
      ...Array(10).fill('yes'),
      ...Array(15).fill('no'),
    ];
    const result = agreement(table({ first, second }));
    expect(result.cohenKappa).toBeCloseTo(0.4, 4);
    expect(result.percentAgreement).toBe(70);
  });
});

describe('agreement edge cases', () => {
  it('perfect agreement gives 100%, alpha 1 and kappa 1', () => {
    const result = agreement(table({ a: ['x', 'y', 'x', 'z'], b: ['x', 'y', 'x', 'z'] }));
    expect(result).toEqual({ units: 4, coders: 2, percentAgreement: 100, krippendorffAlpha: 1, cohenKappa: 1 });
  });

  it('one category only: agreement is perfect but alpha and kappa are undefined (null)', () => {
    const result = agreement(table({ a: ['x', 'x', 'x'], b: ['x', 'x', 'x'] }));
    expect(result).toEqual({ units: 3, coders: 2, percentAgreement: 100, krippendorffAlpha: null, cohenKappa: null });
  });

  it('a unit with a single coder counts as a unit but adds no pair', () => {
    const withLoner = agreement([...table({ a: ['x', 'y'], b: ['x', 'x'] }), { unit: 'solo', coder: 'a', value: 'y' }]);
    const without = agreement(table({ a: ['x', 'y'], b: ['x', 'x'] }));
    expect(withLoner.units).toBe(3);
    expect(withLoner.percentAgreement).toBe(without.percentAgreement);
    expect(withLoner.krippendorffAlpha).toBe(without.krippendorffAlpha);
  });

  it('no unit coded twice: nothing can be computed', () => {
    expect(agreement([{ unit: 'u', coder: 'a', value: 'x' }])).toEqual({
      units: 1,
      coders: 1,
      percentAgreement: null,
      krippendorffAlpha: null,
      cohenKappa: null,
    });
  });
});

describe('npm run cli -- agreement', () => {
  it('reads JSON lines and prints one JSON object', () => {
    const lines = table({ A: [0, 1, 0, 0, 0, 0, 0, 0, 1, 0], B: [1, 1, 1, 0, 0, 1, 0, 0, 0, 0] }).map((rating) =>
      JSON.stringify(rating),
    );
    const result = spawnSync('npm', ['run', '--silent', 'cli', '--', 'agreement'], {
      cwd: projectRoot,
      input: lines.join('\n'),
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      units: 10,
      coders: 2,
      percentAgreement: 60,
      krippendorffAlpha: 0.0952,
      cohenKappa: 0.0909,
    });
  }, 30_000);

  it('names a bad line and refuses to guess', () => {
    const result = spawnSync('npm', ['run', '--silent', 'cli', '--', 'agreement'], {
      cwd: projectRoot,
      input: '{"unit":"a","coder":"x","value":"1"}\n{"unit":"a"}\n',
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('line 2:');
    expect(result.stdout).toBe('');
  }, 30_000);
});
