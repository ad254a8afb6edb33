/** One coder's nominal value for one unit. */
export interface Rating {
  unit: string;
  coder: string;
  value: string;
}

export interface AgreementResult {
  units: number;
  coders: number;
  /** Share of agreeing pairs of values within units, as a percentage (0-100); null with no unit coded twice. */
  percentAgreement: number | null;
  /** Krippendorff's alpha for nominal data; null when undefined (no unit coded twice, or no variation at all). */
  krippendorffAlpha: number | null;
  /** Cohen's kappa over the units both coders rated; only with exactly two coders, null when undefined. */
  cohenKappa: number | null;
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** Values by unit, keeping one value per coder per unit (the last given). */
function byUnit(ratings: Rating[]): Map<string, Map<string, string>> {
  const units = new Map<string, Map<string, string>>();
  for (const { unit, coder, value } of ratings) {
    let coders = units.get(unit);
    if (!coders) units.set(unit, (coders = new Map()));
    coders.set(coder, value);
  }
  return units;
}

export function agreement(ratings: Rating[]): AgreementResult {
  const units = byUnit(ratings);
  const coders = new Set(ratings.map((rating) => rating.coder));
  return {
    units: units.size,
    coders: coders.size,
    percentAgreement: percentAgreement(units),
    krippendorffAlpha: krippendorffAlphaNominal(units),
    cohenKappa: coders.size === 2 ? cohenKappa(units, [...coders] as [string, string]) : null,
  };
}

/** Agreeing pairs over all pairs, within each unit with two or more values. */
function percentAgreement(units: Map<string, Map<string, string>>): number | null {
  let pairs = 0;
  let agreeing = 0;
  for (const coders of units.values()) {
    const values = [...coders.values()];
    for (let i = 0; i < values.length; i++) {
      for (let j = i + 1; j < values.length; j++) {
        pairs++;
        if (values[i] === values[j]) agreeing++;
      }
    }
  }
  return pairs === 0 ? null : round((100 * agreeing) / pairs);
}

/**
 * Krippendorff's alpha, nominal metric, any number of coders, missing values allowed: built from
 * the coincidence matrix of pairable values (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability").
 */
function krippendorffAlphaNominal(units: Map<string, Map<string, string>>): number | null {
  const coincidences = new Map<string, Map<string, number>>();
  const add = (a: string, b: string, weight: number) => {
    let row = coincidences.get(a);
    if (!row) coincidences.set(a, (row = new Map()));
    row.set(b, (row.get(b) ?? 0) + weight);
  };
  for (const coders of units.values()) {
    const values = [...coders.values()];
    const m = values.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) add(values[i]!, values[j]!, 1 / (m - 1));
  }
  const marginals = new Map<string, number>();
  let total = 0;
  let observedAgreement = 0;
  for (const [value, row] of coincidences) {
    const sum = [...row.values()].reduce((a, b) => a + b, 0);
    marginals.set(value, sum);
    total += sum;
    observedAgreement += row.get(value) ?? 0;
  }
  if (total <= 1) return null;
  const observedDisagreement = total - observedAgreement;
  let expectedDisagreement = 0;
  for (const [a, na] of marginals) for (const [b, nb] of marginals) if (a !== b) expectedDisagreement += na * nb;
  expectedDisagreement /= total - 1;
  // Every value the same: agreement cannot be told apart from chance.
  if (expectedDisagreement === 0) return null;
  return round(1 - observedDisagreement / expectedDisagreement);
}

/** Cohen's kappa on the units both coders rated. */
function cohenKappa(units: Map<string, Map<string, string>>, [first, second]: [string, string]): number | null {
  const pairs: [string, string][] = [];
  for (const coders of units.values()) {
    const a = coders.get(first);
    const b = coders.get(second);
    if (a !== undefined && b !== undefined) pairs.push([a, b]);
  }
  if (pairs.length === 0) return null;
  const n = pairs.length;
  const observed = pairs.filter(([a, b]) => a === b).length / n;
  const firstCounts = new Map<string, number>();
  const secondCounts = new Map<string, number>();
  for (const [a, b] of pairs) {
    firstCounts.set(a, (firstCounts.get(a) ?? 0) + 1);
    secondCounts.set(b, (secondCounts.get(b) ?? 0) + 1);
  }
  let expected = 0;
  for (const [value, count] of firstCounts) expected += (count / n) * ((secondCounts.get(value) ?? 0) / n);
  if (expected === 1) return null;
  return round((observed - expected) / (1 - expected));
}
