import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { appOn, useTestApp } from './helpers/app.js';
import { Respondent } from './helpers/respondent.js';
import { familyAnswers } from './fixtures/answers.js';

const testApp = useTestApp();

async function respondentOnExperiencePage(): Promise<Respondent> {
  const respondent = new Respondent(testApp.app, 'family');
  await respondent.start();
  for (const page of ['about-you', 'involvement', 'support']) await respondent.answer(familyAnswers[page]!);
  return respondent;
}

describe('leaving and resuming', () => {
  it('saves the page and shows the private link on request, which resumes where they left off', async () => {
    const respondent = await respondentOnExperiencePage();
    const saved = await respondent.answer(
      { help_needed_text: 'Half written answer', worked_well_text: '', change_text: '' },
      'save',
    );
    expect(saved).toBe(`/s/family/r/${respondent.token}/saved`);
    // The link is never built from the Host header, which whoever sends the request chooses.
    const page = await request(testApp.app).get(saved).set('Host', 'evil.example');
    expect(page.text).toContain(`value="/s/family/r/${respondent.token}"`);
    expect(page.text).not.toContain('evil.example');
    const configured = await request(appOn(testApp.connection, { publicUrl: 'https://survey.example' }))
      .get(saved)
      .set('Host', 'evil.example');
    expect(configured.text).toContain(`value="https://survey.example/s/family/r/${respondent.token}"`);
    expect(page.text).toContain('Keep this link to yourself');

    // Days later, in another browser: the link alone brings back the answers.
    const resume = await request(testApp.app).get(`/s/family/r/${respondent.token}`);
    expect(resume.status).toBe(303);
    expect(resume.headers.location).toBe(`/s/family/r/${respondent.token}/p/your-experience`);
    const resumed = await request(testApp.app).get(resume.headers.location as string);
    expect(resumed.text).toContain('Half written answer');
    expect(resumed.headers['cache-control']).toBe('no-store');
  });

  it('keeps earlier answers when the respondent goes back', async () => {
    const respondent = await respondentOnExperiencePage();
    const back = await respondent.answer({ help_needed_text: 'Kept while going back' }, 'back');
    expect(back).toMatch(/\/p\/support$/);
    const support = await request(testApp.app).get(back);
    expect(support.text).toContain('value="yes-too-late" checked');
    const experience = await request(testApp.app).get(`/s/family/r/${respondent.token}/p/your-experience`);
    expect(experience.text).toContain('Kept while going back');
  });

  it('does not let a respondent skip ahead of the first unfinished page', async () => {
    const respondent = new Respondent(testApp.app, 'family');
    await respondent.start();
    const ahead = await request(testApp.app).get(`/s/family/r/${respondent.token}/p/quoting`);
    expect(ahead.status).toBe(303);
    expect(ahead.headers.location).toMatch(/\/p\/about-you$/);
    const submit = await request(testApp.app).post(`/s/family/r/${respondent.token}/submit`);
    expect(submit.headers.location).toMatch(/\/p\/about-you$/);
    expect(await testApp.responses.countDocuments({ status: 'submitted' })).toBe(0);
  });
});

describe('submitting', () => {
  it('stores one response for a double click, a refresh and a retried POST', async () => {
    const respondent = await respondentOnExperiencePage();
    await respondent.answer(familyAnswers['your-experience']!);
    await respondent.answer(familyAnswers.quoting!);
    const submitUrl = `/s/family/r/${respondent.token}/submit`;
    const concurrent = await Promise.all([1, 2, 3].map(() => request(testApp.app).post(submitUrl)));
    for (const response of concurrent) expect(response.headers.location).toBe(`/s/family/r/${respondent.token}/done`);
    const retried = await request(testApp.app).post(submitUrl);
    expect(retried.status).toBe(303);
    expect(retried.headers.location).toBe(`/s/family/r/${respondent.token}/done`);

    expect(await testApp.responses.countDocuments({ surveyId: 'family', status: 'submitted' })).toBe(1);
    expect(
      await testApp.responses.countDocuments({
        surveyId: 'family',
        'answers.help_needed_text': familyAnswers['your-experience']!.help_needed_text,
      }),
    ).toBe(1);
  });

  it('sends a resumed, already-submitted link to the thank-you page and ignores late page posts', async () => {
    const respondent = await respondentOnExperiencePage();
    await respondent.answer(familyAnswers['your-experience']!);
    await respondent.answer(familyAnswers.quoting!);
    await respondent.submit();
    const before = await testApp.responses
      .findOne({ status: 'submitted', 'answers.quote_consent': 'no' })
      .sort({ submittedAt: -1 })
      .lean();
    const late = await request(testApp.app)
      .post(`/s/family/r/${respondent.token}/p/quoting`)
      .type('form')
      .send('quote_consent=yes');
    expect(late.status).toBe(303);
    expect(late.headers.location).toBe(`/s/family/r/${respondent.token}/done`);
    const resume = await request(testApp.app).get(`/s/family/r/${respondent.token}`);
    expect(resume.headers.location).toBe(`/s/family/r/${respondent.token}/done`);
    expect(await testApp.responses.findById(before!._id).lean()).toEqual(before);
  });
});

describe('the private link', () => {
  it('opens nothing with the right response id but a wrong secret', async () => {
    const respondent = new Respondent(testApp.app, 'family');
    await respondent.start();
    const forged = `${respondent.token.slice(0, 25)}${'A'.repeat(32)}`;
    const response = await request(testApp.app).get(`/s/family/r/${forged}/p/about-you`);
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('value="parent"');
    const otherSurvey = await request(testApp.app).get(`/s/professionals/r/${respondent.token}`);
    expect(otherSurvey.status).toBe(404);
  });
});
