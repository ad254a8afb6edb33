import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { unzipSync, strFromU8 } from 'fflate';
import type request from 'supertest';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { projectRoot } from '../server/config.js';
import { ChangeCounters, codebookCounterKey } from '../server/db/change-counter.js';
import { useTestApp } from './helpers/app.js';
import { addUser, seedCodings, seedResponses, signIn } from './helpers/office.js';
import { signInTeam, type Team } from './helpers/workbench.js';

const testApp = useTestApp();
const schema = fs.readFileSync(path.join(projectRoot, 'server', 'reports', 'refi-qda', 'Project.xsd'), 'utf8');

// A character outside the Basic Multilingual Plane (two UTF-16 units, one code point) before a coded passage.
const FAMILY = 'Families 👪 face rising poverty and housing costs';
const COURTS = 'Court delays, and fewer social workers';
const DRAFT = 'A draft answer nobody submitted';

const binary = (response: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
};

async function download(agent: request.Agent): Promise<Buffer> {
  const response = await agent.get('/admin/exports/professionals/project.qdpx').buffer(true).parse(binary);
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toBe('application/zip');
  expect(response.headers['content-disposition']).toContain('professionals-project.qdpx');
  return response.body as Buffer;
}

const attributes = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]!, match[2]!]));

/** Each selection as [user, code, the words its code-point offsets pick out of its source file]. */
function selections(files: Record<string, Uint8Array>) {
  const xml = strFromU8(files['project.qde']!);
  const users = new Map(
    [...xml.matchAll(/<User [^>]*>/g)].map(([tag]) => [attributes(tag).guid, attributes(tag).name]),
  );
  const codes = new Map(
    [...xml.matchAll(/<Code [^>]*>/g)].map(([tag]) => [attributes(tag).guid, attributes(tag).name]),
  );
  return [...xml.matchAll(/<TextSource ([^>]*)>([\s\S]*?)<\/TextSource>/g)].flatMap(([, tag, body]) => {
    const entry = attributes(`<${tag}>`).plainTextPath!.replace('internal://', 'Sources/');
    const text = [...strFromU8(files[entry]!)];
    return [...body!.matchAll(/<PlainTextSelection ([^>]*)>[\s\S]*?<CodeRef targetGUID="([^"]+)"/g)].map(
      ([, selection, code]) => {
        const { startPosition, endPosition, creatingUser } = attributes(`<${selection}>`);
        return [
          users.get(creatingUser),
          codes.get(code),
          text.slice(Number(startPosition), Number(endPosition)).join(''),
        ];
      },
    );
  });
}

