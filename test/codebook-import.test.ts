import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type request from 'supertest';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { codebookModels } from '../server/codebooks/model.js';
import { moveCode } from '../server/codebooks/moves.js';
import { importQdc } from '../server/codebooks/qdc-import.js';
import { getCodebook, type Codebook } from '../server/codebooks/service.js';
import { projectRoot } from '../server/config.js';
import { useTestApp } from './helpers/app.js';
import { addUser, csrfFrom, postForm, signIn } from './helpers/office.js';

/** Importing a REFI-QDA codebook (.qdc) as a new codebook: the service, the leads' form and the command line. */
const testApp = useTestApp();
const models = () => codebookModels(testApp.connection);
const fixturePath = (name: string) => path.join(projectRoot, 'test', 'fixtures', 'qdc', name);
const fixture = (name: string) => fs.readFileSync(fixturePath(name), 'utf8');
let analyst: request.Agent;
let lead: request.Agent;
beforeAll(async () => {
  await addUser(testApp, 'analyst@import.example', 'analyst');
  await addUser(testApp, 'lead@import.example', 'lead');
  analyst = await signIn(testApp.app, 'analyst@import.example');
  lead = await signIn(testApp.app, 'lead@import.example');
});

/**
 * What a codebook's codes say, parents by name (so codebooks with different code ids compare), in
 * tree order. Not their numbers: a .qdc carries none, so an import numbers its codes afresh.
 */
const described = (book: Codebook) => {
  const nameOf = new Map(book.codes.map((code) => [code.codeId, code.name]));
  return book.codes.map((code) => ({
    name: code.name,
    definition: code.definition,
    include: code.include,
    exclude: code.exclude,
    colour: code.colour,
    parent: code.parentId ? nameOf.get(code.parentId) : undefined,
  }));
};
const withoutIds = (xml: string) => xml.replace(/ guid="[^"]+"/g, '').replace(/ origin="[^"]+"/, '');

describe("the app's own export re-imports as the same codebook", () => {
  it('keeps every name, definition, include, exclude, colour, nesting and number, and exports identically', async () => {
    // Nest two codes first, so the export has sub-codes (the codebook as shipped is flat).
    const shipped = await getCodebook(models(), 'care-crisis-drivers');
    await moveCode(models(), shipped.id, shipped.codes[1]!.codeId, 'indent', 'lead@import.example');
    await moveCode(models(), shipped.id, shipped.codes[2]!.codeId, 'indent', 'lead@import.example');
    await moveCode(models(), shipped.id, shipped.codes[2]!.codeId, 'indent', 'lead@import.example');
    const exported = await lead.get('/reports/codebooks/care-crisis-drivers/qdc');
    expect(exported.status).toBe(200);
    const result = await importQdc(
      models(),
      { name: 'Care copy', id: 'care-copy', qdc: exported.text },
      'lead@import.example',
    );
    const original = await getCodebook(models(), 'care-crisis-drivers');
    expect(result).toEqual({ codebook: 'care-copy', codes: original.codes.length, warnings: [] });
    const copy = await getCodebook(models(), 'care-copy');
    expect(described(copy)).toEqual(described(original));
    expect(original.codes.some((code) => code.include) && original.codes.some((code) => code.exclude)).toBe(true);
    expect(original.codes.filter((code) => code.parentId).map((code) => code.key)).toEqual(['1.1', '1.1.1']);
    const again = await lead.get('/reports/codebooks/care-copy/qdc');
    expect(withoutIds(again.text)).toBe(withoutIds(exported.text));
  });

  it('refuses an id already taken, and records who imported what', async () => {
    const taken = importQdc(models(), { name: 'x', id: 'care-copy', qdc: fixture('taguette.qdc') }, 'someone');
    await expect(taken).rejects.toThrow('There is already a codebook "care-copy": choose another id');
    const history = await testApp.connection.collection('codebookchanges').find({ codebookId: 'care-copy' }).toArray();
    expect(history.map((change) => [change.action, change.by, change.warnings])).toEqual([
      ['imported', 'lead@import.example', []],
    ]);
    expect(await testApp.connection.collection('codes').countDocuments({ codebookId: 'care-copy' })).toBe(
      (await getCodebook(models(), 'care-crisis-drivers')).codes.length,
    );
  });
});

