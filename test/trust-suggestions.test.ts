import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, useTestApp } from './helpers/app.js';
import { addUser, postForm, seedResponses, signIn } from './helpers/office.js';
import { base, signInTeam, view } from './helpers/workbench.js';

/**
 * "Pathways" is a made-up restructure no codebook mentions: a suggestion of Workforce with the
 * reason "pathways" can only have been learned from an analyst's codings.
 */
const texts = [
  'The Pathways restructure moved everyone.',
  'Pathways broke our teams.',
  'After Pathways nobody experienced stayed.',
  'Pathways again.',
  'More Pathways trouble.',
];

const testApp = useTestApp();
let ids: string[];
let ana: request.Agent;
let ben: request.Agent;
let admin: request.Agent;

beforeAll(async () => {
  ({ ana, ben, admin } = await signInTeam(testApp));
  ids = await seedResponses(
    testApp,
    'professionals',
    texts.map((drivers_text) => ({ role: 'social-worker', country: 'england', quote_consent: 'yes', drivers_text })),
  );
  // Ana codes the first four answers, the one Ben is about to open among them.
  for (const index of [0, 1, 2, 3])
    await postForm(
      ana,
      `${base}/${ids[index]}/codes`,
      { code: 'workforce', present: '1', view },
      `${base}?${view}&at=${ids[index]}`,
    );
});

const suggestionsOn = async (agent: request.Agent, index: number) => {
  const page = (await agent.get(`${base}?${view}&at=${ids[index]}`)).text;
  // Confident suggestions and the guesses kept apart from them alike.
  const list = [...page.matchAll(/<ul class="plain-list suggestions"[\s\S]*?<\/ul>/g)]
    .map((match) => match[0])
    .join('\n');
  return { list, none: page.includes('No confident suggestion for this answer.') && list === '' };
};

describe('suggestions under independent coding', () => {
  it("learns from the coder's own codings", async () => {
    expect((await suggestionsOn(ana, 4)).list).toMatch(/Workforce and training[\s\S]*Because: pathways/);
  });

  it("never hands analyst A's codes to analyst B, on the answer A coded or on any other", async () => {
    const onCoded = await suggestionsOn(ben, 3);
    expect(onCoded.list).not.toContain('Workforce and training');
    expect(onCoded.none).toBe(true);
    const elsewhere = await suggestionsOn(ben, 4);
    expect(elsewhere.list).not.toContain('pathways');
  });

  it('learns from final codings, which every coder may see', async () => {
    await postForm(
      admin,
      `/lead/reconcile/professionals/drivers_text/${ids[0]}`,
      { codebook: 'care-crisis-drivers', codes: 'workforce' },
      '/admin',
    );
    await postForm(
      admin,
      `/lead/reconcile/professionals/drivers_text/${ids[1]}`,
      { codebook: 'care-crisis-drivers', codes: 'workforce' },
      '/admin',
    );
    await postForm(
      admin,
      `/lead/reconcile/professionals/drivers_text/${ids[2]}`,
      { codebook: 'care-crisis-drivers', codes: 'workforce' },
      '/admin',
    );
    expect((await suggestionsOn(ben, 4)).list).toMatch(/Workforce and training[\s\S]*Because: pathways/);
    // Answer 3 is still Ana's alone: nothing of hers reaches Ben there beyond what the final codings taught.
    const stored = await testApp.connection
      .collection('codingevents')
      .countDocuments({ responseId: ids[3], coderId: 'final' });
    expect(stored).toBe(0);
  });
});

describe('suggestions under shared coding', () => {
  it('learn from every coder once the question is shared', async () => {
    const local = await startTestApp();
    try {
      await addUser(local, 'ana@review.example', 'analyst');
      await addUser(local, 'ben@review.example', 'analyst');
      await addUser(local, 'admin@review.example', 'admin');
      const localIds = await seedResponses(
        local,
        'professionals',
        texts.map((drivers_text) => ({
          role: 'social-worker',
          country: 'england',
          quote_consent: 'yes',
          drivers_text,
        })),
      );
      const localAna = await signIn(local.app, 'ana@review.example');
      const localBen = await signIn(local.app, 'ben@review.example');
      const localAdmin = await signIn(local.app, 'admin@review.example');
      await postForm(localAdmin, '/lead/questions/professionals/drivers_text', { mode: 'shared' }, '/admin');
      for (const index of [0, 1, 2])
        await postForm(
          localAna,
          `${base}/${localIds[index]}/codes`,
          { code: 'workforce', present: '1', view },
          `${base}?${view}&at=${localIds[index]}`,
        );
      const page = (await localBen.get(`${base}?${view}&at=${localIds[4]}`)).text;
      expect(page).toMatch(/Workforce and training[\s\S]*Because: pathways/);
    } finally {
      await local.close();
    }
  });
});
