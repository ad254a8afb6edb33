import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { addUser, csrfFrom, signIn } from './helpers/office.js';
import { concrete, registeredRoutes } from './helpers/routes.js';

const testApp = useTestApp();
beforeAll(async () => {
  await addUser(testApp, 'admin@review.example', 'admin');
  await addUser(testApp, 'analyst@review.example', 'analyst');
  await addUser(testApp, 'lead@review.example', 'lead');
});

const publicRoutes = new Set([
  'get /',
  'get /help',
  'get /accessibility',
  'get /login',
  'post /login',
  'post /logout',
  'get /s/:surveyId',
  'post /s/:surveyId',
  'get /s/:surveyId/r/:token',
  'get /s/:surveyId/r/:token/p/:pageId',
  'post /s/:surveyId/r/:token/p/:pageId',
  'get /s/:surveyId/r/:token/check',
  'post /s/:surveyId/r/:token/submit',
  'get /s/:surveyId/r/:token/saved',
  'get /s/:surveyId/r/:token/done',
  'get /healthz',
  'get /s/:surveyId/r/:token/delete',
  'post /s/:surveyId/r/:token/delete',
]);
const backOfficePrefixes = ['/admin', '/lead', '/work', '/codebooks', '/reports'];
const backOffice = () =>
  registeredRoutes(testApp.app).filter((route) => !publicRoutes.has(`${route.method} ${route.path}`));
const under = (prefix: string) => (path: string) => path === prefix || path.startsWith(`${prefix}/`);
const isAdminRoute = under('/admin');
const isLeadRoute = under('/lead');
/** The least role that may use a route. */
const roleFor = (path: string) => (isAdminRoute(path) ? 'admin' : isLeadRoute(path) ? 'lead' : 'analyst');

/** Other ways of writing the same path, as an attacker would try them. */
function spellings(path: string): Record<string, string> {
  const [, first = '', ...rest] = path.split('/');
  const tail = rest.length > 0 ? `/${rest.join('/')}` : '';
  return {
    'upper case': path.toUpperCase(),
    'mixed case': `/${first.charAt(0).toUpperCase()}${first.slice(1)}${tail}`,
    'doubled slash': `/${path}`,
    'percent-encoded letter': `/%${first.charCodeAt(0).toString(16)}${first.slice(1)}${tail}`,
  };
}

/** A body that would create an admin account if it ever reached the handler that makes accounts. */
const takeover = (csrf: string) => ({
  _csrf: csrf,
  email: 'intruder@example.org',
  password: 'a long enough intruder password',
  role: 'admin',
});

async function send(agent: request.Agent | ReturnType<typeof request>, method: string, url: string, csrf: string) {
  if (method === 'get') return agent.get(url);
  if (method === 'head') return agent.head(url);
  return agent.post(url).type('form').send(takeover(csrf));
}

describe('the back office is closed by routers, whatever the spelling', () => {
  it('has no route outside the public list and the back-office prefixes', () => {
    const routes = backOffice();
    expect(routes.length).toBeGreaterThan(25);
    for (const route of routes)
      expect(
        backOfficePrefixes.some((prefix) => route.path === prefix || route.path.startsWith(`${prefix}/`)),
        route.path,
      ).toBe(true);
  });

  it('sends anonymous visitors to sign in (GET, HEAD) or refuses them (POST) on every back-office route, trailing slash included', async () => {
    const visitor = request.agent(testApp.app);
    const csrf = csrfFrom((await visitor.get('/login')).text);
    for (const route of backOffice()) {
      for (const url of [concrete(route.path), `${concrete(route.path)}/`]) {
        for (const method of route.method === 'get' ? ['get', 'head'] : ['post']) {
          const response = await send(visitor, method, url, csrf);
          if (method === 'post') {
            expect(response.status, `${method} ${url}`).toBe(401);
          } else {
            expect(response.status, `${method} ${url}`).toBe(303);
            expect(response.headers.location, url).toBe(`/login?next=${encodeURIComponent(url)}`);
          }
        }
      }
    }
  });

  it('finds nothing at all under other spellings, for visitors and analysts alike', async () => {
    const visitor = request.agent(testApp.app);
    const visitorCsrf = csrfFrom((await visitor.get('/login')).text);
    const analyst = await signIn(testApp.app, 'analyst@review.example');
    const analystCsrf = csrfFrom((await analyst.get('/work')).text);
    const tried: string[] = [];
    for (const route of backOffice()) {
      for (const [how, url] of Object.entries(spellings(concrete(route.path)))) {
        for (const method of route.method === 'get' ? ['get', 'head'] : ['post']) {
          for (const [who, agent, csrf] of [
            ['visitor', visitor, visitorCsrf],
            ['analyst', analyst, analystCsrf],
          ] as const) {
            const response = await send(agent, method, url, csrf);
            expect(response.status, `${who} ${method} ${url} (${how})`).toBe(404);
            tried.push(url);
          }
        }
      }
    }
    expect(tried.length).toBeGreaterThan(200);
  });

  it('refuses analysts every lead and admin route, and leads every admin route, with a valid form token, in every method', async () => {
    const refusals = [
      ['analyst@review.example', (path: string) => roleFor(path) !== 'analyst', 12],
      ['lead@review.example', isAdminRoute, 6],
    ] as const;
    for (const [email, refused, atLeast] of refusals) {
      const agent = await signIn(testApp.app, email);
      const csrf = csrfFrom((await agent.get('/work')).text);
      const routes = backOffice().filter((route) => refused(route.path));
      expect(routes.length).toBeGreaterThan(atLeast);
      for (const route of routes) {
        for (const url of [concrete(route.path), `${concrete(route.path)}/`]) {
          for (const method of route.method === 'get' ? ['get', 'head'] : ['post']) {
            expect((await send(agent, method, url, csrf)).status, `${email} ${method} ${url}`).toBe(403);
          }
        }
      }
    }
  });

  it('lets each role reach the pages of its part of the back office', async () => {
    const agents = {
      analyst: await signIn(testApp.app, 'analyst@review.example'),
      lead: await signIn(testApp.app, 'lead@review.example'),
      admin: await signIn(testApp.app, 'admin@review.example'),
    };
    for (const route of backOffice().filter((candidate) => candidate.method === 'get')) {
      const status = (await agents[roleFor(route.path)].get(concrete(route.path))).status;
      expect([401, 403], `${route.path} gave ${status}`).not.toContain(status);
    }
  });

  it('created no account through any of it', async () => {
    expect(await testApp.connection.collection('users').countDocuments({ email: 'intruder@example.org' })).toBe(0);
    const signInAttempt = request.agent(testApp.app);
    const csrf = csrfFrom((await signInAttempt.get('/login')).text);
    const response = await signInAttempt
      .post('/login')
      .type('form')
      .send({ _csrf: csrf, email: 'intruder@example.org', password: 'a long enough intruder password' });
    expect(response.status).toBe(401);
  });
});