describe('the import form on the codebooks page', () => {
  it('is offered to leads only, and refuses analysts', async () => {
    expect((await lead.get('/codebooks')).text).toContain('action="/codebooks/import/qdc"');
    expect((await analyst.get('/codebooks')).text).not.toContain('/codebooks/import/qdc');
    const refused = await postForm(
      analyst,
      '/codebooks/import/qdc',
      { name: 'Sneaky', qdc: fixture('taguette.qdc') },
      '/codebooks',
    );
    expect(refused.status).toBe(403);
    expect(await testApp.connection.collection('codebooks').countDocuments({ _id: 'sneaky' as never })).toBe(0);
  });

  it('imports a Taguette file and shows its warnings and the codes that need a definition', async () => {
    const response = await postForm(
      lead,
      '/codebooks/import/qdc',
      { name: 'Taguette codes', id: '', qdc: fixture('taguette.qdc') },
      '/codebooks',
    );
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/codebooks/taguette-codes?saved=imported#codebook');
    const page = await lead.get(response.headers.location!);
    expect(page.text).toMatch(
      /<div class="notice" role="status"><p>Codebook imported.<\/p><p>What the import found in the file:<\/p><ul><li>The file has an empty &lt;Sets\/&gt;/,
    );
    expect(page.text).toContain(
      '3 codes have no description and were imported with an empty definition, for the team to fill in: housing, money worries',
    );
    expect(page.text.match(/<strong class="tag">needs a definition<\/strong>/g)).toHaveLength(2);
    expect(page.text).toContain('<span class="code-key">3</span> Travelling to appointments');
    // Only just after the import: the page itself does not keep repeating them.
    expect((await lead.get('/codebooks/taguette-codes')).text).not.toContain('What the import found');
  });

  it('refuses a file with a DTD, or one that is not XML, saying why, and saves nothing', async () => {
    const before = await testApp.connection.collection('codebooks').countDocuments();
    const dtd = await postForm(
      lead,
      '/codebooks/import/qdc',
      { name: 'Bomb', qdc: fixture('entities.qdc') },
      '/codebooks',
    );
    expect(dtd.status).toBe(400);
    expect(dtd.text).toContain('The file declares a DTD (&lt;!DOCTYPE&gt; or &lt;!ENTITY&gt;)');
    const csv = await postForm(
      lead,
      '/codebooks/import/qdc',
      { name: 'Sheet', qdc: fixture('not-xml.qdc') },
      '/codebooks',
    );
    expect(csv.status).toBe(400);
    expect(csv.text).toContain('The file is not readable XML');
    const empty = await postForm(lead, '/codebooks/import/qdc', { name: 'Nothing', qdc: '  ' }, '/codebooks');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Paste the contents of the .qdc file');
    const taken = await postForm(
      lead,
      '/codebooks/import/qdc',
      { name: 'Care', id: 'care-copy', qdc: fixture('nested.qdc') },
      '/codebooks',
    );
    expect(taken.status).toBe(409);
    expect(await testApp.connection.collection('codebooks').countDocuments()).toBe(before);
  });
});

