import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { Respondent } from './helpers/respondent.js';
import { careExperiencedAnswers, familyAnswers, professionalsAnswers } from './fixtures/answers.js';

const testApp = useTestApp();

describe('completing each survey end to end', () => {
  it('lists the three open surveys on the start page', async () => {
    const response = await request(testApp.app).get('/');
    expect(response.status).toBe(200);
    for (const path of ['/s/professionals', '/s/family', '/s/care-experienced'])
      expect(response.text).toContain(`href="${path}"`);
  });

  it('stores a professionals response once, with the version it answered and nothing identifying', async () => {
    const respondent = new Respondent(testApp.app, 'professionals');
    const start = await request(testApp.app).get('/s/professionals');
    expect(start.text).toContain('I have read the information above and agree to take part');
    expect(start.text).toContain('Page 1 of 8');
    await respondent.start();
    await respondent.complete(professionalsAnswers);

    const thanks = await request(testApp.app).get(`/s/professionals/r/${respondent.token}/done`);
    expect(thanks.status).toBe(200);
    expect(thanks.text).toContain('Thank you: your answers have been sent');
    expect(thanks.text).toContain('Family Rights Advice Line');

    const stored = await testApp.responses.find({ surveyId: 'professionals' }).lean();
    expect(stored).toHaveLength(1);
    const [response] = stored;
    expect(response).toMatchObject({ status: 'submitted', surveyVersion: 1, language: 'en' });
    expect(response!.answers).toEqual({
      consent: 'yes',
      role: 'barrister',
      country: 'england',
      experience: 'over-10',
      region: 'north-west',
      trend: 'increased',
      drivers: ['poverty', 'early-help-cuts', 'other'],
      drivers_text: 'Cuts to early help mean families reach crisis before anyone helps.',
      partnership_norm: 'no',
      partnership_meaning: 'Doing with, not to.',
      barriers_exist: 'yes',
      barriers_text: 'Caseloads leave no time to build relationships.',
      promoters_text: 'The same worker over time.',
      quote_consent: 'yes',
    });
    expect(response!.otherText).toEqual({ drivers: 'Housing costs' });
    const keys = JSON.stringify(response).toLowerCase();
    for (const identifying of ['email', '"ip', 'name"', 'useragent', 'user-agent'])
      expect(keys).not.toContain(identifying);
    expect(keys).not.toContain(respondent.token.toLowerCase());
  });

  it('stores a family response', async () => {
    const respondent = new Respondent(testApp.app, 'family');
    await respondent.start();
    await respondent.complete(familyAnswers);
    const stored = await testApp.responses.findOne({ surveyId: 'family' }).lean();
    expect(stored?.status).toBe('submitted');
    expect(stored?.answers).toMatchObject({
      relationship: 'grandparent',
      involvement: ['care-proceedings', 'special-guardianship-order'],
      advice: 'yes-too-late',
    });
    expect(stored?.answers).not.toHaveProperty('change_text');
  });

  it('stores a care-experienced response where every question but consent was optional', async () => {
    const respondent = new Respondent(testApp.app, 'care-experienced');
    await respondent.start();
    await respondent.complete(careExperiencedAnswers);
    const stored = await testApp.responses.findOne({ surveyId: 'care-experienced' }).lean();
    expect(stored?.status).toBe('submitted');
    expect(stored?.answers).toEqual({
      consent: 'yes',
      age_band: '25-34',
      years_in_care: 'over-5',
      placements: ['foster-care', 'residential'],
      country: 'england',
      listened_text: 'Not really, reviews happened around me.',
      change_text: 'Keep brothers and sisters together.',
    });
  });

  it('shows a check-your-answers page with the answers and change links before sending', async () => {
    const respondent = new Respondent(testApp.app, 'care-experienced');
    await respondent.start();
    for (const page of ['about-you', 'your-experience', 'quoting'])
      await respondent.answer(careExperiencedAnswers[page]!);
    const check = await request(testApp.app).get(respondent.location);
    expect(check.text).toContain('Check your answers before sending');
    expect(check.text).toContain('Foster care; Residential or children&#39;s home');
    expect(check.text).toContain(`href="/s/care-experienced/r/${respondent.token}/p/about-you"`);
    expect(
      await testApp.responses.countDocuments({
        status: 'submitted',
        _id: { $exists: true },
        surveyId: 'care-experienced',
        'answers.age_band': '25-34',
      }),
    ).toBe(1);
  });

  it('shows a "Getting help" link on every page', async () => {
    const respondent = new Respondent(testApp.app, 'family');
    await respondent.start();
    for (const url of ['/', '/s/family', respondent.location, '/help']) {
      const page = await request(testApp.app).get(url);
      expect(page.text, url).toContain('<a href="/help">Getting help</a>');
    }
  });
});
