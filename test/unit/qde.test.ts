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
    // The same code in two codebooks is two codes, each coding pointing at its own codebook's, and
    // named apart: QualCoder keeps one code per name and would leave the second one's codings codeless.
    const first = /<Code guid="([^"]+)" name="Money"/.exec(xml)?.[1];
    const second = /<Code guid="([^"]+)" name="Money \(New\)"/.exec(xml)?.[1];
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(first).not.toBe(second);
    expect(xml).toContain(`<CodeRef targetGUID="${first}"/>`);
    expect(xml).toContain('startPosition="11" endPosition="15"');
    expect(xml).toContain('name="Survey &amp; &quot;friends&quot;"');
    // A source's name is also a file name in QualCoder: nothing Windows refuses in one.
    expect(xml).toContain('<TextSource guid="');
    expect(xml).toMatch(/<TextSource [^>]*name="Respondent r1 - q1"/);
    expect(texts).toEqual([{ entry: expect.stringMatching(/^Sources\/[0-9a-f-]{36}\.txt$/), text }]);
    expect(projectQde(content).xml).toBe(xml);
  });
});

describe('memos as notes QualCoder can read', () => {
  it('dates each note and selects the answer it is about, and still validates', async () => {
    const at = new Date('2026-03-04T05:06:07Z');
    const withMemo: ProjectContent = {
      ...content,
      sources: [{ ...content.sources[0]!, memos: [{ userId: 'u1', text: 'Rent & <arrears>', at }] }],
    };
    const { xml } = projectQde(withMemo);
    const result = await validateXML({
      xml: [{ fileName: 'project.qde', contents: xml }],
      schema: [{ fileName: 'Project.xsd', contents: schema }],
    });
    expect(result.errors).toEqual([]);
    const note = /<Note [^>]*>[\s\S]*?<\/Note>/.exec(xml)?.[0] ?? '';
    expect(note).toContain('modifiedDateTime="2026-03-04T05:06:07.000Z"');
    expect(note).toContain('<PlainTextContent>Rent &amp; &lt;arrears&gt;</PlainTextContent>');
    expect(note).toMatch(new RegExp(`<PlainTextSelection [^>]*startPosition="0" endPosition="${[...text].length}"`));
    expect(projectQde(withMemo).xml).toBe(xml);
  });
});
