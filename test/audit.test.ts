import fs from 'node:fs';
import path from 'node:path';
import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditModel, type AuditEntry } from '../server/audit/model.js';
import { record } from '../server/audit/service.js';
import { responseReference } from '../server/surveys/responses/reference.js';
import { useTestApp } from './helpers/app.js';
import { addUser, csrfFrom, PASSWORD, postForm, seedCodings, seedResponses, signIn } from './helpers/office.js';
import { answerForms, base, view } from './helpers/workbench.js';
import supertest from 'supertest';

/** Each audited action writes one entry, with who and when; no entry holds an answer's words. */

const testApp = useTestApp({ throttle: { maxFailures: 3, windowMs: 15 * 60 * 1000 } });
const answers = [
  'Cuts to early help mean families reach crisis. Jane Smith waited a year.',
  'Caseloads are too high and thresholds keep rising.',
];
let ids: string[];
let admin: request.Agent;
let lead: request.Agent;
let analyst: request.Agent;
let anaId: string;
let benId: string;
const { at } = answerForms(() => ids);

const entries = () => auditModel(testApp.connection).find({}).sort({ at: 1, _id: 1 }).lean<AuditEntry[]>();

/** Does `action`, then finds exactly one new entry of `kind`, by `actor`, made meanwhile. */
async function expectOneEntry(kind: string, actor: string, action: () => Promise<unknown>): Promise<AuditEntry> {
  const before = (await entries()).length;
  const started = Date.now();
  await action();
  const added = (await entries()).slice(before);
  expect(added.map((entry) => entry.action)).toEqual([kind]);
  const [entry] = added;
  expect(entry!.actor).toBe(actor);
  expect(entry!.at.getTime()).toBeGreaterThanOrEqual(started - 5);
  expect(entry!.at.getTime()).toBeLessThanOrEqual(Date.now());
  return entry!;
}

beforeAll(async () => {
  await addUser(testApp, 'admin@review.example', 'admin');
  await addUser(testApp, 'lea@review.example', 'lead');
  anaId = (await addUser(testApp, 'ana@review.example', 'analyst')).id;
  benId = (await addUser(testApp, 'ben@review.example', 'analyst')).id;
  admin = await signIn(testApp.app, 'admin@review.example');
  lead = await signIn(testApp.app, 'lea@review.example');
  analyst = await signIn(testApp.app, 'ana@review.example');
  ids = await seedResponses(
    testApp,
    'professionals',
    answers.map((text) => ({ role: 'barrister', country: 'england', quote_consent: 'yes', drivers_text: text })),
  );
  await seedCodings(testApp, [
    { responseId: ids[0]!, coderId: anaId, codeId: 'austerity' },
    { responseId: ids[0]!, coderId: benId, codeId: 'risk-aversion' },
    { responseId: ids[1]!, coderId: anaId, codeId: 'austerity' },
  ]);
  // A passage coded and starred, so quotes and codings downloads carry answer text.
  expect((await postForm(analyst, `${base}/${ids[0]}/star`, { starred: '1', view }, at(0))).status).toBe(303);
});

