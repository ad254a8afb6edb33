import { FINAL_CODER, NO_CODE, type CodingEvent } from './model.js';

/** One open answer to code. */
export interface Unit {
  responseId: string;
  text: string;
  lowerText: string;
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

  apply(event: Pick<CodingEvent, 'responseId' | 'coderId' | 'codeId' | 'start' | 'end' | 'present'>): void {
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
}
