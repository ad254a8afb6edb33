import { execFileSync, spawnSync } from 'node:child_process';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { projectRoot } from '../server/config.js';
import { useTestApp } from './helpers/app.js';
import { PASSWORD, addUser, csrfFrom, postForm, signIn } from './helpers/office.js';

const testApp = useTestApp({ throttle: { maxFailures: 3, windowMs: 60_000 } });
beforeAll(async () => {
  await addUser(testApp, 'admin@review.example', 'admin');
  await addUser(testApp, 'analyst@review.example', 'analyst');
});

function sessionCookie(response: request.Response): string | undefined {
  const cookies = response.headers['set-cookie'] as unknown as string[] | undefined;
  return cookies?.find((cookie) => cookie.startsWith('sid='));
}

describe('signing in and out', () => {
  it('signs in with the right password, with a new session id and safe cookie flags', async () => {
    const agent = request.agent(testApp.app);
    const page = await agent.get('/login');
    const before = sessionCookie(page);
    expect(before).toMatch(/HttpOnly/);
    expect(before).toMatch(/SameSite=Lax/);
    const response = await agent
      .post('/login')
      .type('form')
      .send({ email: 'Analyst@Review.example ', password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/work');
    const after = sessionCookie(response);
    expect(after?.split(';')[0]).not.toBe(before?.split(';')[0]);
    const work = await agent.get('/work');
    expect(work.status).toBe(200);
    expect(work.text).toContain('Choose what to code');
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const agent = request.agent(testApp.app);
    const page = await agent.get('/login');
    const response = await agent
      .post('/login')
      .type('form')
      .send({ email: 'analyst@review.example', password: 'not the password', _csrf: csrfFrom(page.text) });
    expect(response.status).toBe(401);
    expect(response.text).toContain('The email or password is not right.');
    expect((await agent.get('/work')).status).toBe(303);
  });

  it('signs out: the session no longer opens the back office', async () => {
    const agent = await signIn(testApp.app, 'analyst@review.example');
    const logout = await postForm(agent, '/logout', {});
    expect(logout.status).toBe(303);
    const work = await agent.get('/work');
    expect(work.status).toBe(303);
    expect(work.headers.location).toBe('/login?next=%2Fwork');
  });

  it('locks an account after repeated failures, even against the right password', async () => {
    await addUser(testApp, 'target@review.example', 'analyst');
    const attempt = async (password: string) => {
      const agent = request.agent(testApp.app);
      const page = await agent.get('/login');
      return agent
        .post('/login')
        .type('form')
        .send({ email: 'target@review.example', password, _csrf: csrfFrom(page.text) });
    };
    for (let i = 0; i < 3; i++) expect((await attempt(`wrong ${i}`)).status).toBe(401);
    const locked = await attempt(PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Too many failed sign-in attempts');
  });

  it('refuses a sign-in whose fields are not text, without crashing', async () => {
    const agent = request.agent(testApp.app);
    const page = await agent.get('/login');
    const response = await agent
      .post('/login')
      .send({ email: 'analyst@review.example', password: { $gt: '' }, _csrf: csrfFrom(page.text) });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Enter your email address and password.');
  });

  it('refuses a form without its CSRF token', async () => {
    const agent = request.agent(testApp.app);
    await agent.get('/login');
    const noToken = await agent
      .post('/login')
      .type('form')
      .send({ email: 'analyst@review.example', password: PASSWORD });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('This form has expired or did not come from this site');

    const signedIn = await signIn(testApp.app, 'admin@review.example');
    const forged = await signedIn
      .post('/admin/users')
      .type('form')
      .send({ email: 'evil@example.org', password: 'x'.repeat(20), role: 'admin', _csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(await testApp.connection.collection('users').countDocuments({ email: 'evil@example.org' })).toBe(0);
  });
});

describe('creating the first admin from the command line', () => {
  it('reads the password from stdin, never from the arguments', () => {
    const env = { ...process.env, MONGODB_URI: `${inject('mongoUri').replace(/\/$/, '')}/${testApp.connection.name}` };
    const output = execFileSync(
      'npm',
      ['run', '--silent', 'cli', '--', 'create-user', '--email', 'first@review.example', '--role', 'admin'],
      {
        cwd: projectRoot,
        env,
        input: 'a very long admin password\n',
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(output)).toEqual({ created: 'first@review.example', role: 'admin' });
    const refused = spawnSync(
      'npm',
      [
        'run',
        '--silent',
        'cli',
        '--',
        'create-user',
        '--email',
        'x@review.example',
        '--role',
        'admin',
        '--password',
        'secret',
      ],
      {
        cwd: projectRoot,
        env,
        input: '',
        encoding: 'utf8',
      },
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Do not pass the password as an argument');
  }, 60_000);

  it('lets that admin sign in', async () => {
    const agent = await signIn(testApp.app, 'first@review.example', 'a very long admin password');
    expect((await agent.get('/admin')).status).toBe(200);
  });
});
