import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { seedResponses } from './helpers/office.js';
import { answerForms, signInTeam } from './helpers/workbench.js';

/**
 * The workbench says "likely" from 70% and "possible" from 40%: the percentage beside the word
 * must never contradict it ("possible (70%)", "unlikely (40%)").
 */

const testApp = useTestApp({
  suggestions: {
    suggest: async () => [
      { codeId: 'workforce', score: 0.699, because: ['staff'] },
      { codeId: 'austerity', score: 0.399, because: ['cuts'] },
      { codeId: 'risk-aversion', score: 0.7, because: ['money'] },
    ],
  },
});
let ids: string[];
let ana: request.Agent;
const { at } = answerForms(() => ids);

beforeAll(async () => {
  ({ ana } = await signInTeam(testApp));
  ids = await seedResponses(testApp, 'professionals', [
    { role: 'social-worker', country: 'england', quote_consent: 'yes', drivers_text: 'Staff leave and cuts bite.' },
  ]);
});

describe('confidence words on the workbench', () => {
  it('shows a percentage that agrees with the word', async () => {
    const page = await ana.get(at(0));
    expect(page.status).toBe(200);
    const hints = [...page.text.matchAll(/(likely|possible|unlikely) \((\d+)%\)/g)].map(
      ([, word, percent]) => `${word} ${percent}`,
    );
    expect(hints.sort()).toEqual(['likely 70', 'possible 69', 'unlikely 39']);
  });
});
