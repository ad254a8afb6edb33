import { describe, expect, it } from 'vitest';
import { detectLayout, readHeader } from '../../server/imports/layout.js';

describe('which tool wrote a file, from its first rows', () => {
  it('does not take a Google Forms respondent who answered "Response" for SurveyMonkey sub-labels', () => {
    const top = [
      ['Timestamp', 'How did you hear?', 'What would help?'],
      ['2024-01-02 10:00', 'Response', 'More time'],
      ['2024-01-03 11:00', 'Email', 'Less paperwork'],
    ];
    expect(detectLayout(top)).toBe('one-row');
  });

  it('recognises SurveyMonkey with no expanded question (every sub-label "Response") and with blank question cells', () => {
    expect(
      detectLayout([
        ['Respondent ID', 'Role', 'Why?'],
        ['', 'Response', 'Open-Ended Response'],
        ['1', 'Lead', 'x'],
      ]),
    ).toBe('surveymonkey');
    expect(
      detectLayout([
        ['Gender', '', 'Why?'],
        ['Male', 'Female', 'Open-Ended Response'],
        ['Male', '', 'x'],
      ]),
    ).toBe('surveymonkey');
  });

  it('carries a SurveyMonkey question over its blank cells and names sub-columns, repeats and blanks uniquely', () => {
    const header = readHeader(
      [
        ['Which films?', '', '', 'Any comments?', 'Any comments?', ''],
        ['Episode I', 'Episode II', 'Other (please specify)', 'Open-Ended Response', 'Open-Ended Response', ''],
      ],
      'surveymonkey',
    );
    expect(header.columns.map((column) => column.name)).toEqual([
      'Which films? - Episode I',
      'Which films? - Episode II',
      'Which films? - Other (please specify)',
      'Any comments?',
      'Any comments? (2)',
      'Column 6',
    ]);
  });

  it('keeps names unique when a file already has a column called "Question (2)"', () => {
    const header = readHeader([['Q', 'Q (2)', 'Q']], 'one-row');
    expect(new Set(header.columns.map((column) => column.name)).size).toBe(3);
  });
});

describe("a workbook's shared strings", () => {
  it('reads back the same strings from memory and, past the size it keeps in memory, from a file', async () => {
    const { SharedStrings } = await import('../../server/imports/shared-strings.js');
    const texts = ['North', 'Café ✓ 👩‍👧', '', 'x'.repeat(5000), 'South'];
    for (const spillAfter of [1_000_000, 10]) {
      const strings = new SharedStrings(spillAfter);
      for (const text of texts) strings.add(text);
      strings.finish();
      expect(texts.map((_, index) => strings.get(index))).toEqual(texts);
      expect(strings.get(texts.length)).toBe('');
      strings.close();
    }
  });
});
