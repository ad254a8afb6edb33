import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { postForm, seedResponses, signInLeadAndAnalyst } from './helpers/office.js';
import { makeFirstGroupCode, markWelsh, offeredFromTheme, scatteredEn, weatherCy } from './helpers/welsh-themes.js';

/** A group's code merged along a chain (A into B, B into C), then the merges undone one by one. */

const testApp = useTestApp();
let lead: request.Agent;
let ana: request.Agent;
let ids: string[];
const view = 'codebook=family-experience';
const themes = '/lead/themes/family/help_needed_text';
const book = '/codebooks/family-experience';
const at = (index: number) => `/work/family/help_needed_text?${view}&at=${ids[index]}`;

beforeAll(async () => {
  ({ lead, analyst: ana } = await signInLeadAndAnalyst(testApp));
  ids = await seedResponses(testApp, 'family', [
    ...weatherCy.map((help_needed_text) => ({ help_needed_text })),
    ...scatteredEn.map((help_needed_text) => ({ help_needed_text })),
  ]);
  await markWelsh(testApp, 'family', ids.slice(0, weatherCy.length));
});

const offered = async (index: number) => {
  const html = (await ana.get(at(index))).text;
  return offeredFromTheme(html);
};
const undoLast = async () => {
  const html = (await lead.get(book)).text;
  const action = [...html.matchAll(/action="(\/codebooks\/family-experience\/history\/[0-9a-f]{24}\/undo)"/g)].map(
    (m) => m[1]!,
  )[0]!;
  return postForm(lead, action, {}, book);
};

describe('a group code merged along a chain', () => {
  it('is offered as the last code of the chain, and as each code again as the merges are undone', async () => {
    const { made } = await makeFirstGroupCode(lead, themes, 'family-experience', 'Tywydd');
    expect(made.status).toBe(303);
    expect(await offered(0)).toEqual(['Tywydd']);
    expect((await postForm(lead, `${book}/merge`, { from: 'tywydd', into: 'poverty-housing' }, book)).status).toBe(303);
    expect(await offered(1)).toEqual(['Poverty and housing']);
    expect(
      (await postForm(lead, `${book}/merge`, { from: 'poverty-housing', into: 'court-experience' }, book)).status,
    ).toBe(303);
    expect(await offered(2)).toEqual(['Court experience']);
    expect((await lead.get(`${themes}?${view}`)).text).toContain('This group is already the code “Court experience”');
    expect((await undoLast()).status).toBe(303);
    expect(await offered(3)).toEqual(['Poverty and housing']);
    expect((await undoLast()).status).toBe(303);
    expect(await offered(0)).toEqual(['Tywydd']);
    // Retiring the survivor: the group has no code, and the page offers to make one again.
    expect((await postForm(lead, `${book}/merge`, { from: 'tywydd', into: 'poverty-housing' }, book)).status).toBe(303);
    expect((await postForm(lead, `${book}/codes/poverty-housing/retire`, {}, book)).status).toBe(303);
    expect(await offered(0)).toEqual([]);
    expect((await lead.get(`${themes}?${view}`)).text).toContain('Make group 1 a new code');
  });
});
