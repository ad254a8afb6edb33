import { OTHER_CHOICE } from '../surveys/question-types/index.js';
import type { Survey } from '../surveys/registry.js';
import { countedCodings } from './counting.js';
import type { QuoteRecord } from './model.js';
import type { Unit } from './read-model.js';
import { redact } from './redaction.js';
import type { CodingContext, CodingTarget } from './target.js';

/** The respondent's group, in words, for attribution: "(Barrister)". */
export function attribution(survey: Survey, unit: Unit): string {
  // "Other (please say)" is the form's wording; a report says "Other".
  if (!unit.group) return 'Respondent';
  if (unit.group === OTHER_CHOICE) return 'Other';
  return survey.choiceLabel(survey.definition.profile.group, unit.group) ?? 'Other';
}

/** Every quote record of a question, by answer. */
export async function quoteRecords(context: CodingContext, target: CodingTarget): Promise<Map<string, QuoteRecord>> {
  const records = await context.coding.quotes
    .find({ surveyId: target.survey.id, questionId: target.question.id })
    .lean<QuoteRecord[]>();
  return new Map(records.map((record) => [record.responseId, record]));
}

export const isStarred = (record: QuoteRecord | undefined): boolean => (record?.starredBy?.length ?? 0) > 0;

export interface ExportableQuote {
  responseId: string;
  text: string;
  attribution: string;
  codes: string[];
  starred: boolean;
}

/**
 * The only way a quote leaves the platform: starred by an analyst, the respondent consented to
 * quotation, and every redacted phrase hidden wherever it occurs.
 */
export async function exportableQuotes(context: CodingContext, target: CodingTarget): Promise<ExportableQuote[]> {
  const records = await quoteRecords(context, target);
  const counting = countedCodings(target);
  const quotes: ExportableQuote[] = [];
  for (const unit of target.index.units) {
    const record = records.get(unit.responseId);
    if (!isStarred(record) || !unit.quoteConsent) continue;
    quotes.push({
      responseId: unit.responseId,
      text: redact(unit.text, record!.redacted ?? []),
      attribution: attribution(target.survey, unit),
      codes: [...(counting.codesOf(unit) ?? [])],
      starred: true,
    });
  }
  return quotes;
}
