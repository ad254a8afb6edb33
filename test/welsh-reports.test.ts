import { describe, expect, it } from 'vitest';
import { breakdownsOf } from '../server/reports/breakdowns.js';
import { respondentProfile } from '../server/reports/distributions.js';
import { loadSurveys, Survey } from '../server/surveys/registry.js';
import { definitionsDir, useTestApp } from './helpers/app.js';
import { addUser, postForm, seedCodings, seedResponses, signIn } from './helpers/office.js';

/** Welsh answers in the back office and the outputs: marked as Welsh, and a language breakdown only where Welsh was offered. */

const testApp = useTestApp();

describe('Welsh answers on the office and report pages', () => {
  it('marks a Welsh quote lang="cy" on the quotes page and in the report, with its language in the downloads', async () => {
    const user = await addUser(testApp, 'admin-quotes@review.example', 'admin');
    const [welsh, english] = await seedResponses(testApp, 'professionals', [
      {
        role: 'social-worker',
        country: 'wales',
        quote_consent: 'yes',
        drivers_text: 'Llwythi achosion uchel a throsiant staff yn y gweithlu.',
      },
      { role: 'barrister', country: 'wales', quote_consent: 'yes', drivers_text: 'Staff turnover everywhere.' },
    ]);
    await testApp.responses.updateOne({ _id: welsh }, { $set: { language: 'cy' } });
    await seedCodings(testApp, [
      { responseId: welsh!, coderId: user.id, codeId: 'workforce' },
      { responseId: english!, coderId: user.id, codeId: 'workforce' },
    ]);
    const admin = await signIn(testApp.app, 'admin-quotes@review.example');
    const quotes = '/reports/professionals/quotes/drivers_text?codebook=care-crisis-drivers';
    const page = await admin.get(quotes);
    expect(page.text).toContain('<blockquote lang="cy">‘Llwythi achosion uchel');
    expect(page.text).toContain('<blockquote>‘Staff turnover everywhere.’');
    for (const id of [welsh!, english!])
      await postForm(
        admin,
        `/work/professionals/drivers_text/${id}/star`,
        { starred: '1', view: 'codebook=care-crisis-drivers' },
        quotes,
      );
    const csv = (await admin.get(`${quotes}&format=csv`)).text;
    expect(csv.split(/\r?\n/)[0]).toBe('code_id,code_name,quote,language,attribution,response_id');
    expect(csv).toContain(`Llwythi achosion uchel a throsiant staff yn y gweithlu.,cy,(Social worker),${welsh}`);
    expect(csv).toContain(`Staff turnover everywhere.,en,(Barrister),${english}`);
    const json = (await admin.get(`${quotes}&format=json`)).body as { responseId: string; language: string }[];
    expect(json.map(({ responseId, language }) => [responseId, language]).sort()).toEqual(
      [
        [welsh, 'cy'],
        [english, 'en'],
      ].sort(),
    );
    const report = await admin.get('/reports/professionals/report');
    expect(report.text).toContain('<blockquote lang="cy">‘Llwythi achosion uchel');
  });
});

describe('the language breakdown', () => {
  it('is offered only for surveys respondents could answer in Welsh, not for imported ones', async () => {
    const hosted = loadSurveys(definitionsDir).get('professionals')!;
    const imported = new Survey(
      { ...hosted.definition, id: 'imported-copy', title: { en: 'An imported survey' } },
      'imported',
    );
    await seedResponses(testApp, 'imported-copy', [{ role: 'barrister', country: 'england' }]);
    expect(hosted.offersWelsh).toBe(true);
    expect(imported.offersWelsh).toBe(false);
    expect(breakdownsOf(hosted).map((breakdown) => breakdown.id)).toContain('language');
    expect(breakdownsOf(imported).map((breakdown) => breakdown.id)).not.toContain('language');
    const profile = await respondentProfile(testApp.responses, imported);
    expect(profile.total).toBe(1);
    expect(profile.distributions.map((distribution) => distribution.id)).not.toContain('language');
    const hostedProfile = await respondentProfile(testApp.responses, hosted);
    expect(hostedProfile.distributions.map((distribution) => distribution.id)).toContain('language');
  });
});
