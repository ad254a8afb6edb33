import { describe, expect, it } from 'vitest';
import { redact, redactionMatches, redactPassage } from '../../server/coding/redaction.js';

describe('redaction', () => {
  it('hides every occurrence in any letter case', () => {
    expect(redact('Jane met JANE and jane.', ['jane'])).toBe('[redacted] met [redacted] and [redacted].');
  });

  it('merges overlapping phrases into one marker and treats patterns as plain text', () => {
    expect(redact('Jane Smith (aged 4) in Leeds', ['Jane Smith', 'Smith (aged 4)', 'Leeds'])).toBe(
      '[redacted] in [redacted]',
    );
    expect(redactionMatches('a.b axb', ['a.b'])).toEqual([{ start: 0, end: 3 }]);
  });

  it('leaves text alone when nothing matches, or nothing is redacted', () => {
    expect(redact('Nothing here', ['Leeds'])).toBe('Nothing here');
    expect(redact('Nothing here', [])).toBe('Nothing here');
    expect(redact('Nothing here', [''])).toBe('Nothing here');
  });
});

describe('a redacted passage', () => {
  it('hides a name the passage cuts through, found in the whole answer', () => {
    const text = 'I told Jane Smith that the court was slow.';
    const start = text.indexOf('Smith that');
    expect(redactPassage(text, ['Jane Smith'], start, start + 'Smith that the court'.length)).toBe(
      '[redacted] that the court',
    );
    expect(redactPassage(text, ['jane smith'], 0, 11)).toBe('I told [redacted]');
    expect(redactPassage(text, [], 7, 17)).toBe('Jane Smith');
  });
});
