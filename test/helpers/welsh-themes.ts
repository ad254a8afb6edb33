import mongoose from 'mongoose';
import type request from 'supertest';
import { ChangeCounters, surveyCounterKey } from '../../server/db/change-counter.js';
import type { TestApp } from './app.js';
import { postForm } from './office.js';

/** Four Welsh answers about the weather and the buses: one emerging theme. */
export const weatherCy = [
  'Roedd y tywydd yn ofnadwy y gaeaf hwnnw a stopiodd y bysiau i gyd.',
  'Tywydd y gaeaf wedi cau y ffyrdd a’r bysiau eto.',
  'Eira a thywydd gwael bob gaeaf, bysiau wedi’u canslo.',
  'Dyw’r bysiau byth yn rhedeg yn y gaeaf pan mae’r tywydd yn wael.',
];
/** English answers that share nothing: no group of their own. */
export const scatteredEn = [
  'Too many forms and meetings about meetings.',
  'Television programmes give a distorted picture of what we do.',
  'Teenagers arguing with stepparents about phones.',
];

/** Marks seeded responses as answered in Welsh, as a respondent who chose Cymraeg would have. */
export async function markWelsh(testApp: TestApp, surveyId: string, responseIds: string[]): Promise<void> {
  const ids = responseIds.map((id) => new mongoose.Types.ObjectId(id));
  await testApp.responses.updateMany({ _id: { $in: ids } }, { $set: { language: 'cy' } });
  await new ChangeCounters(testApp.connection).bump(surveyCounterKey(surveyId));
}

/** The codes a workbench page offers "from its emerging theme" (its "Suggested" list). */
export function offeredFromTheme(html: string): string[] {
  const list = /<h2 id="suggestions-heading">[\s\S]*?(?=<h2|<details|<\/section>)/.exec(html)?.[0] ?? '';
  return [...list.matchAll(/<span class="code-name">([^<]*?) <span class="hint">from its emerging theme/g)].map(
    (m) => m[1]!,
  );
}

/**
 * A lead turns the first group on a question's emerging-themes page (`themes`, with its codebook)
 * into a new code: the page as it was, and the response to the form.
 */
export async function makeFirstGroupCode(lead: request.Agent, themes: string, codebook: string, name: string) {
  const back = `${themes}?codebook=${codebook}`;
  const page = (await lead.get(back)).text;
  const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const made = await postForm(lead, `${themes}/codes`, { codebook, fingerprint, name }, back);
  return { page, made };
}
