import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { projectRoot } from '../../server/config.js';
import { codePointOffset, projectQde, type ProjectContent } from '../../server/reports/qde.js';

const schema = fs.readFileSync(path.join(projectRoot, 'server', 'reports', 'refi-qda', 'Project.xsd'), 'utf8');
const code = (codeId: string, name: string) => ({
  codeId,
  name,
  definition: `${name} defined`,
  include: '',
  exclude: '',
  colour: '#123456',
});

const text = '𝒜 café 👩‍👧 rent';
const content: ProjectContent = {
  surveyId: 's',
  title: 'Survey & "friends"',
  users: [{ id: 'u1', name: 'u1@example.org' }],
  codebooks: [
    { id: 'old-book', name: 'Old', codes: [code('money', 'Money')] },
    { id: 'new-book', name: 'New', codes: [code('money', 'Money'), code('housing', 'Housing')] },
  ],
  variables: [],
  cases: [],
  sources: [
    {
      responseId: 'r1',
      questionId: 'q1',
      text,
      codings: [
        { userId: 'u1', codebookId: 'old-book', codeId: 'money' },
        { userId: 'u1', codebookId: 'new-book', codeId: 'housing', start: text.indexOf('rent'), end: text.length },
      ],
      memos: [],
    },
  ],
};

describe('the REFI-QDA project writer', () => {
  it('counts positions in code points, not UTF-16 units', () => {
    expect(codePointOffset(text, text.indexOf('café'))).toBe(2);
    // 👩‍👧 is three code points (woman, joiner, girl) in five UTF-16 units.
    expect(codePointOffset(text, text.indexOf('rent'))).toBe(11);
    expect(codePointOffset(text, text.length)).toBe([...text].length);
  });

  it('keeps several codebooks apart under headings that cannot be coded, and validates', async () => {
    const { xml, texts } = projectQde(content);
    const result = await validateXML({
      xml: [{ fileName: 'project.qde', contents: xml }],
      schema: [{ fileName: 'Project.xsd', contents: schema }],
    });
    expect(result.errors).toEqual([]);
    expect(xml).toMatch(
      /<Code [^>]*name="Old" isCodable="false">\s*<Description>[^<]*<\/Description>\s*<Code [^>]*name="Money"/,
    );
    expect(xml).toMatch(/<Code [^>]*name="New" isCodable="false">/);
    // The same code id in two codebooks is two codes, and each coding points at its own codebook's.
    const guids = [...xml.matchAll(/<Code guid="([^"]+)" name="Money"/g)].map((match) => match[1]);
    expect(new Set(guids).size).toBe(2);
    expect(xml).toContain(`<CodeRef targetGUID="${guids[0]}"/>`);
    expect(xml).toContain('startPosition="11" endPosition="15"');
    expect(xml).toContain('name="Survey &amp; &quot;friends&quot;"');
    expect(texts).toEqual([{ entry: expect.stringMatching(/^Sources\/[0-9a-f-]{36}\.txt$/), text }]);
    expect(projectQde(content).xml).toBe(xml);
  });
});
