import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { addUser, postForm, seedResponses, signIn } from './helpers/office.js';
import { makeFirstGroupCode, markWelsh, scatteredEn, weatherCy } from './helpers/welsh-themes.js';

/**
 * After a code made from an emerging theme is merged into another, the code it became stands for
 * the group (its answers are that code's examples; Welsh ones are offered it). The emerging-themes
 * page must say so too: Welsh answers never fit the codebook, so the group is still listed, and a
 * page that offers "Make group 1 a new code" again (or a replayed post of the form) makes a second
 * code standing for the same group.
 */

const testApp = useTestApp();
let lead: request.Agent;
let ids: string[];
const view = 'codebook=family-experience';
const themes = '/lead/themes/family/help_needed_text';
const book = '/codebooks/family-experience';

beforeAll(async () => {
  await addUser(testApp, 'lea@review.example', 'lead');
  lead = await signIn(testApp.app, 'lea@review.example');
  ids = await seedResponses(testApp, 'family', [
    ...weatherCy.map((help_needed_text) => ({ help_needed_text })),
    ...scatteredEn.map((help_needed_text) => ({ help_needed_text })),
  ]);
  await markWelsh(testApp, 'family', ids.slice(0, weatherCy.length));
});

const codeIds = async () => {
  const html = (await lead.get(book)).text;
  return html;
};

describe('a code made from an emerging theme, merged into another', () => {
  it('is shown on the themes page as the code it became, and a replayed form makes no second code', async () => {
    const { page, made } = await makeFirstGroupCode(lead, themes, 'family-experience', 'Tywydd');
    expect(made.status).toBe(303);
    const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(page)![1]!;
    const form = { codebook: 'family-experience', fingerprint, name: 'Tywydd' };
    // The code's terms are the group's words: its answers fit it, so the group is not listed now.
    expect((await lead.get(`${themes}?${view}`)).text).not.toContain('Make group 1 a new code');

    const merged = await postForm(lead, `${book}/merge`, { from: 'tywydd', into: 'poverty-housing' }, book);
    expect(merged.status).toBe(303);

    const after = (await lead.get(`${themes}?${view}`)).text;
    expect(after).not.toContain('Make group 1 a new code');
    expect(after).toContain('This group is already the code “Poverty');

    // The form posted again (a second tab, a replay): the group's code is the one it became.
    const again = await postForm(lead, `${themes}/codes`, { ...form, name: 'Tywydd eto' }, `${themes}?${view}`);
    expect(again.status).toBe(303);
    expect(again.headers.location).toContain('created=poverty-housing');
    expect(await codeIds()).not.toContain('Tywydd eto');
  });
});