describe('the audit trail', () => {
  it('records a sign-in', async () => {
    const entry = await expectOneEntry('sign-in', 'ben@review.example', () =>
      signIn(testApp.app, 'ben@review.example'),
    );
    expect(entry.target).toBe('ben@review.example');
  });

  it('records a lock-out, once per refused attempt, and never the password', async () => {
    const agent = supertest.agent(testApp.app);
    const attempt = async (password: string) => {
      const token = csrfFrom((await agent.get('/login')).text);
      return agent.post('/login').type('form').send({ email: 'ana@review.example', password, _csrf: token });
    };
    for (let i = 0; i < 3; i++) expect((await attempt('wrong guess number')).status).toBe(401);
    const entry = await expectOneEntry('sign-in.locked', 'ana@review.example', async () => {
      expect((await attempt(PASSWORD)).status).toBe(429);
    });
    expect(JSON.stringify(entry)).not.toContain('wrong guess');
    expect(JSON.stringify(entry)).not.toContain(PASSWORD);
  });

  it('names a lock-out by what was typed only if it is an account: never a password typed as the email', async () => {
    const agent = supertest.agent(testApp.app);
    const typed = 'My Secret Pass 2026';
    const attempt = async () => {
      const token = csrfFrom((await agent.get('/login')).text);
      return agent.post('/login').type('form').send({ email: typed, password: 'x', _csrf: token });
    };
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    const entry = await expectOneEntry('sign-in.locked', 'unknown address', async () => {
      expect((await attempt()).status).toBe(429);
    });
    expect(JSON.stringify(entry).toLowerCase()).not.toContain(typed.toLowerCase());
  });

  it('records accounts added and changed', async () => {
    let userId = '';
    await expectOneEntry('user.created', 'admin@review.example', async () => {
      const response = await postForm(
        admin,
        '/admin/users',
        { email: 'new@review.example', password: 'another long password', role: 'analyst' },
        '/admin',
      );
      expect(response.status).toBe(303);
      userId = /account=([a-f0-9]{24})/.exec(response.headers.location as string)![1]!;
    });
    const entry = await expectOneEntry('user.changed', 'admin@review.example', async () => {
      const response = await postForm(admin, `/admin/users/${userId}`, { role: 'lead', disabled: '1' }, '/admin');
      expect(response.status).toBe(303);
    });
    expect(entry).toMatchObject({ target: 'new@review.example', detail: { role: 'lead', disabled: true } });
  });

  it('records new survey dates', async () => {
    const entry = await expectOneEntry('survey.dates', 'admin@review.example', async () => {
      const response = await postForm(
        admin,
        '/admin/surveys/family/dates',
        { opens: '2026-01-01', closes: '2027-12-31' },
        '/admin',
      );
      expect(response.status).toBe(303);
    });
    expect(entry).toMatchObject({ target: 'family', detail: { opens: '2026-01-01', closes: '2027-12-31' } });
  });

  it('records every download of raw data', async () => {
    const downloads: [string, string][] = [
      ['/admin/exports/professionals/responses.csv', 'download.responses'],
      ['/admin/exports/professionals/responses.json', 'download.responses'],
      ['/admin/exports/professionals/drivers_text/codings.csv', 'download.codings'],
      ['/admin/quotes/professionals/drivers_text', 'download.quotes'],
      ['/admin/exports/professionals/project.qdpx', 'download.project'],
      ['/admin/audit.csv', 'download.audit'],
    ];
    for (const [url, kind] of downloads) {
      const entry = await expectOneEntry(kind, 'admin@review.example', async () => {
        const response = await admin.get(url);
        expect(response.status, url).toBe(200);
      });
      expect(entry.target).toMatch(/professionals|audit trail/);
    }
  });

  it('records a reconciliation, with the answer id but not its words', async () => {
    const entry = await expectOneEntry('reconcile', 'lea@review.example', async () => {
      const response = await postForm(
        lead,
        `/lead/reconcile/professionals/drivers_text/${ids[0]}`,
        { codebook: 'care-crisis-drivers', codes: 'austerity' },
        `/lead/reconcile/professionals/drivers_text?${view}`,
      );
      expect(response.status).toBe(303);
    });
    expect(entry).toMatchObject({
      target: 'professionals/drivers_text',
      detail: { response: responseReference(ids[0]!) },
    });
  });

  it('records a codebook import and a merge and its undoing', async () => {
    const qdc = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'qdc', 'nested.qdc'), 'utf8');
    const imported = await expectOneEntry('codebook.import', 'lea@review.example', async () => {
      const response = await postForm(
        lead,
        '/codebooks/import/qdc',
        { name: 'Audited', id: 'audited', qdc },
        '/codebooks',
      );
      expect(response.status).toBe(303);
    });
    expect(imported.target).toBe('audited');
    const book = '/codebooks/care-crisis-drivers';
    const merged = await expectOneEntry('codebook.merge', 'lea@review.example', async () => {
      const response = await postForm(lead, `${book}/merge`, { from: 'risk-aversion', into: 'austerity' }, book);
      expect(response.status).toBe(303);
    });
    expect(merged).toMatchObject({
      target: 'care-crisis-drivers',
      detail: { from: 'risk-aversion', into: 'austerity' },
    });
    const undo = /action="([^"]+\/undo)"/.exec((await lead.get(book)).text)![1]!;
    await expectOneEntry('codebook.unmerge', 'lea@review.example', async () => {
      expect((await postForm(lead, undo, {}, book)).status).toBe(303);
    });
  });

  it('is listed, filtered and downloaded by admins only', async () => {
    expect((await lead.get('/admin/audit')).status).toBe(403);
    expect((await lead.get('/admin/audit.csv')).status).toBe(403);
    expect((await supertest(testApp.app).get('/admin/audit')).status).toBe(303);
    expect((await admin.get('/admin')).text).toContain('href="/admin/audit"');

    const all = (await admin.get('/admin/audit')).text;
    expect(all.slice(all.indexOf('id="audit-table"'))).toContain('Downloaded raw responses');
    expect(all).toContain('lea@review.example');
    const filtered = (await admin.get('/admin/audit?action=codebook.merge&actor=lea@review.example')).text;
    expect(filtered).toContain('id="audit-count">1 entry');
    expect(filtered).toContain('from=risk-aversion; into=austerity');
    const rows = filtered.slice(filtered.indexOf('id="audit-table"'));
    expect(rows).not.toContain('Downloaded raw responses');
    expect(rows.match(/<tr>/g)).toHaveLength(2); // the header and one entry
    const none = (await admin.get('/admin/audit?from=2001-01-01&to=2001-12-31')).text;
    expect(none).toContain('Nothing in the audit trail matches these filters.');

    const csv = await admin.get('/admin/audit.csv?action=sign-in');
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('at,actor,action,target,detail');
    expect(lines.slice(1).every((line) => line.includes(',sign-in,'))).toBe(true);
    expect(lines.length - 1).toBe((await entries()).filter((entry) => entry.action === 'sign-in').length);
  });

  it('holds no answer text, and refuses a long value that could be one', async () => {
    const everything = JSON.stringify(await entries());
    for (const text of answers) {
      expect(everything).not.toContain(text);
      for (const words of text.split(/[.,]/).filter((part) => part.trim().length > 12))
        expect(everything).not.toContain(words.trim());
    }
    await expect(
      record(testApp.connection, { actor: 'x', action: 'test', target: '', detail: { text: 'a'.repeat(201) } }),
    ).rejects.toThrow();
  });
});
