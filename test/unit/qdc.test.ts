import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { loadCodebookFiles } from '../../server/codebooks/files.js';
import { projectRoot } from '../../server/config.js';
import { codebookToQdc } from '../../server/reports/qdc.js';

const schema = fs.readFileSync(path.join(projectRoot, 'server', 'reports', 'refi-qda', 'Codebook.xsd'), 'utf8');

async function validate(xml: string) {
  return validateXML({
    xml: [{ fileName: 'codebook.qdc', contents: xml }],
    schema: [{ fileName: 'Codebook.xsd', contents: schema }],
  });
}

describe('the REFI-QDA codebook export (.qdc)', () => {
  it('is refused by the schema when it is not valid, so the check below means something', async () => {
    const broken = codebookToQdc('x', [
      { codeId: 'a', name: 'A', definition: 'd', include: '', exclude: '', colour: '#123456' },
    ]).replace(/ guid="[^"]+"/, '');
    const result = await validate(broken);
    expect(result.valid).toBe(false);
    expect(result.errors.map((error) => error.message).join(' ')).toContain('guid');
  });

  for (const id of loadCodebookFiles().keys()) {
    it(`${id}: the command line output validates against the published schema`, async () => {
      const xml = execFileSync('npm', ['run', '--silent', 'cli', '--', 'codebook', '--scheme', id, '--format', 'qdc'], {
        cwd: projectRoot,
        encoding: 'utf8',
      });
      const result = await validate(xml);
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
      const book = loadCodebookFiles().get(id)!;
      for (const code of book.codes)
        expect(xml).toContain(`name="${code.name.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`);
    }, 30_000);
  }

  it('nests sub-codes, escapes markup and keeps GUIDs stable', async () => {
    const codes = [
      {
        codeId: 'parent',
        name: 'Money & "housing" <issues>',
        definition: 'Costs',
        include: 'Rent',
        exclude: '',
        colour: '#112233',
      },
      {
        codeId: 'child',
        name: 'Rent arrears',
        definition: 'Owing rent',
        include: '',
        exclude: 'Mortgages',
        colour: '#445566',
        parentId: 'parent',
      },
    ];
    const xml = codebookToQdc('book', codes);
    expect((await validate(xml)).valid).toBe(true);
    expect(xml).toMatch(
      /<Code [^>]*name="Money &amp; &quot;housing&quot; &lt;issues&gt;"[^>]*>\s*<Description>Costs\nInclude: Rent<\/Description>\s*<Code [^>]*name="Rent arrears"/,
    );
    expect(codebookToQdc('book', codes)).toBe(xml);
  });
});
