import { describe, expect, it } from 'vitest';
import { redact, redactionMatches } from '../../server/coding/redaction.js';

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
