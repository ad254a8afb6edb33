import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../server/http/csv.js';

describe('CSV cells', () => {
  it('shows anything a spreadsheet would run as a formula, even after spaces or line breaks', () => {
    for (const formula of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\t=1', ' =HYPERLINK("x")', '\n=1', '  @x']) {
      expect(csvCell(formula).replace(/^"/, '').startsWith("'"), JSON.stringify(formula)).toBe(true);
    }
    expect(csvCell('plain text')).toBe('plain text');
    expect(csvCell('3 - 2')).toBe('3 - 2');
  });

  it('quotes commas, quotes and line breaks, and ends each row with CRLF', () => {
    expect(csvRow(['a,b', 'say "hi"', 'two\nlines', 4, null])).toBe('"a,b","say ""hi""","two\nlines",4,\r\n');
  });
});
