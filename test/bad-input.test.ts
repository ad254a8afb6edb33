import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { Respondent } from './helpers/respondent.js';
import { professionalsAnswers } from './fixtures/answers.js';

const testApp = useTestApp();
let respondent: Respondent;
let theRise: string;

beforeEach(async () => {
  respondent = new Respondent(testApp.app, 'professionals');
  await respondent.start();
  await respondent.answer(professionalsAnswers['about-you']!);
  await respondent.answer(professionalsAnswers.region!);
  theRise = respondent.location;
});

async function storedDraft() {
  return testApp.responses
    .findOne({ _id: { $exists: true }, finishedPages: 'region', tokenHash: { $exists: true } })
    .sort({ createdAt: -1 })
    .lean();
}

/** Sends a bad page and checks the respondent is told what to fix and nothing stored changed. */
async function expectRefused(send: () => Promise<request.Response>, message: string, status = 400) {
  const before = await storedDraft();
  const response = await send();
  expect(response.status).toBe(status);
  expect(response.text).toContain(message);
  expect(response.text).not.toMatch(/at \w+ \(|node_modules|Error: .*\n\s+at /);
  expect(await storedDraft()).toEqual(before);
  // The server is still up and the respondent can carry on.
  expect((await request(testApp.app).get(theRise)).status).toBe(200);
  return response;
}

const validRise = { trend: 'increased', drivers_text: 'Poverty.' };

describe('bad input on a survey page', () => {
  it('refuses a question id the page does not have', async () => {
    await expectRefused(
      () => request(testApp.app).post(theRise).type('form').send('trend=increased&drivers_text=x&salary=100'),
      'The form had a field this page does not have (&#34;salary&#34;)',
    );
  });

  it('refuses a question from another page', async () => {
    await expectRefused(
      () => request(testApp.app).post(theRise).type('form').send('trend=increased&drivers_text=x&quote_consent=yes'),
      'quote_consent',
    );
  });

  it('refuses a choice that is not in the list', async () => {
    await expectRefused(
      () => request(testApp.app).post(theRise).type('form').send('trend=skyrocketing&drivers_text=x'),
      'Choose one of the answers listed.',
    );
    await expectRefused(
      () => request(testApp.app).post(theRise).type('form').send('trend=increased&drivers=bad-luck&drivers_text=x'),
      'Choose one of the answers listed.',
    );
  });

  it('refuses two answers to a one-answer question', async () => {
    await expectRefused(
      () => request(testApp.app).post(theRise).type('form').send('trend=increased&trend=decreased&drivers_text=x'),
      'Choose only one answer.',
    );
  });

  it('refuses values of the wrong type sent as JSON', async () => {
    await expectRefused(
      () =>
        request(testApp.app)
          .post(theRise)
          .send({ ...validRise, trend: 42 }),
      'We could not read this answer.',
    );
    await expectRefused(
      () =>
        request(testApp.app)
          .post(theRise)
          .send({ ...validRise, drivers_text: ['a', 'b'] }),
      'We could not read this answer.',
    );
    await expectRefused(
      () =>
        request(testApp.app)
          .post(theRise)
          .send({ ...validRise, drivers: [{ a: 1 }] }),
      'We could not read this answer.',
    );
  });

  it('refuses operator-shaped values and keys', async () => {
    await expectRefused(
      () =>
        request(testApp.app)
          .post(theRise)
          .send({ ...validRise, trend: { $gt: '' } }),
      'We could not read this answer.',
    );
    await expectRefused(
      () =>
        request(testApp.app)
          .post(theRise)
          .send({ ...validRise, $where: 'sleep(1000)' }),
      '$where',
    );
    await expectRefused(
      () => request(testApp.app).post(theRise).type('form').send('trend[$ne]=x&drivers_text=x'),
      'trend[$ne]',
    );
  });

  it('refuses a __proto__ key and pollutes nothing', async () => {
    await expectRefused(
      () =>
        request(testApp.app)
          .post(theRise)
          .set('Content-Type', 'application/json')
          .send('{"trend":"increased","drivers_text":"x","__proto__":{"polluted":"yes"}}'),
      '__proto__',
    );
    await expectRefused(
      () => request(testApp.app).post(theRise).type('form').send('trend=increased&drivers_text=x&constructor=1'),
      'constructor',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an over-long answer and keeps what was typed', async () => {
    const long = 'a'.repeat(10_001);
    const response = await expectRefused(
      () => request(testApp.app).post(theRise).type('form').send(`trend=increased&drivers_text=${long}`),
      'Your answer must be 10,000 characters or fewer. It is 10,001 characters now.',
    );
    expect(response.text).toContain(long);
    expect(response.text).toContain('value="increased" checked');
  });

  it('counts characters, not bytes, against the limit', async () => {
    const welshAndEmoji = 'ŵ😀'.repeat(5_000);
    await respondent.answer({ trend: 'increased', drivers_text: welshAndEmoji });
    expect((await storedDraft())?.answers.drivers_text).toBe(welshAndEmoji);
  });

  it('refuses missing required answers with an error summary linking to each field', async () => {
    const response = await expectRefused(
      () => request(testApp.app).post(theRise).type('form').send('drivers_text=%20%20'),
      'There is a problem',
    );
    expect(response.text).toContain(
      '<a href="#trend">Choose an answer to &#34;Over the last two years, have care applications in your area...&#34;.</a>',
    );
    expect(response.text).toContain('<a href="#drivers_text">Enter your answer to');
    expect(response.text).toContain('<title>Error: The rise in care proceedings');
  });

  it('refuses an oversized body without changing anything', async () => {
    await expectRefused(
      () =>
        request(testApp.app)
          .post(theRise)
          .type('form')
          .send(`trend=increased&drivers_text=${'b'.repeat(600_000)}`),
      'too large for us to accept',
      413,
    );
  });

  it('refuses malformed JSON', async () => {
    await expectRefused(
      () => request(testApp.app).post(theRise).set('Content-Type', 'application/json').send('{"trend": '),
      'We could not read this answer.',
    );
  });

  it('does not start a response without consent', async () => {
    const before = await testApp.responses.countDocuments();
    const response = await request(testApp.app).post('/s/professionals').type('form').send('');
    expect(response.status).toBe(400);
    expect(response.text).toContain('Tick the box to say you agree to take part.');
    const forged = await request(testApp.app).post('/s/professionals').type('form').send('consent=maybe');
    expect(forged.status).toBe(400);
    expect(await testApp.responses.countDocuments()).toBe(before);
  });

  it('answers an unknown or malformed resume link with "not found"', async () => {
    const unknown = await request(testApp.app).get(`/s/professionals/r/${'a'.repeat(24)}-${'A'.repeat(32)}/p/the-rise`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('We could not find answers for this link');
    expect((await request(testApp.app).get('/s/professionals/r/short/p/the-rise')).status).toBe(404);
    expect((await request(testApp.app).get('/s/no-such-survey')).status).toBe(404);
    expect(
      (
        await request(testApp.app)
          .post(`/s/professionals/r/${respondent.token}/p/no-such-page`)
          .type('form')
          .send('a=b')
      ).status,
    ).toBe(303);
  });
});
