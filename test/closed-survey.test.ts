import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { appOn, useTestApp } from './helpers/app.js';
import { Respondent } from './helpers/respondent.js';
import { careExperiencedAnswers } from './fixtures/answers.js';

const testApp = useTestApp();

const afterClose = () => new Date('2028-01-15T12:00:00Z');
const beforeOpen = () => new Date('2025-12-01T12:00:00Z');

describe('a survey outside its open and close dates', () => {
  it('shows a clear closed page and leaves it off the list', async () => {
    const closedApp = appOn(testApp.connection, { now: afterClose });
    const start = await request(closedApp).get('/s/care-experienced');
    expect(start.status).toBe(403);
    expect(start.text).toContain('This survey is closed');
    expect(start.text).toContain('It was open from 1 January 2026 to 31 December 2027.');
    const list = await request(closedApp).get('/');
    expect(list.text).not.toContain('href="/s/care-experienced"');
    expect(list.text).toContain('There are no surveys open at the moment.');

    const notYet = await request(appOn(testApp.connection, { now: beforeOpen })).get('/s/family');
    expect(notYet.status).toBe(403);
    expect(notYet.text).toContain('This survey is closed');
  });

  it('accepts no new response, no page and no submit once closed', async () => {
    const respondent = new Respondent(testApp.app, 'care-experienced');
    await respondent.start();
    await respondent.answer(careExperiencedAnswers['about-you']!);
    await respondent.answer(careExperiencedAnswers['your-experience']!);
    await respondent.answer(careExperiencedAnswers.quoting!);
    const before = await testApp.responses.find().lean();

    const closedApp = appOn(testApp.connection, { now: afterClose });
    const fresh = await request(closedApp).post('/s/care-experienced').type('form').send('consent=yes');
    expect(fresh.status).toBe(403);
    const page = await request(closedApp)
      .post(`/s/care-experienced/r/${respondent.token}/p/quoting`)
      .type('form')
      .send('quote_consent=yes');
    expect(page.status).toBe(403);
    const submit = await request(closedApp).post(`/s/care-experienced/r/${respondent.token}/submit`);
    expect(submit.status).toBe(403);
    expect(submit.text).toContain('This survey is closed');

    expect(await testApp.responses.find().lean()).toEqual(before);
    expect(await testApp.responses.countDocuments({ status: 'submitted' })).toBe(0);
  });
});
