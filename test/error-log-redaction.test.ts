import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTestApp } from './helpers/app.js';

const testApp = useTestApp();
const secret = 'kbDXRiJ1YlOXkFiLpJmFvmRB-uy4lbpP';
const token = `6b074649e0e51644bd818d4f-${secret}`;

afterEach(() => vi.restoreAllMocks());

describe('the log line of an unexpected error', () => {
  it('hides the private token and drops the query string', async () => {
    vi.spyOn(testApp.responses, 'findById').mockImplementation(() => {
      throw new Error('the database fell over');
    });
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
    const response = await request(testApp.app).get(`/s/family/r/${token}/check?email=someone@example.org`);
    expect(response.status).toBe(500);
    const line = logged.find((text) => text.includes('Unhandled error on'));
    expect(line).toBeDefined();
    expect(line).toContain('/s/family/r/:token');
    expect(line).not.toContain(secret);
    expect(line).not.toContain('someone@example.org');
  });
});
