import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { Respondent } from './helpers/respondent.js';
import { professionalsAnswers } from './fixtures/answers.js';

const testApp = useTestApp();

describe('conditional questions', () => {
  it('asks for the region only when the respondent works in England', async () => {
    const inEngland = new Respondent(testApp.app, 'professionals');
    await inEngland.start();
    expect(await inEngland.answer({ role: 'social-worker', country: 'england', experience: '2-5' })).toMatch(
      /\/p\/region$/,
    );
    const regionPage = await request(testApp.app).get(inEngland.location);
    expect(regionPage.text).toContain('Which region?');
    expect(regionPage.text).toContain('Page 3 of 8');

    const inWales = new Respondent(testApp.app, 'professionals');
    await inWales.start();
    expect(await inWales.answer({ role: 'social-worker', country: 'wales', experience: '2-5' })).toMatch(
      /\/p\/the-rise$/,
    );
    const nextPage = await request(testApp.app).get(inWales.location);
    expect(nextPage.text).toContain('Page 3 of 7');
    // Opening the hidden page by its address sends the respondent back to where they are.
    const hidden = await request(testApp.app).get(`/s/professionals/r/${inWales.token}/p/region`);
    expect(hidden.status).toBe(303);
    expect(hidden.headers.location).toMatch(/\/p\/the-rise$/);
  });

  it('asks about barriers only when the respondent says there are some', async () => {
    const respondent = new Respondent(testApp.app, 'professionals');
    await respondent.start();
    await respondent.answer({ role: 'judge-or-magistrate', country: 'scotland', experience: 'over-10' });
    await respondent.answer(professionalsAnswers['the-rise']!);
    expect(await respondent.answer({ barriers_exist: 'no' })).toMatch(/\/p\/what-helps$/);
  });

  it('drops answers to a question whose condition stopped holding before submit', async () => {
    const respondent = new Respondent(testApp.app, 'professionals');
    await respondent.start();
    await respondent.complete(professionalsAnswers);
    const submittedWithRegion = await testApp.responses
      .findOne({ tokenHash: { $exists: true }, 'answers.region': 'north-west' })
      .lean();
    expect(submittedWithRegion).not.toBeNull();

    const changed = new Respondent(testApp.app, 'professionals');
    await changed.start();
    await changed.answer(professionalsAnswers['about-you']!);
    await changed.answer(professionalsAnswers.region!);
    await changed.answer(professionalsAnswers['the-rise']!);
    await changed.answer(professionalsAnswers.partnership!);
    await changed.answer(professionalsAnswers.barriers!);
    // Back to the start: now working in Wales and seeing no barriers.
    changed.location = `/s/professionals/r/${changed.token}/p/about-you`;
    await changed.answer({ ...professionalsAnswers['about-you']!, country: 'wales' });
    changed.location = `/s/professionals/r/${changed.token}/p/partnership`;
    await changed.answer({ ...professionalsAnswers.partnership!, barriers_exist: 'dont-know' });
    await changed.complete(professionalsAnswers);

    const stored = await testApp.responses.find({ 'answers.country': 'wales', status: 'submitted' }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.answers).not.toHaveProperty('region');
    expect(stored[0]!.answers).not.toHaveProperty('barriers_text');
    expect(stored[0]!.answers).toMatchObject({
      barriers_exist: 'dont-know',
      promoters_text: 'The same worker over time.',
    });
  });

  it('requires the "Other" box only when Other is chosen, and keeps it', async () => {
    const respondent = new Respondent(testApp.app, 'professionals');
    await respondent.start();
    const missing = await request(testApp.app)
      .post(respondent.location)
      .type('form')
      .send('role=other&role-other=&country=wales&experience=2-5');
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('You chose &#34;Other&#34;: tell us what you mean in the box.');
    await respondent.answer({ role: 'other', 'role-other': 'Play therapist', country: 'wales', experience: '2-5' });
    const draft = await testApp.responses.findOne({ 'otherText.role': 'Play therapist' }).lean();
    expect(draft?.answers).toMatchObject({ role: 'other' });
  });
});
