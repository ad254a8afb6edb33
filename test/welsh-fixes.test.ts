import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { familyAnswers } from './fixtures/answers.js';
import { appOn, useTestApp } from './helpers/app.js';
import { post } from './helpers/respondent.js';

/** What an outside tester found in the Welsh pages, fixed: each test failed before its fix. */

const testApp = useTestApp();

const welshText: Record<string, string> = {
  help_needed_text: 'Doedd neb wedi dweud wrthym ni y gallem ni gael ein hasesu fel gofalwyr.',
  worked_well_text: 'Esboniodd ein gwarcheidwad bopeth.',
  change_text: '',
};

/**
 * A respondent through the family survey with the language cookie set to `language`, writing the
 * open answers in that language; returns their token and the check page's path.
 */
async function answeredIn(language: 'en' | 'cy') {
  const cookie = `lang=${language}`;
  const started = await post(testApp.app, '/s/family', { consent: 'yes' }).set('Cookie', cookie);
  let location = started.headers.location as string;
  while (location.includes('/p/')) {
    const pageId = /\/p\/([a-z0-9-]+)$/.exec(location)![1]!;
    const fields = pageId === 'your-experience' && language === 'cy' ? welshText : familyAnswers[pageId]!;
    const saved = await post(testApp.app, location, { ...fields, action: 'continue' }).set('Cookie', cookie);
    expect(saved.status, saved.text.slice(0, 300)).toBe(303);
    location = saved.headers.location as string;
  }
  expect(location).toMatch(/\/check$/);
  const token = /\/r\/([^/]+)\//.exec(location)![1]!;
  return { token, check: location, id: token.slice(0, 24) };
}

const languageOf = async (id: string) => (await testApp.responses.findById(id).lean())?.language;

describe('the language a response records', () => {
  it('is Welsh for answers written on Welsh pages, though the check page was looked at and sent in English', async () => {
    const { token, check, id } = await answeredIn('cy');
    const english = await request(testApp.app).get(`${check}?lang=en`);
    expect(english.text).toContain('<html lang="en">');
    const sent = await request(testApp.app).post(`/s/family/r/${token}/submit`).set('Cookie', 'lang=en');
    expect(sent.status).toBe(303);
    expect(await testApp.responses.findById(id).lean()).toMatchObject({ status: 'submitted', language: 'cy' });
  });

  it('is English for answers written on English pages, though sent from the check page in Welsh', async () => {
    const { token, check, id } = await answeredIn('en');
    expect((await request(testApp.app).get(`${check}?lang=cy`)).text).toContain('<html lang="cy">');
    await request(testApp.app).post(`/s/family/r/${token}/submit`).set('Cookie', 'lang=cy').expect(303);
    expect(await languageOf(id)).toBe('en');
  });

  it('keeps a Welsh page Welsh when it is only continued again in English, and follows what was rewritten', async () => {
    const { token, id } = await answeredIn('cy');
    const page = `/s/family/r/${token}/p/your-experience`;
    // Back to the open answers in English, Continue without changing a word: still Welsh.
    await post(testApp.app, `${page}?lang=en`, { ...welshText, action: 'continue' }).expect(303);
    // The switch saves what was typed on the page in the language it was shown in (Welsh here).
    await post(testApp.app, `${page}?lang=en`, { ...welshText, change_text: 'Mwy o gymorth.', action: 'language' })
      .set('Cookie', 'lang=cy')
      .expect(303);
    expect((await testApp.responses.findById(id).lean())?.pageLanguages).toMatchObject({ 'your-experience': 'cy' });
    // Rewritten in English: now the written answers are English.
    await post(testApp.app, `${page}?lang=en`, { ...familyAnswers['your-experience']!, action: 'continue' }).expect(
      303,
    );
    await request(testApp.app).post(`/s/family/r/${token}/submit?lang=cy`).expect(303);
    expect(await languageOf(id)).toBe('en');
  });
});

describe('the language switch on pages without a form', () => {
  it('leads from a closed page shown after Send to the survey in the other language, not to a 404', async () => {
    const { token } = await answeredIn('cy');
    const later = appOn(testApp.connection, { now: () => new Date('2099-01-01T00:00:00Z') });
    const closed = await request(later).post(`/s/family/r/${token}/submit`).set('Cookie', 'lang=cy');
    expect(closed.status).toBe(403);
    expect(closed.text).toContain('<html lang="cy">');
    expect(closed.text).toContain('<a href="/s/family?lang=en" lang="en" hreflang="en">English</a>');
    const english = await request(later).get('/s/family?lang=en').set('Cookie', 'lang=cy');
    expect(english.status).toBe(403);
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('This survey is closed');
    // Any other page after a POST links to the home page, which exists.
    const missing = await post(testApp.app, '/s/no-such-survey', {}).set('Cookie', 'lang=cy');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<a href="/?lang=en" lang="en" hreflang="en">English</a>');
  });

  it('says a survey past its closing date "was open", and one not yet open when it opens', async () => {
    const later = appOn(testApp.connection, { now: () => new Date('2099-01-01T00:00:00Z') });
    const ended = await request(later).get('/s/family').set('Cookie', 'lang=cy');
    expect(ended.text).toContain('Roedd ar agor o 1 Ionawr 2026 tan 31 Rhagfyr 2027.');
    expect((await request(later).get('/s/family')).text).toContain(
      'This survey is no longer accepting answers. It was open from 1 January 2026 to 31 December 2027.',
    );
    const early = appOn(testApp.connection, { now: () => new Date('2025-06-01T00:00:00Z') });
    expect((await request(early).get('/s/family')).text).toContain(
      'It opens on 1 January 2026 and closes on 31 December 2027.',
    );
    expect((await request(early).get('/s/family').set('Cookie', 'lang=cy')).text).toContain(
      'Bydd yn agor ar 1 Ionawr 2026 ac yn cau ar 31 Rhagfyr 2027.',
    );
  });
});

