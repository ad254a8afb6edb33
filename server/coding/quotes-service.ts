import { pick } from '../i18n/localised.js';
import type { Survey } from '../surveys/registry.js';
import type { QuoteRecord } from './model.js';
import type { Unit } from './read-model.js';
import { reportCodings } from './reconcile-service.js';
import type { CodingContext, CodingTarget } from './workbench-service.js';

export const REDACTED = '[redacted]';

/** Replaces each redacted span (overlaps merged) with a marker; the original stays in the database. */
export function applyRedactions(text: string, redactions: { start: number; end: number }[]): string {
  const merged: { start: number; end: number }[] = [];
  for (const span of [...redactions].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  let result = text;
  for (const span of merged.reverse()) result = result.slice(0, span.start) + REDACTED + result.slice(span.end);
  return result;
}

/** The respondent's group, in words, for attribution: "(Barrister)". */
export function attribution(survey: Survey, unit: Unit): string {
  const question = survey.question(survey.definition.profile.group);
  if (!question || !('choices' in question) || !unit.group) return 'Respondent';
  const choice = question.choices.find((candidate) => candidate.value === unit.group);
  return choice ? pick(choice.label, 'en') : 'Other';
}

export interface ExportableQuote {
  responseId: string;
  text: string;
  attribution: string;
  codes: string[];
  starred: boolean;
}

/**
 * The only way a quote leaves the platform: starred by an analyst, the respondent consented to
 * quotation, and every redaction applied.
 */
export async function exportableQuotes(context: CodingContext, target: CodingTarget): Promise<ExportableQuote[]> {
  const starred = await context.coding.quotes.find({ surveyId: target.survey.id, questionId: target.question.id, starred: true }).lean<QuoteRecord[]>();
  const { codesFor } = await reportCodings(context, target);
  const quotes: ExportableQuote[] = [];
  for (const record of starred) {
    const unit = target.index.byResponse.get(record.responseId);
    if (!unit || !unit.quoteConsent) continue;
    quotes.push({
      responseId: unit.responseId,
      text: applyRedactions(unit.text, record.redactions),
      attribution: attribution(target.survey, unit),
      codes: [...codesFor(unit)],
      starred: true,
    });
  }
  return quotes;
}
