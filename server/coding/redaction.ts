export const REDACTED = '[redacted]';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every place any of the phrases occurs, in any letter case, overlapping matches merged. A name
 * typed once is hidden everywhere it appears: "Jane ... jane" loses both.
 */
export function redactionMatches(text: string, phrases: readonly string[]): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (const phrase of phrases) {
    if (!phrase) continue;
    for (const match of text.matchAll(new RegExp(escapeRegExp(phrase), 'giu')))
      spans.push({ start: match.index, end: match.index + match[0].length });
  }
  spans.sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** The text with every redacted phrase replaced by a marker; the original stays in the database. */
export function redact(text: string, phrases: readonly string[]): string {
  let result = text;
  for (const span of redactionMatches(text, phrases).reverse())
    result = result.slice(0, span.start) + REDACTED + result.slice(span.end);
  return result;
}

/**
 * A passage of the text, with every redacted phrase hidden: phrases are found in the whole answer,
 * so a name is hidden even where the passage cuts through it.
 */
export function redactPassage(text: string, phrases: readonly string[], start: number, end: number): string {
  let result = '';
  let at = start;
  for (const span of redactionMatches(text, phrases)) {
    if (span.end <= start || span.start >= end) continue;
    result += text.slice(at, Math.max(at, span.start)) + REDACTED;
    at = Math.min(end, span.end);
  }
  return result + text.slice(at, end);
}
