import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { addUser, csrfFrom, postForm, signIn } from './helpers/office.js';
import { concrete, registeredRoutes } from './helpers/routes.js';

/** Who may do what with codebooks: everyone in the back office reads them; only leads and admins change them. */
const testApp = useTestApp();
let analyst: request.Agent;
let lead: request.Agent;
let admin: request.Agent;
beforeAll(async () => {
  await addUser(testApp, 'analyst@review.example', 'analyst');
  await addUser(testApp, 'lead@review.example', 'lead');
  await addUser(testApp, 'admin@review.example', 'admin');
  analyst = await signIn(testApp.app, 'analyst@review.example');
  lead = await signIn(testApp.app, 'lead@review.example');
  admin = await signIn(testApp.app, 'admin@review.example');
});

const book = '/codebooks/care-crisis-drivers';
const changeRoutes = () =>
  registeredRoutes(testApp.app).filter((route) => route.path.startsWith('/codebooks') && route.method === 'post');
/** A body each change route would act on if it were let through. */
const fields: Record<string, string> = {
  name: 'Intruder',
  definition: 'Should never be saved.',
  description: 'Should never be saved.',
  colour: '#112233',
  move: 'down',
  from: 'austerity',
  into: 'workforce',
};
const history = async () =>
  testApp.connection.collection('codebookchanges').countDocuments({ action: { $ne: 'seeded' } });
const codebookCount = async () => testApp.connection.collection('codebooks').countDocuments();

describe('reading codebooks', () => {
  it('lets an analyst read the list and a codebook, with no form to change anything', async () => {
    const list = await analyst.get('/codebooks');
    expect(list.status).toBe(200);
    expect(list.text).toContain('What is driving the rise in care proceedings');
    expect(list.text).not.toContain('Create a codebook');
    const page = await analyst.get(book);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<span class="code-key">2</span> Austerity, cuts and deprivation');
    expect(page.text).toContain('Only leads can change a codebook.');
    for (const form of ['/codes"', '/move"', '/retire"', '/merge/preview"', `action="${book}"`, 'Add a code'])
      expect(page.text, form).not.toContain(form);
  });

  it('shows a lead every form', async () => {
    const list = await lead.get('/codebooks');
    expect(list.text).toContain('Create a codebook');
    const page = await lead.get(book);
    for (const form of [`${book}/codes"`, '/move"', '/retire"', `${book}/merge/preview"`, `action="${book}"`])
      expect(page.text, form).toContain(form);
    expect(page.text).not.toContain('Only leads can change a codebook.');
  });

  it('sends visitors to sign in, trailing slash included', async () => {
    for (const url of ['/codebooks', '/codebooks/', book, `${book}/`]) {
      const response = await request(testApp.app).get(url);
      expect(response.status, url).toBe(303);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
  });
});

describe('changing codebooks', () => {
  it('has a change route for each action, every one behind the lead guard', () => {
    expect(changeRoutes().map((route) => route.path)).toEqual([
      '/codebooks/import/qdc-file',
      '/codebooks',
      '/codebooks/import/qdc',
      '/codebooks/:codebookId',
      '/codebooks/:codebookId/codes',
      '/codebooks/:codebookId/codes/:codeId',
      '/codebooks/:codebookId/codes/:codeId/retire',
      '/codebooks/:codebookId/codes/:codeId/move',
      '/codebooks/:codebookId/merge/preview',
      '/codebooks/:codebookId/merge',
      '/codebooks/:codebookId/history/:changeId/undo',
    ]);
  });

  it('refuses an analyst every change, with a valid form token, trailing slash included, and saves nothing', async () => {
    const before = [await history(), await codebookCount()];
    for (const route of changeRoutes()) {
      for (const url of [concrete(route.path), `${concrete(route.path)}/`]) {
        const response = await postForm(analyst, url, fields, book);
        expect(response.status, url).toBe(403);
        expect(response.text).toContain('Your account does not have access to this page.');
      }
    }
    // The merge preview is a page of its own: an analyst cannot reach it by GET either.
    expect((await analyst.get(`${book}/merge/preview`)).status).toBe(403);
    expect([await history(), await codebookCount()]).toEqual(before);
  });

  it('finds nothing for an analyst or a lead under other spellings of the change routes', async () => {
    const spellings = (path: string) => [
      path.replace('/codebooks', '/Codebooks'),
      path.replace('/codebooks', '/CODEBOOKS'),
      path.replace('/codebooks', '/%63odebooks'),
      path.replace('/codebooks', '/codebook'),
    ];
    const before = await history();
    for (const agent of [analyst, lead]) {
      for (const route of changeRoutes()) {
        for (const url of spellings(concrete(route.path))) {
          const response = await postForm(agent, url, fields, book);
          expect(response.status, url).toBe(404);
        }
      }
    }
    expect(await history()).toBe(before);
  });

  it('refuses other methods on the codebook routes, for every role', async () => {
    const before = [await history(), await codebookCount()];
    for (const agent of [analyst, lead, admin]) {
      const csrf = csrfFrom((await agent.get(book)).text);
      for (const url of ['/codebooks', book, `${book}/codes`, `${book}/codes/austerity`, `${book}/merge`]) {
        for (const method of ['put', 'patch', 'delete'] as const) {
          const response = await agent[method](url).set('x-csrf-token', csrf).type('form').send({ name: 'Intruder' });
          // An analyst is refused by the leads' guard; for a lead or an admin there is no such route.
          expect(response.status, `${method} ${url}`).toBe(agent === analyst ? 403 : 404);
        }
      }
    }
    expect([await history(), await codebookCount()]).toEqual(before);
  });

  it('refuses a change without the form token, whatever the role', async () => {
    for (const agent of [analyst, lead]) {
      const response = await agent.post(`${book}/codes/austerity/retire`).type('form').send({});
      expect(response.status).toBe(403);
      expect(response.text).toContain('This form has expired');
    }
    expect(await history()).toBe(0);
  });

  it('refuses visitors every change (401), trailing slash included', async () => {
    for (const route of changeRoutes()) {
      for (const url of [concrete(route.path), `${concrete(route.path)}/`]) {
        const response = await request(testApp.app).post(url).type('form').send(fields);
        expect(response.status, url).toBe(401);
      }
    }
  });

  it('lets a lead and an admin change a codebook, recording who did it', async () => {
    const byLead = await postForm(lead, `${book}/codes/austerity/retire`, {}, book);
    expect(byLead.status).toBe(303);
    expect(byLead.headers.location).toBe(`${book}?saved=retired&code=austerity#code-austerity`);
    const byAdmin = await postForm(admin, `${book}/codes/austerity/retire`, { restore: '1' }, book);
    expect(byAdmin.status).toBe(303);
    const page = await analyst.get(book);
    expect(page.text).toMatch(/<td>admin@review.example<\/td><td>restored<\/td><td>austerity<\/td>/);
    expect(page.text).toMatch(/<td>lead@review.example<\/td><td>retired<\/td><td>austerity<\/td>/);
  });
});
