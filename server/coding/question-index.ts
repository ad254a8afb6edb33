import { FINAL_CODER, NO_CODE, type CodingEvent } from './model.js';

/** One open answer to code. */
export interface Unit {
  responseId: string;
  text: string;
  group?: string;
  country?: string;
  /** The language the respondent answered in: `cy` for Welsh; absent for English. */
  language?: 'cy';
  quoteConsent: boolean;
  /** Position in submission order. */
  index: number;
}

export interface Coding {
  codeId: string;
  start?: number;
  end?: number;
}

export const codingKey = (coding: Coding) =>
  coding.start === undefined ? coding.codeId : `${coding.codeId}@${coding.start}-${coding.end}`;

interface CoderCodings {
  coder: string;
  list: Coding[];
}

/**
 * One copy of each short value many answers share (a role, a country): read from the database,
 * each answer would otherwise bring its own copy of the same string.
 */
const sharedValues = new Map<string, string>();
export function shared(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 64) return value;
  let kept = sharedValues.get(value);
  if (kept === undefined) {
    if (sharedValues.size > 10_000) sharedValues.clear();
    sharedValues.set(value, (kept = value));
  }
  return kept;
}

/** One shared, frozen object per whole-answer code: a large question repeats the same few codes. */
const wholeCodings = new Map<string, Coding>();

function codingOf(codeId: string, start?: number, end?: number): Coding {
  if (start !== undefined) return { codeId, start, end };
  let coding = wholeCodings.get(codeId);
  if (!coding) wholeCodings.set(codeId, (coding = Object.freeze({ codeId })));
  return coding;
}

/** An event as the index applies it: an erased answer's keeps its place without answer, coder or code. */
type AppliedEvent = Pick<CodingEvent, 'start' | 'end' | 'present'> &
  Partial<Pick<CodingEvent, 'responseId' | 'coderId' | 'codeId'>>;

/** Everything the workbench, reconciliation and reports need about one question and codebook. */
export class QuestionIndex {
  readonly byResponse: Map<string, Unit>;
  /**
   * responseId → each coder's codings, in the order first given (as a Map would keep them): small
   * arrays rather than maps of maps, as a large question holds hundreds of thousands of them.
   */
  private readonly codings = new Map<string, CoderCodings[]>();
  /** coderId → how many units they have at least one coding on */
  private readonly codedCounts = new Map<string, number>();

  constructor(
    public version: number,
    readonly units: Unit[],
  ) {
    this.byResponse = new Map(units.map((unit) => [unit.responseId, unit]));
  }

  /** Adds an answer that arrived after the index was built, in its place in submission order. */
  insert(unit: Unit): void {
    if (this.byResponse.has(unit.responseId)) return;
    let low = 0;
    let high = this.units.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.units[middle]!.responseId < unit.responseId) low = middle + 1;
      else high = middle;
    }
    this.units.splice(low, 0, unit);
    for (let i = low; i < this.units.length; i++) this.units[i]!.index = i;
    this.byResponse.set(unit.responseId, unit);
  }

  /** Applies one event of the log; an erased answer's event (no answer) and an unknown answer's are skipped. */
  apply(event: AppliedEvent): void {
    if (event.responseId === undefined || event.coderId === undefined || event.codeId === undefined) return;
    if (!this.byResponse.has(event.responseId)) return;
    let byCoder = this.codings.get(event.responseId);
    if (!byCoder) this.codings.set(event.responseId, (byCoder = []));
    let mine = byCoder.find((entry) => entry.coder === event.coderId);
    if (!mine) byCoder.push((mine = { coder: event.coderId, list: [] }));
    const hadAny = mine.list.length > 0;
    const coding = codingOf(event.codeId, event.start, event.end);
    const key = codingKey(coding);
    const at = mine.list.findIndex((kept) => codingKey(kept) === key);
    if (event.present && at < 0) mine.list.push(coding);
    else if (!event.present && at >= 0) mine.list.splice(at, 1);
    const hasAny = mine.list.length > 0;
    if (hadAny !== hasAny)
      this.codedCounts.set(event.coderId, (this.codedCounts.get(event.coderId) ?? 0) + (hasAny ? 1 : -1));
  }

  private mine(responseId: string, coderId: string): CoderCodings | undefined {
    return this.codings.get(responseId)?.find((entry) => entry.coder === coderId);
  }

  /** A coder's codings of an answer (whole and passages), without a "no code applies" decision. */
  codingsOf(responseId: string, coderId: string): Coding[] {
    return (this.mine(responseId, coderId)?.list ?? []).filter((coding) => coding.codeId !== NO_CODE);
  }

  /** The coder decided that no code of the codebook applies to this answer. */
  decidedNoCode(responseId: string, coderId: string): boolean {
    const list = this.mine(responseId, coderId)?.list ?? [];
    // A code given at the same moment as "no code applies" wins, whichever was stored first, so
    // the answer reads the same in every process and after every rebuild.
    return list.length === 1 && list[0]!.codeId === NO_CODE;
  }

  /** Coders (not the final coding) who have coded this answer: with codes, or "no code applies". */
  codersOf(responseId: string): string[] {
    return (this.codings.get(responseId) ?? [])
      .filter((entry) => entry.coder !== FINAL_CODER && entry.list.length > 0)
      .map((entry) => entry.coder);
  }

  /** Coded by anyone but the final coding, without building the list of coders (called per answer per request). */
  isCodedByAnyone(responseId: string): boolean {
    for (const entry of this.codings.get(responseId) ?? [])
      if (entry.coder !== FINAL_CODER && entry.list.length > 0) return true;
    return false;
  }

  allCoders(): string[] {
    return [...this.codedCounts.entries()]
      .filter(([coder, count]) => coder !== FINAL_CODER && count > 0)
      .map(([coder]) => coder);
  }

  /** Coded by this coder: at least one code, or the decision that none applies. */
  isCodedBy(responseId: string, coderId: string): boolean {
    return (this.mine(responseId, coderId)?.list.length ?? 0) > 0;
  }

  /** An answer is reconciled once the admin has recorded a final coding for it, even an empty one. */
  isReconciled(responseId: string): boolean {
    return this.mine(responseId, FINAL_CODER) !== undefined;
  }

  codedCount(coderId: string): number {
    return this.codedCounts.get(coderId) ?? 0;
  }

  /**
   * An answer's codings by coder, as kept: a coder whose codings were all removed stays listed
   * with none (a final coding that removed every code still means "reconciled").
   */
  entriesOf(responseId: string): [string, Coding[]][] {
    return (this.codings.get(responseId) ?? []).map((entry) => [entry.coder, [...entry.list]]);
  }

  /** Puts back what `entriesOf` gave (a checkpoint being loaded). */
  restore(responseId: string, entries: [string, Coding[]][]): void {
    if (!this.byResponse.has(responseId)) return;
    const byCoder: CoderCodings[] = [];
    for (const [coder, codings] of entries) {
      byCoder.push({ coder, list: codings.map((coding) => codingOf(coding.codeId, coding.start, coding.end)) });
      if (codings.length > 0) this.codedCounts.set(coder, (this.codedCounts.get(coder) ?? 0) + 1);
    }
    this.codings.set(responseId, byCoder);
  }
}
