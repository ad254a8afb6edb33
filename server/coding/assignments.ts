import type { AssignmentRule } from './model.js';
import type { QuestionIndex, Unit } from './question-index.js';

/** coderId → the answers (response ids) assigned to them. */
export type Assignments = Map<string, Set<string>>;

function inScope(unit: Unit, scope: AssignmentRule['scope']): boolean {
  const number = unit.index + 1;
  if (scope.group && unit.group !== scope.group) return false;
  if (scope.country && unit.country !== scope.country) return false;
  if (scope.from !== undefined && number < scope.from) return false;
  if (scope.to !== undefined && number > scope.to) return false;
  return true;
}

/**
 * Deals each rule's answers out in submission order, so an answer keeps its coders as new answers
 * arrive. Under `share`, the overlap answers (spread evenly: every 1/overlap-th answer) go to a
 * pair of coders and the rest to one coder, each dealt in turn; the pairs rotate through every
 * pair of coders, so each coder gets the same share and every pair has a sample for agreement.
 */
export function assignedAnswers(units: readonly Unit[], rules: readonly AssignmentRule[]): Assignments {
  const assigned: Assignments = new Map();
  const give = (coderId: string, responseId: string) => {
    let mine = assigned.get(coderId);
    if (!mine) assigned.set(coderId, (mine = new Set()));
    mine.add(responseId);
  };
  for (const rule of rules) {
    const coders = rule.coders;
    const n = coders.length;
    if (n === 0) continue;
    let inScopeCount = 0;
    let single = 0;
    let paired = 0;
    for (const unit of units) {
      if (!inScope(unit, rule.scope)) continue;
      const k = inScopeCount++;
      if (rule.split === 'each') {
        for (const coder of coders) give(coder, unit.responseId);
        continue;
      }
      const overlapHere = n > 1 && Math.floor(((k + 1) * rule.overlap) / 100) > Math.floor((k * rule.overlap) / 100);
      if (!overlapHere) {
        give(coders[single++ % n]!, unit.responseId);
        continue;
      }
      // Pair m: first coder m mod n, second one to n-1 places on, moving on each time round.
      const m = paired++;
      const first = m % n;
      const second = (first + 1 + (Math.floor(m / n) % (n - 1))) % n;
      give(coders[first]!, unit.responseId);
      give(coders[second]!, unit.responseId);
    }
  }
  return assigned;
}

const cache = new WeakMap<QuestionIndex, { key: string; assignments: Assignments }>();

/** The assignments for an index as it stands, worked out once per set of answers and rules. */
export function assignmentsFor(index: QuestionIndex, rules: readonly AssignmentRule[] = []): Assignments {
  const key = `${index.units.length}:${JSON.stringify(rules)}`;
  const cached = cache.get(index);
  if (cached?.key === key) return cached.assignments;
  const assignments = assignedAnswers(index.units, rules);
  cache.set(index, { key, assignments });
  return assignments;
}

export interface CoderProgress {
  coderId: string;
  /** Answers assigned to the coder (0 when they code without an assignment). */
  assigned: number;
  /** Of those, how many they have coded ("no code applies" included). */
  codedOfAssigned: number;
  /** Every answer they have coded, assigned or not. */
  coded: number;
}

export interface QuestionProgress {
  answers: number;
  /** Answers at least one coder has coded. */
  codedByAnyone: number;
  /** Answers coded by two coders or more: the base of the agreement figures. */
  codedByTwo: number;
  /** Answers no rule assigns to anyone. */
  unassigned: number;
  coders: CoderProgress[];
}

export function questionProgress(index: QuestionIndex, assignments: Assignments): QuestionProgress {
  let codedByAnyone = 0;
  let codedByTwo = 0;
  const anyAssigned = new Set<string>();
  for (const set of assignments.values()) for (const id of set) anyAssigned.add(id);
  for (const unit of index.units) {
    const coders = index.codersOf(unit.responseId).length;
    if (coders > 0) codedByAnyone++;
    if (coders > 1) codedByTwo++;
  }
  const coderIds = [...new Set([...assignments.keys(), ...index.allCoders()])];
  const coders = coderIds.map((coderId) => {
    const mine = assignments.get(coderId) ?? new Set<string>();
    let codedOfAssigned = 0;
    for (const id of mine) if (index.isCodedBy(id, coderId)) codedOfAssigned++;
    return { coderId, assigned: mine.size, codedOfAssigned, coded: index.codedCount(coderId) };
  });
  return {
    answers: index.units.length,
    codedByAnyone,
    codedByTwo,
    unassigned: assignments.size === 0 ? index.units.length : index.units.length - anyAssigned.size,
    coders,
  };
}

/** My progress on a question: of the answers assigned to me, or of every answer when none are. */
export function myProgress(
  index: QuestionIndex,
  rules: readonly AssignmentRule[] | undefined,
  coderId: string,
): { coded: number; total: number; assigned: boolean } {
  const mine = assignmentsFor(index, rules).get(coderId);
  if (!mine) return { coded: index.codedCount(coderId), total: index.units.length, assigned: false };
  let coded = 0;
  for (const id of mine) if (index.isCodedBy(id, coderId)) coded++;
  return { coded, total: mine.size, assigned: true };
}
