import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { postForm, seedResponses, signInLeadAndAnalyst } from './helpers/office.js';
import { makeFirstGroupCode, markWelsh, offeredFromTheme, scatteredEn, weatherCy } from './helpers/welsh-themes.js';

/**
 * One codebook codes several questions (family-experience codes all three of the family survey's
 * open questions). A code made from an emerging theme of one question keeps its group's answers as
 * response ids: the same respondents' answers to another question were never in the group, so the
 * code must not be offered there "from its emerging theme".
 */

const otherCy = [
  'Byddwn i’n newid y ffurflenni hir.',
  'Mwy o amser gyda’r teuluoedd.',
  'Gweithwyr sy’n aros yn eu swyddi.',
  'Rhoi cyfreithiwr i bob rhiant.',
];

const testApp = useTestApp();
let lead: request.Agent;
let ana: request.Agent;
let ids: string[];
const view = 'codebook=family-experience';
const themes = '/lead/themes/family/help_needed_text';
const at = (question: string, index: number) => `/work/family/${question}?${view}&at=${ids[index]}`;

beforeAll(async () => {
  ({ lead, analyst: ana } = await signInLeadAndAnalyst(testApp));
  ids = await seedResponses(testApp, 'family', [
    ...weatherCy.map((help_needed_text, index) => ({ help_needed_text, change_text: otherCy[index]! })),
    ...scatteredEn.map((help_needed_text) => ({ help_needed_text })),
  ]);
  await markWelsh(testApp, 'family', ids.slice(0, weatherCy.length));
});

const offered = async (question: string, index: number) => {
  const html = (await ana.get(at(question, index))).text;
  return offeredFromTheme(html);
};

describe('a code made from an emerging theme of one question', () => {
  it('is offered on its group’s answers, not on the same respondents’ answers to another question', async () => {
    const { made } = await makeFirstGroupCode(lead, themes, 'family-experience', 'Tywydd');
    expect(made.status).toBe(303);
    expect(await offered('help_needed_text', 0)).toEqual(['Tywydd']);
    expect(await Promise.all(otherCy.map((_text, index) => offered('change_text', index)))).toEqual(
      otherCy.map(() => []),
    );
  });

  it('is announced as just made only on its own question’s page, and not once retired', async () => {
    const notice = (html: string) => /class="notice" role="status"/.test(html);
    const codeId = 'tywydd';
    expect(notice((await lead.get(`${themes}?${view}&created=${codeId}`)).text)).toBe(true);
    // Another question's page would say the workbench suggests it on "the group's answers" there.
    expect(notice((await lead.get(`/lead/themes/family/change_text?${view}&created=${codeId}`)).text)).toBe(false);
    const book = '/codebooks/family-experience';
    expect((await postForm(lead, `${book}/codes/${codeId}/retire`, {}, book)).status).toBe(303);
    expect(await offered('help_needed_text', 0)).toEqual([]);
    expect(notice((await lead.get(`${themes}?${view}&created=${codeId}`)).text)).toBe(false);
  });
});
