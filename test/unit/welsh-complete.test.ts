import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/config.js';

/**
 * Welsh is not optional for this review: a new English string without its Welsh fails here.
 * Only proper nouns and figures may read the same in both languages, and they are listed.
 */
const sameInBothLanguages = new Set([
  'Cafcass', // the body's name in England; Cafcass Cymru is named in full where it appears
  'English', // the language switch names each language in itself
  'Cymraeg',
  '18-24',
  '25-34',
  '35-49',
  '50-64',
  '0800 000 0001',
  '0800 000 0002',
  '0800 000 0003',
]);

const read = (...parts: string[]) => JSON.parse(fs.readFileSync(path.join(projectRoot, ...parts), 'utf8')) as unknown;

interface Localised {
  at: string;
  en: string;
  cy?: unknown;
}

/** Every `{ "en": ... }` object in a data file, with where it is. */
function localisedStrings(value: unknown, at = ''): Localised[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => localisedStrings(item, `${at}[${index}]`));
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (typeof record.en === 'string') return [{ at, en: record.en, cy: record.cy }];
  return Object.entries(record).flatMap(([key, item]) => localisedStrings(item, `${at}.${key}`));
}

/** What is wrong with one Welsh string, or nothing. */
function problem(en: string, cy: unknown): string | undefined {
  if (typeof cy !== 'string' || cy.trim() === '') return 'no Welsh';
  if (cy.trim() === en.trim() && !sameInBothLanguages.has(en)) return `Welsh is the English text ("${en}")`;
  return undefined;
}

const dataFiles = [
  ...fs
    .readdirSync(path.join(projectRoot, 'server', 'surveys', 'definitions'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => ['server', 'surveys', 'definitions', file]),
  ['server', 'help', 'signposting.json'],
];

describe('every respondent-facing string has its Welsh', () => {
  it('finds the three survey definitions and the signposting', () => {
    expect(dataFiles.map((parts) => parts.at(-1))).toEqual([
      'care-experienced.json',
      'family.json',
      'professionals.json',
      'signposting.json',
    ]);
  });

  for (const parts of dataFiles) {
    it(`${parts.at(-1)}: each { "en" } string has a Welsh "cy" that is not the English`, () => {
      const strings = localisedStrings(read(...parts));
      expect(strings.length).toBeGreaterThan(10);
      const missing = strings.flatMap(({ at, en, cy }) => {
        const found = problem(en, cy);
        return found ? [`${at}: ${found}`] : [];
      });
      expect(missing).toEqual([]);
    });
  }

  it('cy.json has every key of en.json, each in Welsh, and nothing English lacks', () => {
    const en = read('server', 'i18n', 'locales', 'en.json') as Record<string, string>;
    const cy = read('server', 'i18n', 'locales', 'cy.json') as Record<string, string>;
    const missing = Object.entries(en).flatMap(([key, english]) => {
      const found = problem(english, cy[key]);
      return found ? [`${key}: ${found}`] : [];
    });
    expect(missing).toEqual([]);
    expect(Object.keys(cy).filter((key) => !(key in en))).toEqual([]);
  });

  it('keeps every {placeholder} of the English in the Welsh', () => {
    const en = read('server', 'i18n', 'locales', 'en.json') as Record<string, string>;
    const cy = read('server', 'i18n', 'locales', 'cy.json') as Record<string, string>;
    const placeholders = (text: string | undefined) => [...(text ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const differing = Object.keys(en).filter((key) => placeholders(en[key]).join() !== placeholders(cy[key]).join());
    expect(differing).toEqual([]);
  });
});
