import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { slugFor } from '../../server/codebooks/edits.js';
import {
  decodeQdc,
  importColour,
  parseQdc,
  QdcRefusedError,
  shortName,
  unfoldDescription,
  uniqueCodeId,
} from '../../server/codebooks/qdc-parse.js';
import { projectRoot } from '../../server/config.js';
import { codebookToQdc } from '../../server/reports/qdc.js';

const fixture = (name: string) => fs.readFileSync(path.join(projectRoot, 'test', 'fixtures', 'qdc', name), 'utf8');
const refusal = (xml: string) => {
  try {
    parseQdc(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(QdcRefusedError);
    return (error as Error).message;
  }
  throw new Error('the file was not refused');
};

describe('reading a .qdc codebook', () => {
  it('reads a Taguette file: flat codes without descriptions, an empty <Sets/>, a 200-character name', () => {
    const { codes, warnings, origin } = parseQdc(fixture('taguette.qdc'));
    expect(origin).toBe('Taguette 1.4.1');
    expect(codes.map((code) => [code.codeId, code.parentId, code.order, code.definition, code.colour])).toEqual([
      ['housing', undefined, 0, '', '#505a5f'],
      ['money-worries', undefined, 1, '', '#505a5f'],
      [
        'travelling-to-appointments-is-hard-because-the-bus',
        undefined,
        2,
        expect.stringMatching(/^Full name: Travelling/),
        '#505a5f',
      ],
    ]);
    expect(codes[2]!.name).toBe('Travelling to appointments is hard because the bus stops running before the…');
    expect(codes[2]!.name.length).toBeLessThanOrEqual(80);
    expect(codes[2]!.definition).toContain('recorded as not engaging');
    expect(warnings).toEqual([
      'The file has an empty <Sets/> (not valid in Codebook.xsd; Taguette writes one): ignored.',
      expect.stringMatching(/^"Travelling to .* is longer than 80 characters: shortened to "Travelling/),
      expect.stringMatching(
        /^3 codes have no description and were imported with an empty definition, for the team to fill in: housing, money worries, Travelling/,
      ),
    ]);
  });

  it('reads a MAXQDA-style file: nesting, 3-digit colours, Welsh names, curly apostrophes, sets and stray elements', () => {
    const { codes, warnings } = parseQdc(fixture('nested.qdc'));
    expect(codes.map((code) => [code.codeId, code.name, code.parentId ?? null, code.order, code.colour])).toEqual([
      ['iechyd-a-lles', 'Iechyd a lles', null, 0, '#FF0000'],
      ['gwr-a-gwraig', 'Gŵr a gwraig', 'iechyd-a-lles', 0, '#00aa00'],
      ['parents-worries', 'Parents’ worries', 'iechyd-a-lles', 1, '#1d70b8'],
      ['parents-worries-2', "Parents' worries", 'iechyd-a-lles', 2, '#505a5f'],
      ['ty-bach-dwr-a-than', 'Tŷ bach, dŵr a thân', null, 1, '#0000ff'],
    ]);
    expect(codes[0]).toMatchObject({ definition: 'Health and wellbeing', include: '', exclude: '' });
    expect(warnings).toEqual([
      'Sets are not kept by this app and were not imported: Family.',
      '"Parents’ worries" has no isCodable attribute; imported as codable.',
      'Ignored <MemoText> inside "Parents’ worries".',
      `"Parents' worries" is marked not codable in the file; this app has no such codes, so it can be applied.`,
      `"Parents' worries" has the colour "blue", which is not a colour: given grey (#505a5f).`,
    ]);
    // Stable: the same file gives the same ids every time.
    expect(parseQdc(fixture('nested.qdc')).codes.map((code) => code.codeId)).toEqual(codes.map((code) => code.codeId));
  });

  it('warns about a wrong namespace, unknown elements and duplicate or missing guids, and still reads the codes', () => {
    const { codes, warnings } = parseQdc(
      '<CodeBook xmlns="urn:QDA-XML:project:1.0"><Codes><Code name="A" isCodable="true" guid="g"/><Code guid="g" isCodable="true" name="B"><Description>b</Description></Code><Code isCodable="true" name="C"><Description>c</Description></Code></Codes><Notes/></CodeBook>',
    );
    expect(codes.map((code) => code.name)).toEqual(['A', 'B', 'C']);
    expect(warnings).toEqual([
      'The file\'s namespace is "urn:QDA-XML:project:1.0", not urn:QDA-XML:codebook:1.0; read it anyway.',
      'Ignored an element the codebook format does not have: <Notes>.',
      '"B" has the same guid as another code (g).',
      '"C" has no guid (required by Codebook.xsd).',
      '1 code has no description and was imported with an empty definition, for the team to fill in: A.',
    ]);
  });

  it('refuses a DTD (entity expansion, XXE), not-XML, a file with no codes and a file that is not a codebook', () => {
    expect(refusal(fixture('entities.qdc'))).toBe(
      'The file declares a DTD (<!DOCTYPE> or <!ENTITY>), which a .qdc codebook never has: refused for safety.',
    );
    expect(refusal(fixture('not-xml.qdc'))).toMatch(
      /^The file is not readable XML \(.+\), so it cannot be imported\.$/,
    );
    expect(refusal('<CodeBook><Codes><Code name="a"></Codes></CodeBook>')).toMatch(/^The file is not readable XML/);
    expect(refusal(fixture('no-codes.qdc'))).toBe('The codebook has no codes, so there is nothing to import.');
    expect(refusal(fixture('project.qde'))).toBe(
      'The file is XML but not a REFI-QDA codebook: its root element is <Project>, not <CodeBook>.',
    );
    expect(refusal(`<CodeBook><Codes><Code name="${'x'.repeat(5 * 1024 * 1024)}"/></Codes></CodeBook>`)).toBe(
      'The file is 5.0 MB; a codebook of up to 5 MB can be imported.',
    );
  });

  it('decodes UTF-8 and UTF-16 files and refuses bytes that are not text', () => {
    const xml = '<CodeBook><Codes><Code name="Tŷ"/></Codes></CodeBook>';
    expect(decodeQdc(Buffer.from(`\uFEFF${xml}`, 'utf8'))).toBe(xml);
    expect(parseQdc(decodeQdc(Buffer.from(`\uFEFF${xml}`, 'utf16le'))).codes[0]!.name).toBe('Tŷ');
    expect(() => decodeQdc(Buffer.from([0x3c, 0xff, 0xfe, 0xc3]))).toThrow('not readable text');
  });
});

describe('the pieces of an import', () => {
  it('expands 3-digit colours and refuses anything that is not a colour', () => {
    expect(['#F00', '#abc', '#1d70b8', ' #ABCDEF ', 'red', '#ab', '#abcd', '', null].map(importColour)).toEqual([
      '#FF0000',
      '#aabbcc',
      '#1d70b8',
      '#ABCDEF',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('makes stable, unique ids from Welsh names and curly or straight apostrophes', () => {
    expect(
      ['Ŵ ŷ â ê î ô û', 'Llais y plentyn', 'Don’t know', "Don't know", 'Don‘t know', '’’’', 'Ffôn'].map(slugFor),
    ).toEqual(['w-y-a-e-i-o-u', 'llais-y-plentyn', 'dont-know', 'dont-know', 'dont-know', 'code', 'ffon']);
    const taken = new Set<string>();
    expect(['Don’t know', "Don't know", 'Dont know', '’’’', '!!!'].map((name) => uniqueCodeId(name, taken))).toEqual([
      'dont-know',
      'dont-know-2',
      'dont-know-3',
      'code',
      'code-2',
    ]);
  });

  it('shortens long names at a word, within the 80-character limit', () => {
    expect(shortName('short')).toBe('short');
    expect(shortName('x'.repeat(80))).toBe('x'.repeat(80));
    expect(shortName('x'.repeat(81))).toBe(`${'x'.repeat(79)}…`);
    expect(shortName(`${'word '.repeat(30)}`.trim())).toBe(`${'word '.repeat(15).trim()}…`);
  });

  it('unfolds the description the app exports back into definition, include and exclude', () => {
    const codes = [
      {
        codeId: 'a',
        name: 'A',
        definition: 'Costs\nof two lines',
        include: 'Rent',
        exclude: 'Mortgages\nand loans',
        colour: '#112233',
      },
      { codeId: 'b', name: 'B', definition: 'Only a definition', include: '', exclude: '', colour: '#112233' },
      { codeId: 'c', name: 'C', definition: 'D', include: '', exclude: 'E', colour: '#112233' },
      { codeId: 'd', name: 'D', definition: 'D', include: 'I', exclude: '', colour: '#112233' },
    ];
    const parsed = parseQdc(codebookToQdc('book', codes));
    expect(parsed.codes.map(({ definition, include, exclude }) => ({ definition, include, exclude }))).toEqual(
      codes.map(({ definition, include, exclude }) => ({ definition, include, exclude })),
    );
    expect(parsed.warnings).toEqual([]);
    // Only the app's own files are unfolded: another tool's description is the definition whole.
    expect(unfoldDescription('Def\nInclude: x\nExclude: y')).toEqual({ definition: 'Def', include: 'x', exclude: 'y' });
    expect(
      parseQdc('<CodeBook><Codes><Code name="A"><Description>Def\nInclude: x</Description></Code></Codes></CodeBook>')
        .codes[0]!.definition,
    ).toBe('Def\nInclude: x');
  });
});

describe('files that would hold up the server', () => {
  const book = (codes: string) =>
    `<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>${codes}</Codes></CodeBook>`;
  const code = (name: string, inner = '') => `<Code guid="g-${name}" name="${name}" isCodable="true">${inner}</Code>`;

  it('refuses more codes than a codebook has, before reading them all', () => {
    const many = Array.from({ length: 501 }, (_, index) => code(`c${index}`)).join('');
    expect(() => parseQdc(book(many))).toThrow('The codebook has more than 500 codes');
    const enough = Array.from({ length: 500 }, (_, index) => code(`c${index}`)).join('');
    expect(parseQdc(book(enough)).codes).toHaveLength(500);
  });

  it('refuses nesting deeper than 20 levels with a reason, not a stack overflow', () => {
    let nested = '';
    for (let level = 3000; level > 0; level--) nested = code(`l${level}`, nested);
    expect(() => parseQdc(book(nested))).toThrow('nests codes more than 20 levels deep');
  });

  it('refuses a name of thousands of characters, and cuts an overlong definition with a short warning', () => {
    expect(() => parseQdc(book(code('x'.repeat(5000))))).toThrow("A code's name is 5000 characters long");
    const long = parseQdc(
      book(`<Code guid="g" name="Long" isCodable="true"><Description>${'y'.repeat(9000)}</Description></Code>`),
    );
    expect(long.codes[0]!.definition).toHaveLength(2000);
    expect(long.warnings).toContain('"Long" has a definition longer than 2000 characters: cut to that length.');
  });

  it('keeps the list of warnings short', () => {
    const bare = Array.from({ length: 300 }, (_, index) => `<Code name="n${index}"/>`).join('');
    const { warnings } = parseQdc(book(bare));
    expect(warnings.length).toBeLessThanOrEqual(101);
    expect(warnings.at(-1)).toMatch(/^… and \d+ more warnings of the same kinds\.$/);
  });
});
