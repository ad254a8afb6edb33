import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { appOn, useTestApp } from './helpers/app.js';
import { addUser, csrfFrom, postForm, signIn } from './helpers/office.js';

const testApp = useTestApp();
beforeAll(async () => {
  await addUser(testApp, 'analyst@review.example', 'analyst');
  await addUser(testApp, 'lead@review.example', 'lead');
});

describe('one error path', () => {
  it('answers a client that asks for JSON with JSON, and a browser with a page', async () => {
    const json = await request(testApp.app).get('/no/such/page').set('Accept', 'application/json');
    expect(json.status).toBe(404);
    expect(json.body).toEqual({
      error: { status: 404, title: 'Page not found', message: 'We could not find that page.', issues: [] },
    });
    const page = await request(testApp.app).get('/no/such/page').set('Accept', 'text/html');
    expect(page.status).toBe(404);
    expect(page.text).toContain('<h1>Page not found</h1>');
  });

  it('lists every problem with a back-office form, field by field, in the back-office layout', async () => {
    const lead = await signIn(testApp.app, 'lead@review.example');
    const response = await postForm(
      lead,
      '/codebooks/care-crisis-drivers/codes',
      { name: '', definition: '', colour: 'red' },
      '/codebooks/care-crisis-drivers',
    );
    expect(response.status).toBe(400);
    expect(response.text).toContain('Sign out');
    expect(response.text).toContain('name: Enter a name for the code');
    expect(response.text).toContain('definition: Enter a definition');
    expect(response.text).toContain('colour: ');
    const json = await lead
      .post('/codebooks/care-crisis-drivers/codes')
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrfFrom((await lead.get('/codebooks/care-crisis-drivers')).text), name: '' });
    expect(json.status).toBe(400);
    expect(json.body.error.issues.map((issue: { field: string }) => issue.field)).toEqual(['name', 'definition']);
  });

  it('sends rate-limit refusals through the handler: a page in the site layout, with Retry-After', async () => {
    const limited = appOn(testApp.connection, { rateLimits: { publicPostsPerMinute: 1, loginsPerMinute: 1 } });
    await request(limited).post('/s/family').type('form').send('consent=yes');
    const refused = await request(limited).post('/s/family').type('form').send('consent=yes');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.headers['content-type']).toContain('text/html');
    expect(refused.text).toContain('You have sent a great many answers');
    expect(refused.text).toContain('<html lang="en">');
  });

  it('sends a CSRF refusal through the handler too', async () => {
    const response = await request(testApp.app)
      .post('/logout')
      .set('Accept', 'application/json')
      .type('form')
      .send('a=b');
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain('This form has expired');
  });
});

describe('errors under /public', () => {
  it('show the site error page, never a stack trace or a server path', async () => {
    for (const url of ['/public/x', '/public/%ZZ', '/public/css/../../server/app.ts']) {
      const response = await request(testApp.app).get(url);
      expect([400, 403, 404], url).toContain(response.status);
      expect(response.text, url).toContain('<html lang="en">');
      expect(response.text, url).not.toMatch(/ReferenceError|node_modules|\/views\/|at [A-Za-z]+ \(/);
    }
  });
});