describe('Welsh without cookies', () => {
  it('keeps Welsh from an invitation link to the thank-you page for a browser that refuses cookies', async () => {
    const first = await request(testApp.app).get('/s/family?lang=cy');
    expect(first.text).toContain('<form method="post" action="/s/family?lang=cy" ');
    expect(first.text).toContain('<a href="/help?lang=cy">Cael help</a>');
    // No cookie is ever sent back: the language travels in the addresses alone.
    let location = (await post(testApp.app, '/s/family?lang=cy', { consent: 'yes' }).expect(303)).headers
      .location as string;
    expect(location).toMatch(/\/p\/about-you\?lang=cy$/);
    const token = /\/r\/([^/]+)\//.exec(location)![1]!;
    const page = await request(testApp.app).get(location);
    expect(page.text).toContain('<html lang="cy">');
    expect(page.text).toContain(`action="/s/family/r/${token}/p/about-you?lang=cy"`);
    for (const pageId of ['about-you', 'involvement', 'support', 'your-experience', 'quoting']) {
      expect(location).toBe(`/s/family/r/${token}/p/${pageId}?lang=cy`);
      const fields = pageId === 'your-experience' ? welshText : familyAnswers[pageId]!;
      location = (await post(testApp.app, location, { ...fields, action: 'continue' }).expect(303)).headers
        .location as string;
    }
    expect(location).toBe(`/s/family/r/${token}/check?lang=cy`);
    const check = await request(testApp.app).get(location);
    expect(check.text).toContain('<html lang="cy">');
    expect(check.text).toContain(`action="/s/family/r/${token}/submit?lang=cy"`);
    expect(check.text).toContain(`href="/s/family/r/${token}/p/about-you?lang=cy"`);
    // The private resume link (saved in Welsh) reopens the right page in Welsh.
    const resumed = await request(testApp.app).get(`/s/family/r/${token}?lang=cy`);
    expect(resumed.headers.location).toBe(`/s/family/r/${token}/check?lang=cy`);
    const sent = await request(testApp.app).post(`/s/family/r/${token}/submit?lang=cy`).expect(303);
    expect(sent.headers.location).toBe(`/s/family/r/${token}/done?lang=cy`);
    const thanks = await request(testApp.app).get(sent.headers.location as string);
    expect(thanks.text).toContain('<html lang="cy">');
    expect(thanks.text).toContain('<a href="/?lang=cy">Yn ôl i bob arolwg</a>');
    expect(await languageOf(token.slice(0, 24))).toBe('cy');
  });

  it('adds nothing to the addresses of English pages', async () => {
    const page = await request(testApp.app).get('/s/family');
    expect(page.text).toContain('<form method="post" action="/s/family" ');
    expect(page.text).toContain('<a href="/help">Getting help</a>');
    const started = await post(testApp.app, '/s/family', { consent: 'yes' }).expect(303);
    expect(started.headers.location).toMatch(/\/p\/about-you$/);
  });

  it('remembers the choice only for the browser session: a cookie without an expiry', async () => {
    const page = await request(testApp.app).get('/s/family?lang=cy');
    const cookie = [page.headers['set-cookie']].flat().find((c) => c?.startsWith('lang='));
    expect(cookie).toMatch(/^lang=cy; Path=\//);
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
  });
});

describe('page furniture in Welsh', () => {
  it('names the site navigation in the page language, and counts one character in the singular', async () => {
    const welsh = await request(testApp.app).get('/s/family?lang=cy');
    expect(welsh.text).toContain('<nav aria-label="Safle">');
    expect(welsh.text).toContain('<label for="consent">Rwy&#39;n cytuno</label>');
    expect((await request(testApp.app).get('/s/family?lang=en')).text).toContain('<nav aria-label="Site">');
    const { token } = await answeredIn('cy');
    const open = await request(testApp.app).get(`/s/family/r/${token}/p/your-experience`).set('Cookie', 'lang=cy');
    expect(open.text).toContain('data-left="{count} o nodau ar ôl" data-over="{count} o nodau yn ormod"');
    expect(open.text).toContain('data-left-one="1 nod ar ôl" data-over-one="1 nod yn ormod"');
  });

  it('puts a hidden Continue before the language switch, so Enter continues', async () => {
    const { token } = await answeredIn('cy');
    const page = (await request(testApp.app).get(`/s/family/r/${token}/p/about-you`).set('Cookie', 'lang=cy')).text;
    const submits = [...page.matchAll(/<button type="submit" form="questions"[^>]*>/g)].map((match) => match[0]);
    expect(submits[0]).toBe(
      '<button type="submit" form="questions" name="action" value="continue" class="visually-hidden" tabindex="-1" aria-hidden="true">',
    );
    expect(page.indexOf(submits[0]!)).toBeLessThan(page.indexOf('value="language"'));
  });
});
