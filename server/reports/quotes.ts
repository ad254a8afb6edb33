import { survivingCodeId } from '../codebooks/service.js';
import type { CodeRecord } from '../codebooks/model.js';
import { activeCodes } from '../codebooks/service.js';
import { countedCodings, type Counting } from '../coding/counting.js';
import { FINAL_CODER } from '../coding/model.js';
import { attribution, isStarred, quoteRecords } from '../coding/quotes-service.js';
import type { Unit } from '../coding/read-model.js';
import { redact, redactPassage } from '../coding/redaction.js';
import type { CodingContext, CodingTarget } from '../coding/target.js';

export interface QuoteItem {
  responseId: string;
  /** The coded passage where there is one, otherwise the whole answer; redacted once starred. */
  text: string;
  /** Where the passage is in the answer; absent for the whole answer. */
  passage?: { start: number; end: number };
  /** The language the answer was written in: pages mark a Welsh quote `lang="cy"`. */
  language: 'en' | 'cy';
  attribution: string;
  /** Names of every code the answer counts for. */
  codes: string[];
  starred: boolean;
  /** Ids of the coders who starred it: each analyst's star is their own. */
  starredBy: string[];
  /** The answer in the workbench, to read it whole, star it or redact it. */
  workbenchUrl: string;
}

/** The passages coded with `codeId` by the coders whose codes the answer counts (everyone's, once reconciled). */
function passagesFor(
  target: CodingTarget,
  counting: Counting,
  unit: Unit,
  codeId: string,
): { start: number; end: number }[] {
  const source = counting.sourceOf(unit);
  const coders =
    source === 'final' || source === undefined ? target.index.codersOf(unit.responseId) : [counting.coderOf(unit)!];
  const seen = new Set<string>();
  const passages: { start: number; end: number }[] = [];
  for (const coder of coders.filter((candidate) => candidate !== FINAL_CODER)) {
    for (const coding of target.index.codingsOf(unit.responseId, coder)) {
      if (coding.start === undefined || survivingCodeId(target.codebook, coding.codeId) !== codeId) continue;
      const key = `${coding.start}-${coding.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      passages.push({ start: coding.start, end: coding.end! });
    }
  }
  return passages.sort((a, b) => a.start - b.start);
}

/**
 * Quotes for each code from respondents who consented: the passage coded with it where there is
 * one, the whole answer otherwise. Starred quotes (reviewed, with redactions applied) come first
 * and are the only ones that may leave the platform; the rest are listed for analysts to review.
 */
export async function quotesByCode(
  context: CodingContext,
  target: CodingTarget,
  { exportOnly = false } = {},
): Promise<{ code: CodeRecord; quotes: QuoteItem[] }[]> {
  const records = await quoteRecords(context, target);
  const counting = countedCodings(target);
  const names = new Map(target.codebook.codes.map((code) => [code.codeId, code.name]));
  const workbenchUrl = (unit: Unit) =>
    `/work/${target.survey.id}/${target.question.id}?codebook=${target.codebook.id}&at=${unit.responseId}`;
  return activeCodes(target.codebook).map((code) => {
    const quotes: QuoteItem[] = [];
    for (const unit of target.index.units) {
      const counted = counting.codesOf(unit);
      if (!unit.quoteConsent || !counted?.has(code.codeId)) continue;
      const record = records.get(unit.responseId);
      const starred = isStarred(record);
      if (exportOnly && !starred) continue;
      const shown = (text: string) => (starred ? redact(text, record!.redacted ?? []) : text);
      const common = {
        responseId: unit.responseId,
        language: unit.language ?? ('en' as const),
        attribution: attribution(target.survey, unit),
        codes: [...counted].map((id) => names.get(id) ?? id),
        starred,
        starredBy: record?.starredBy ?? [],
        workbenchUrl: workbenchUrl(unit),
      };
      const passages = passagesFor(target, counting, unit, code.codeId);
      if (passages.length === 0) quotes.push({ ...common, text: shown(unit.text) });
      for (const passage of passages) {
        const text = starred
          ? redactPassage(unit.text, record!.redacted ?? [], passage.start, passage.end)
          : unit.text.slice(passage.start, passage.end);
        quotes.push({ ...common, passage, text });
      }
    }
    quotes.sort((a, b) => Number(b.starred) - Number(a.starred));
    return { code, quotes };
  });
}
