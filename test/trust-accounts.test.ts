import request from 'supertest';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LoginThrottle } from '../server/auth/throttle.js';
import { appOn, useTestApp } from './helpers/app.js';
import { PASSWORD, addUser, csrfFrom, postForm, signIn } from './helpers/office.js';

const throttle = { maxFailures: 3, windowMs: 60_000 };
const testApp = useTestApp({ throttle });

beforeAll(async () => {
  await addUser(testApp, 'admin@review.example', 'admin');
});
// Every request here comes from 127.0.0.1: each test starts with that address's allowance unused.
beforeEach(async () => {
  await testApp.connection.collection('loginattemptslots').deleteMany({});
});

async function attempt(app: typeof testApp.app, email: string, password: string, headers: Record<string, string> = {}) {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  let post = agent.post('/login').type('form');
  for (const [name, value] of Object.entries(headers)) post = post.set(name, value);
  return post.send({ email, password, _csrf: csrfFrom(page.text) });
}

describe('sign-in lock-out under attack', () => {
  it('lets 50 guesses sent at once check no more passwords than the limit', async () => {
    await addUser(testApp, 'parallel@review.example', 'analyst');
    const app = appOn(testApp.connection, { throttle });
    const pages = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const agent = request.agent(app);
        return { agent, csrf: csrfFrom((await agent.get('/login')).text) };
      }),
    );
    const responses = await Promise.all(
      pages.map(({ agent, csrf }, i) =>
        agent
          .post('/login')
          .type('form')
          .send({ email: 'parallel@review.example', password: `guess ${i}`, _csrf: csrf }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(throttle.maxFailures);
    expect(statuses.filter((status) => status === 429)).toHaveLength(50 - throttle.maxFailures);
    expect((await attempt(app, 'parallel@review.example', PASSWORD)).status).toBe(429);
  });

  it('counts a client address however X-Forwarded-For is spoofed, with no proxy configured', async () => {
    const app = appOn(testApp.connection, { throttle });
    const allowance = throttle.maxFailures * 4;
    for (let i = 0; i < allowance; i++) {
      expect(
        (await attempt(app, `nobody${i}@review.example`, 'wrong', { 'X-Forwarded-For': `198.51.100.${i}` })).status,
      ).toBe(401);
    }
    const spoofed = await attempt(app, 'someone-new@review.example', 'wrong', { 'X-Forwarded-For': '192.0.2.77' });
    expect(spoofed.status).toBe(429);
  });

  it('behind one proxy, takes the address the proxy saw, not what the client wrote', async () => {
    const app = appOn(testApp.connection, { throttle, trustProxy: 1 });
    const allowance = throttle.maxFailures * 4;
    // The proxy appends the real client (203.0.113.9) to whatever the client sent.
    for (let i = 0; i < allowance; i++) {
      expect(
        (await attempt(app, `proxied${i}@review.example`, 'wrong', { 'X-Forwarded-For': `10.0.0.${i}, 203.0.113.9` }))
          .status,
      ).toBe(401);
    }
    expect(
      (await attempt(app, 'proxied-new@review.example', 'wrong', { 'X-Forwarded-For': '10.9.9.9, 203.0.113.9' }))
        .status,
    ).toBe(429);
    // Another real client behind the same proxy is not affected.
    expect(
      (await attempt(app, 'proxied-new@review.example', 'wrong', { 'X-Forwarded-For': '203.0.113.10' })).status,
    ).toBe(401);
  });

  it('refuses to start with TRUST_PROXY=true, which would trust any client-written address', async () => {
    const { readEnvironment } = await import('../server/config.js');
    expect(() => readEnvironment({ TRUST_PROXY: 'true' })).toThrow(/number of proxies/);
    expect(readEnvironment({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(readEnvironment({}).TRUST_PROXY).toBe(0);
  });

  it('does not use up an office address with successful sign-ins', async () => {
    await addUser(testApp, 'busy@review.example', 'analyst');
    // More successful sign-ins from one address than its allowance of attempts: none is refused.
    for (let i = 0; i < throttle.maxFailures * 4 + 3; i++)
      expect((await attempt(testApp.app, 'busy@review.example', PASSWORD)).status).toBe(303);
  });
});

describe('account changes take effect on the next request', () => {
  it("refuses a disabled account's live session and its sign-in", async () => {
    const { id } = await addUser(testApp, 'leaver@review.example', 'analyst');
    const leaver = await signIn(testApp.app, 'leaver@review.example');
    expect((await leaver.get('/work')).status).toBe(200);
    const admin = await signIn(testApp.app, 'admin@review.example');
    const disabled = await postForm(admin, `/admin/users/${id}`, { role: 'analyst', disabled: '1' }, '/admin');
    expect(disabled.status).toBe(303);
    const next = await leaver.get('/work');
    expect(next.status).toBe(303);
    expect(next.headers.location).toBe('/login?next=%2Fwork');
    expect((await attempt(testApp.app, 'leaver@review.example', PASSWORD)).status).toBe(401);
    expect((await admin.get('/admin')).text).toMatch(/leaver@review.example <strong class="tag">disabled<\/strong>/);
  });

  it('gives and takes admin rights without signing out', async () => {
    const { id } = await addUser(testApp, 'promoted@review.example', 'analyst');
    const person = await signIn(testApp.app, 'promoted@review.example');
    expect((await person.get('/admin')).status).toBe(403);
    const admin = await signIn(testApp.app, 'admin@review.example');
    await postForm(admin, `/admin/users/${id}`, { role: 'admin' }, '/admin');
    expect((await person.get('/admin')).status).toBe(200);
    await postForm(admin, `/admin/users/${id}`, { role: 'analyst' }, '/admin');
    expect((await person.get('/admin')).status).toBe(403);
  });

  it('never removes or disables the last enabled admin', async () => {
    const admin = await signIn(testApp.app, 'admin@review.example');
    const self = await testApp.connection.collection('users').findOne({ email: 'admin@review.example' });
    const demoted = await postForm(admin, `/admin/users/${String(self!._id)}`, { role: 'analyst' }, '/admin');
    expect(demoted.status).toBe(400);
    expect(demoted.text).toContain('is the only enabled admin');
    const disabled = await postForm(
      admin,
      `/admin/users/${String(self!._id)}`,
      { role: 'admin', disabled: '1' },
      '/admin',
    );
    expect(disabled.status).toBe(400);
    expect((await admin.get('/admin')).status).toBe(200);
  });
});

describe('the allowance over a sliding window', () => {
  it('allows no more attempts in any window length, even when a burst straddles a window edge', async () => {
    const throttle = new LoginThrottle(testApp.connection, { maxFailures: 3, windowMs: 60_000 });
    const edge = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;
    const at = (offsetMs: number) => new Date(edge + offsetMs);
    const keys = ['email:edge@review.example'];
    for (const offset of [-3000, -2000]) await throttle.claim(keys, at(offset));
    // One left in this window length: two sent at once just after the edge, one gets it.
    const results = await Promise.allSettled([throttle.claim(keys, at(1000)), throttle.claim(keys, at(1000))]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    await expect(throttle.claim(keys, at(30_000))).rejects.toThrow(/Too many failed sign-in attempts/);
    // A minute after the first attempt, one slot is free again, and only one.
    await throttle.claim(keys, at(57_001));
    await expect(throttle.claim(keys, at(57_002))).rejects.toThrow(/Too many/);
  });
});