describe('uploading a .qdc file on the codebooks page', () => {
  const upload = async (agent: request.Agent, file: string, fields: Record<string, string> = {}) => {
    const token = csrfFrom((await agent.get('/codebooks')).text);
    let post = agent.post('/codebooks/import/qdc-file').field('_csrf', fields._csrf ?? token);
    for (const [name, value] of Object.entries(fields)) if (name !== '_csrf') post = post.field(name, value);
    return post.attach('qdc', file);
  };

  it('makes a codebook named after the file, and shows what the import found', async () => {
    expect((await lead.get('/codebooks')).text).toContain(
      'action="/codebooks/import/qdc-file" enctype="multipart/form-data"',
    );
    const response = await upload(lead, fixturePath('taguette.qdc'), { id: 'uploaded-taguette' });
    expect(response.status, response.text.slice(0, 400)).toBe(303);
    expect(response.headers.location).toBe('/codebooks/uploaded-taguette?saved=imported#codebook');
    const page = await lead.get(response.headers.location!);
    expect(page.text).toContain('<h1 id="codebook">taguette</h1>');
    expect(page.text).toContain('The file has an empty &lt;Sets/&gt;');
  });

  it('refuses analysts, a forged token and a file with a DTD, and saves nothing', async () => {
    const before = await testApp.connection.collection('codebooks').countDocuments();
    expect((await upload(analyst, fixturePath('nested.qdc'), { id: 'by-analyst' })).status).toBe(403);
    expect((await upload(lead, fixturePath('nested.qdc'), { id: 'forged', _csrf: 'x'.repeat(32) })).status).toBe(403);
    const dtd = await upload(lead, fixturePath('entities.qdc'), { id: 'dtd' });
    expect(dtd.status).toBe(400);
    expect(dtd.text).toContain('The file declares a DTD');
    expect(await testApp.connection.collection('codebooks').countDocuments()).toBe(before);
  });
});

describe('the command line: codebook import --file PATH [--id ID]', () => {
  const cli = (...args: string[]) =>
    spawnSync('npm', ['run', '--silent', 'cli', '--', 'codebook', 'import', ...args], {
      cwd: projectRoot,
      encoding: 'utf8',
      env: { ...process.env, MONGODB_URI: `${inject('mongoUri').replace(/\/$/, '')}/${testApp.connection.name}` },
    });

  it('prints one JSON line and exits 0; the id comes from the file name unless given', async () => {
    const named = cli('--file', fixturePath('nested.qdc'));
    expect(named.status, named.stderr).toBe(0);
    expect(named.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(named.stdout)).toMatchObject({
      codebook: 'nested',
      codes: 5,
      warnings: expect.arrayContaining(['Sets are not kept by this app and were not imported: Family.']),
    });
    const given = cli('--file', fixturePath('nested.qdc'), '--id', 'welsh-codes');
    expect(given.status, given.stderr).toBe(0);
    expect(JSON.parse(given.stdout).codebook).toBe('welsh-codes');
    const book = await getCodebook(models(), 'welsh-codes');
    expect(book.name).toBe('nested');
    expect(book.codes.map((code) => [code.key, code.codeId, code.colour])).toEqual([
      ['1', 'iechyd-a-lles', '#FF0000'],
      ['1.1', 'gwr-a-gwraig', '#00aa00'],
      ['1.2', 'parents-worries', '#1d70b8'],
      ['1.3', 'parents-worries-2', '#505a5f'],
      ['2', 'ty-bach-dwr-a-than', '#0000ff'],
    ]);
  }, 60_000);

  it('exits 2 with a message for a refused file, a taken id, a missing file or a bad id', () => {
    for (const [args, message] of [
      [['--file', fixturePath('not-xml.qdc'), '--id', 'never-a'], 'not-xml.qdc: The file is not readable XML'],
      [['--file', fixturePath('entities.qdc'), '--id', 'never-b'], 'The file declares a DTD'],
      [['--file', fixturePath('no-codes.qdc'), '--id', 'never-c'], 'The codebook has no codes'],
      [['--file', fixturePath('project.qde'), '--id', 'never-d'], 'not a REFI-QDA codebook'],
      [['--file', fixturePath('nested.qdc'), '--id', 'welsh-codes'], 'There is already a codebook "welsh-codes"'],
      [['--file', fixturePath('missing.qdc')], 'File not found'],
      [['--file', fixturePath('nested.qdc'), '--id', 'Not An Id'], '--id "Not An Id" is not an id'],
      [[], '--file is required'],
    ] as const) {
      const run = cli(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(message);
    }
  }, 120_000);
});
