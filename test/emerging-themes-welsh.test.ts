import type request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { postForm, seedResponses, signInLeadAndAnalyst } from './helpers/office.js';
import { makeFirstGroupCode, markWelsh, offeredFromTheme, scatteredEn, weatherCy } from './helpers/welsh-themes.js';
import { answerForms } from './helpers/workbench.js';

/**
 * The engine offers no suggestions on Welsh answers (it reads English stems), but a code made from
 * an emerging theme is still offered on the Welsh answers of its group: the team made it from them.
 */

const scatteredCy = ['Mae’r neiniau a’r teidiau yn camu yn ôl rhag helpu.'];

const testApp = useTestApp();
let lead: request.Agent;
let ana: request.Agent;
let ids: string[];
const themes = '/lead/themes/professionals/drivers_text';
const { at, setCode } = answerForms(() => ids);

beforeAll(async () => {
  ({ lead, analyst: ana } = await signInLeadAndAnalyst(testApp));
  ids = await seedResponses(
    testApp,
    'professionals',
    [...weatherCy, ...scatteredCy, ...scatteredEn].map((drivers_text) => ({
      role: 'social-worker',
      country: 'wales',
      quote_consent: 'yes',
      drivers_text,
    })),
  );
  await markWelsh(testApp, 'professionals', ids.slice(0, weatherCy.length + scatteredCy.length));
});

/** The Welsh answer's offered codes (its "Suggested" list). */
const offered = async (index: number) => {
  const html = (await ana.get(at(index))).text;
  return offeredFromTheme(html);
};

describe('a code made from a group of Welsh answers', () => {
  it('is offered on each of the group’s Welsh answers, and on no other answer', async () => {
    expect(await offered(0)).toEqual([]);
    const { page, made } = await makeFirstGroupCode(lead, themes, 'care-crisis-drivers', 'Tywydd');
    // One group, of the four answers about the weather, named by what they say, not by "yn" or "y".
    expect(page.match(/<h2 id="group-\d+">[^<]*<\/h2>/g)).toEqual(['<h2 id="group-0">Group 1: 4 answers</h2>']);
    const words = /class="theme-words">([^<]*)</.exec(page)![1]!.split(', ');
    expect(words).toEqual(expect.arrayContaining(['bysiau', 'gaeaf']));
    expect(words.filter((word) => ['yn', 'y', 'mae', 'yr', 'a'].includes(word))).toEqual([]);
    expect(made.status).toBe(303);
    expect(await Promise.all(weatherCy.map((_text, index) => offered(index)))).toEqual(weatherCy.map(() => ['Tywydd']));
    expect(await offered(weatherCy.length)).toEqual([]);
  });

  it('is applied from that list as the analyst’s own coding', async () => {
    const html = (await ana.get(at(0))).text;
    const codeId =
      /name="code" value="([^"]+)"><input type="hidden" name="present" value="1">\s*<button[^>]*>\s*(?:<kbd>a<\/kbd>\s*)?<span class="code-name">Tywydd <span class="hint">from its emerging theme/.exec(
        html,
      )?.[1];
    expect(codeId).toBeDefined();
    // The "a" key accepts it, as it accepts the top suggestion on an English answer.
    expect(html).toMatch(
      /data-suggestion="1">[\s\S]*?<kbd>a<\/kbd>\s*<span class="code-name">Tywydd <span class="hint">from/,
    );
    expect((await setCode(ana, 0, codeId!)).status).toBe(303);
    expect((await ana.get(at(0))).text).toMatch(
      /aria-pressed="true">\s*<kbd>a<\/kbd>\s*<span class="code-name">Tywydd <span class="hint">from/,
    );
  });

  it('is offered as the code it became after a lead merges it into another', async () => {
    const merged = await postForm(
      lead,
      '/codebooks/care-crisis-drivers/merge',
      { from: 'tywydd', into: 'austerity' },
      '/codebooks/care-crisis-drivers',
    );
    expect(merged.status).toBe(303);
    expect(await Promise.all(weatherCy.map((_text, index) => offered(index)))).toEqual(
      weatherCy.map(() => ['Austerity, cuts and deprivation']),
    );
    expect(await offered(weatherCy.length)).toEqual([]);
  });
});
