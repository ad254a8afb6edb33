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

/** An event as the index applies it: an erased answer's keeps its place without answer, coder or code. */
type AppliedEvent = Pick<CodingEvent, 'start' | 'end' | 'present'> &
  Partial<Pick<CodingEvent, 'responseId' | 'coderId' | 'codeId'>>;

/** Everything the workbench, reconciliation and reports need about one question and codebook. */
export class QuestionIndex {
  readonly byResponse: Map<string, Unit>;
  /** responseId → coderId → coding key → coding */
  private readonly codings = new Map<string, Map<string, Map<string, Coding>>>();
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
    if (!byCoder) this.codings.set(event.responseId, (byCoder = new Map()));
    let mine = byCoder.get(event.coderId);
    const hadAny = (mine?.size ?? 0) > 0;
    if (!mine) byCoder.set(event.coderId, (mine = new Map()));
    const coding: Coding =
      event.start === undefined
        ? { codeId: event.codeId }
        : { codeId: event.codeId, start: event.start, end: event.end };
    if (event.present) mine.set(codingKey(coding), coding);
    else mine.delete(codingKey(coding));
    const hasAny = mine.size > 0;
    if (hadAny !== hasAny)
      this.codedCounts.set(event.coderId, (this.codedCounts.get(event.coderId) ?? 0) + (hasAny ? 1 : -1));
  }

  /** A coder's codings of an answer (whole and passages), without a "no code applies" decision. */
  codingsOf(responseId: string, coderId: string): Coding[] {
    return [...(this.codings.get(responseId)?.get(coderId)?.values() ?? [])].filter(
      (coding) => coding.codeId !== NO_CODE,
    );
  }

  /** The coder decided that no code of the codebook applies to this answer. */
  decidedNoCode(responseId: string, coderId: string): boolean {
    const mine = this.codings.get(responseId)?.get(coderId);
    // A code given at the same moment as "no code applies" wins, whichever was stored first, so
    // the answer reads the same in every process and after every rebuild.
    return (mine?.has(NO_CODE) ?? false) && mine!.size === 1;
  }

  /** Coders (not the final coding) who have coded this answer: with codes, or "no code applies". */
  codersOf(responseId: string): string[] {
    return [...(this.codings.get(responseId)?.entries() ?? [])]
      .filter(([coder, codings]) => coder !== FINAL_CODER && codings.size > 0)
      .map(([coder]) => coder);
  }

  /** Coded by anyone but the final coding, without building the list of coders (called per answer per request). */
  isCodedByAnyone(responseId: string): boolean {
    for (const [coder, codings] of this.codings.get(responseId) ?? [])
      if (coder !== FINAL_CODER && codings.size > 0) return true;
    return false;
  }

  allCoders(): string[] {
    return [...this.codedCounts.entries()]
      .filter(([coder, count]) => coder !== FINAL_CODER && count > 0)
      .map(([coder]) => coder);
  }

  /** Coded by this coder: at least one code, or the decision that none applies. */
  isCodedBy(responseId: string, coderId: string): boolean {
    return (this.codings.get(responseId)?.get(coderId)?.size ?? 0) > 0;
  }

  /** An answer is reconciled once the admin has recorded a final coding for it, even an empty one. */
  isReconciled(responseId: string): boolean {
    return this.codings.get(responseId)?.has(FINAL_CODER) ?? false;
  }

  codedCount(coderId: string): number {
    return this.codedCounts.get(coderId) ?? 0;
  }

  /**
   * An answer's codings by coder, as kept: a coder whose codings were all removed stays listed
   * with none (a final coding that removed every code still means "reconciled").
   */
  entriesOf(responseId: string): [string, Coding[]][] {
    return [...(this.codings.get(responseId) ?? [])].map(([coder, codings]) => [coder, [...codings.values()]]);
  }

  /** Puts back what `entriesOf` gave (a checkpoint being loaded). */
  restore(responseId: string, entries: [string, Coding[]][]): void {
    if (!this.byResponse.has(responseId)) return;
    const byCoder = new Map<string, Map<string, Coding>>();
    for (const [coder, codings] of entries) {
      byCoder.set(coder, new Map(codings.map((coding) => [codingKey(coding), coding])));
      if (codings.length > 0) this.codedCounts.set(coder, (this.codedCounts.get(coder) ?? 0) + 1);
    }
    this.codings.set(responseId, byCoder);
  }
}