describe('the REFI-QDA project export (.qdpx)', () => {
  let team: Team;
  let ids: string[];
  let benId: string;

  beforeAll(async () => {
    team = await signInTeam(testApp);
    benId = String((await testApp.connection.collection('users').findOne({ email: 'ben@review.example' }))!._id);
    ids = await seedResponses(testApp, 'professionals', [
      { role: 'social-worker', country: 'wales', drivers_text: FAMILY, barriers_text: 'Distrust' },
      { role: 'team-manager', drivers_text: COURTS },
    ]);
    await testApp.responses.insertMany([
      {
        _id: new mongoose.Types.ObjectId(),
        surveyId: 'professionals',
        surveyVersion: 1,
        tokenHash: 'a-draft',
        status: 'draft',
        language: 'en',
        answers: { consent: 'yes', drivers_text: DRAFT },
        otherText: {},
        finishedPages: [],
      },
    ]);
    // A sub-code, to see the hierarchy kept.
    await testApp.connection
      .collection('codes')
      .updateOne({ _id: 'care-crisis-drivers/austerity' as never }, { $set: { parentId: 'system-overload' } });
    await new ChangeCounters(testApp.connection).bump(codebookCounterKey('care-crisis-drivers'));
    const passage = FAMILY.indexOf('housing costs');
    await seedCodings(testApp, [
      { responseId: ids[0]!, coderId: team.anaId, codeId: 'austerity' },
      {
        responseId: ids[0]!,
        coderId: benId,
        codeId: 'austerity',
        start: passage,
        end: passage + 'housing costs'.length,
      },
      { responseId: ids[0]!, coderId: 'final', codeId: 'austerity' },
      { responseId: ids[1]!, coderId: team.anaId, codeId: 'system-overload', start: 0, end: 'Court delays'.length },
      { responseId: ids[1]!, coderId: benId, codeId: '_none' },
    ]);
    await testApp.connection.collection('answernotes').insertOne({
      _id: `professionals:drivers_text:${ids[0]}:${team.anaId}` as never,
      memo: 'Poverty & <housing>',
      updatedAt: new Date(),
    });
  });

  it('validates against the REFI-QDA Project schema, and the schema refuses a broken one', async () => {
    const files = unzipSync(await download(team.admin));
    const xml = strFromU8(files['project.qde']!);
    const check = (contents: string) =>
      validateXML({
        xml: [{ fileName: 'project.qde', contents }],
        schema: [{ fileName: 'Project.xsd', contents: schema }],
      });
    const result = await check(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect((await check(xml.replace(/ startPosition="\d+"/, ''))).valid).toBe(false);
  });

  it('holds each coding as a selection whose code-point offsets pick out exactly the coded words', async () => {
    const files = unzipSync(await download(team.admin));
    expect(selections(files).sort()).toEqual(
      [
        ['ana@review.example', 'Austerity, cuts and deprivation', FAMILY],
        ['ben@review.example', 'Austerity, cuts and deprivation', 'housing costs'],
        ['reconciled', 'Austerity, cuts and deprivation', FAMILY],
        ['ana@review.example', 'System overload', 'Court delays'],
      ].sort(),
    );
    const xml = strFromU8(files['project.qde']!);
    // The passage starts after one code point for the emoji, not the two UTF-16 units the app stores.
    const start = [...FAMILY].length - 'housing costs'.length;
    expect(xml).toContain(`startPosition="${start}" endPosition="${start + 13}"`);
    expect(FAMILY.indexOf('housing costs')).toBe(start + 1);
  });

  it('lists the coders and the reconciled user, the codebook with its hierarchy, memos and respondents', async () => {
    const xml = strFromU8(unzipSync(await download(team.admin))['project.qde']!);
    expect([...xml.matchAll(/<User [^>]*name="([^"]+)"/g)].map((match) => match[1])).toEqual([
      'ana@review.example',
      'ben@review.example',
      'reconciled',
    ]);
    expect(xml).toMatch(
      /<Code [^>]*name="System overload" isCodable="true" color="#[0-9a-fA-F]{6}">\s*<Description>[^<]+<\/Description>\s*<Code [^>]*name="Austerity, cuts and deprivation"/,
    );
    expect(xml).toMatch(
      /<Note [^>]*name="Memo by ana@review.example on [^"]+"[^>]*>\s*<PlainTextContent>Poverty &amp; &lt;housing&gt;</,
    );
    expect(xml).toMatch(
      new RegExp(
        `<Case [^>]*name="Respondent ${ids[0]}">\\s*<VariableValue>\\s*<VariableRef [^>]*/>\\s*<TextValue>Social worker</TextValue>\\s*</VariableValue>\\s*<VariableValue>\\s*<VariableRef [^>]*/>\\s*<TextValue>Wales</TextValue>`,
      ),
    );
    expect(xml).toMatch(/<Variable [^>]*name="role" typeOfVariable="Text">/);
    // Submitted responses only: the draft is not a source, and nothing is coded "no code applies".
    expect(xml).not.toContain('_none');
    expect(xml.match(/<TextSource /g)).toHaveLength(3);
  });

  it('writes each source as UTF-8 without a byte-order mark', async () => {
    const files = unzipSync(await download(team.admin));
    const texts = Object.entries(files).filter(([name]) => /^Sources\/[0-9a-f-]{36}\.txt$/.test(name));
    expect(texts).toHaveLength(3);
    for (const [, bytes] of texts) expect([...bytes.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(texts.map(([, bytes]) => strFromU8(bytes)).sort()).toEqual([COURTS, 'Distrust', FAMILY].sort());
    expect(Object.values(files).some((bytes) => strFromU8(bytes).includes(DRAFT))).toBe(false);
  });

  it('gives the same bytes every time, and the command line gives the same file', async () => {
    const first = await download(team.admin);
    expect((await download(team.admin)).equals(first)).toBe(true);
    const run = spawnSync(
      'npm',
      ['run', '--silent', 'cli', '--', 'project', '--survey', 'professionals', '--format', 'qdpx'],
      {
        cwd: projectRoot,
        env: { ...process.env, MONGODB_URI: `${inject('mongoUri').replace(/\/$/, '')}/${testApp.connection.name}` },
      },
    );
    expect(run.status, String(run.stderr)).toBe(0);
    expect(Buffer.from(run.stdout).equals(first)).toBe(true);
  }, 60_000);

  it('is for admins only', async () => {
    await addUser(testApp, 'lead@review.example', 'lead');
    const lead = await signIn(testApp.app, 'lead@review.example');
    for (const agent of [team.ana, lead]) {
      expect((await agent.get('/admin/exports/professionals/project.qdpx')).status).toBe(403);
      expect((await agent.get('/reports/professionals')).text).not.toContain('project.qdpx');
    }
    expect((await team.admin.get('/reports/professionals')).text).toContain(
      '/admin/exports/professionals/project.qdpx',
    );
    expect((await team.admin.get('/admin')).text).toContain('/admin/exports/professionals/project.qdpx');
  });

  it('refuses an unknown survey or format on the command line', () => {
    for (const [args, message] of [
      [['--survey', 'nope'], 'Unknown survey "nope"'],
      [['--survey', 'professionals', '--format', 'zip'], 'Unknown format "zip"'],
      [[], '--survey is required'],
    ] as const) {
      const run = spawnSync('npm', ['run', '--silent', 'cli', '--', 'project', ...args], {
        cwd: projectRoot,
        encoding: 'utf8',
      });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
  }, 60_000);
});
