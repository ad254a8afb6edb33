import type { CodeRecord } from '../codebooks/model.js';
import type { Coding } from './question-index.js';

export interface TextSegment {
  text: string;
  codes: CodeRecord[];
  redacted: boolean;
}

/** Splits the answer at every span boundary so each piece can be marked with its codes. */
export function segmentText(
  text: string,
  spans: (Coding & { code: CodeRecord })[],
  redactions: { start: number; end: number }[],
): TextSegment[] {
  const cuts = new Set([0, text.length]);
  for (const span of [...spans, ...redactions]) {
    cuts.add(Math.max(0, Math.min(text.length, span.start ?? 0)));
    cuts.add(Math.max(0, Math.min(text.length, span.end ?? 0)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: TextSegment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (start === end) continue;
    segments.push({
      text: text.slice(start, end),
      codes: spans.filter((span) => (span.start ?? 0) <= start && (span.end ?? 0) >= end).map((span) => span.code),
      redacted: redactions.some((redaction) => redaction.start <= start && redaction.end >= end),
    });
  }
  return segments;
}
