import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { projectRoot, readEnvironment } from '../server/config.js';
import { connectDatabase } from '../server/db/connection.js';
import type { RequestLogLine } from '../server/http/request-log.js';
import { appOn, useTestApp } from './helpers/app.js';
import { addUser, PASSWORD } from './helpers/office.js';
import { Respondent } from './helpers/respondent.js';
import { kill, type AppProcess } from './helpers/process.js';

const logged: RequestLogLine[] = [];
const testApp = useTestApp({ requestLogger: (line) => logged.push(line) });

describe('GET /healthz', () => {
  it('answers 200 with the database reachable, without signing in and without a session cookie', async () => {
    const response = await request(testApp.app).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', database: 'up' });
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');
    const head = await request(testApp.app).head('/healthz');
    expect(head.status).toBe(200);
  });

  it('answers 503 when the database cannot be reached', async () => {
    const connection = await connectDatabase(inject('mongoUri'), `test_${crypto.randomUUID().slice(0, 12)}`);
    const app = appOn(connection);
    expect((await request(app).get('/healthz')).status).toBe(200);
    await connection.close();
    const response = await request(app).get('/healthz');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: 'unavailable', database: 'down' });
  });

  it('is only GET /healthz: other spellings and methods are not the health check', async () => {
    for (const url of ['/HEALTHZ', '/healthz/x', '//healthz']) {
      expect((await request(testApp.app).get(url)).status, url).toBe(404);
    }
    expect((await request(testApp.app).post('/healthz')).status).toBe(404);
  });
});

describe('request logs', () => {
  it('log one line per request with an id, method, route, status and time, and no token, query or email', async () => {
    logged.length = 0;
    const respondent = new Respondent(testApp.app, 'care-experienced');
    await respondent.start();
    const page = await request(testApp.app).get(`${respondent.location}?utm=someone@example.org`);
    expect(page.status).toBe(200);
    await addUser(testApp, 'logged@review.example', 'admin');
    const login = await request(testApp.app)
      .post('/login')
      .type('form')
      .send({ email: 'logged@review.example', password: PASSWORD });
    expect(login.status).toBe(403); // no CSRF token: refused, and still logged

    const text = JSON.stringify(logged);
    expect(text).not.toContain(respondent.token);
    expect(text).not.toContain(respondent.token.slice(0, 24));
    expect(text).not.toContain('example.org');
    expect(text).not.toContain('logged@review.example');
    expect(text).not.toContain('127.0.0.1');
    const pageLine = logged.find((line) => line.path === '/s/:surveyId/r/:token/p/:pageId' && line.method === 'GET');
    expect(pageLine).toMatchObject({ status: 200 });
    expect(pageLine!.id).toBe(page.headers['x-request-id']);
    expect(typeof pageLine!.ms).toBe('number');
    expect(logged.find((line) => line.path === '/login' && line.method === 'POST')?.status).toBe(403);
    expect(new Set(logged.map((line) => line.id)).size).toBe(logged.length);
  });

  it('hide a token in a path no route matched', async () => {
    logged.length = 0;
    const secret = 'abcdefabcdefabcdefabcdef-SECRETSECRETSECRETSECRETSECRET12';
    for (const url of [`/s/nowhere/r/${secret}/elsewhere`, `/s/x/%72/${secret}`, `/s/x/R/${secret}`, `/x/${secret}`])
      await request(testApp.app).get(url);
    expect(logged).toHaveLength(4);
    for (const line of logged) {
      expect(line.path).not.toContain('SECRET');
      expect(line.status).toBe(404);
    }
  });
});

describe('configuration', () => {
  it('is refused at start with a message naming the setting', () => {
    expect(() => readEnvironment({ LOG_REQUESTS: 'yes' })).toThrow(/LOG_REQUESTS: use "on" or "off"/);
    expect(() => readEnvironment({ PORT: 'eighty' })).toThrow(/PORT/);
  });
});

describe('production start', () => {
  const running: AppProcess[] = [];
  afterAll(async () => Promise.all(running.map((app) => kill(app, 'SIGTERM'))));

  it('NODE_ENV=production npm start builds the compiled app when it is stale and serves it', async () => {
    // A build from other sources (another hash in the stamp) is stale.
    const stamp = path.join(projectRoot, 'dist', '.built');
    if (fs.existsSync(stamp)) fs.writeFileSync(stamp, 'built from other sources\n');
    const { MONGODB_URI: _ignored, ...inherited } = process.env;
    const uri = new URL(inject('mongoUri'));
    uri.pathname = `/test_${crypto.randomUUID().slice(0, 12)}`;
    const child = spawn('npm', ['start'], {
      cwd: projectRoot,
      env: { ...inherited, NODE_ENV: 'production', PORT: '0', MONGODB_URI: uri.toString() },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const app: AppProcess = { child, url: '', output: () => output };
    running.push(app);
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not start:\n${output}`)), 90_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const found = /listening on (http:\/\/\S+)/.exec(output);
        if (!found?.[1]) return;
        clearTimeout(timer);
        resolve(found[1]);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
    });
    expect(output).toContain('Built dist/');
    expect(fs.statSync(stamp).mtimeMs).toBeGreaterThan(Date.now() - 120_000);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    // The compiled app reads views and definitions from the source tree.
    const survey = await fetch(`${url}/s/care-experienced`);
    expect(survey.status).toBe(200);
    expect(await survey.text()).toContain('<form');
    // Its request log is on standard output, as JSON lines.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(output).toMatch(/\{"time":"[^"]+","id":"[^"]+","method":"GET","path":"\/healthz","status":200/);
    process.kill(-child.pid!, 'SIGTERM');
  }, 120_000);
});
