import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { post, Respondent } from './helpers/respondent.js';
import { careExperiencedAnswers, familyAnswers } from './fixtures/answers.js';

const testApp = useTestApp();

const cookieOf = (response: request.Response) =>
  ([response.headers['set-cookie']].flat().find((cookie) => cookie?.startsWith('lang=')) ?? '').split(';')[0]!;

describe('answering in Welsh', () => {
  it('shows a survey in Welsh from a plain ?lang=cy link, marked lang="cy", with an English switch marked lang="en"', async () => {
    const page = await request(testApp.app).get('/s/family?lang=cy');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="cy">');
    expect(page.text).toContain('<h1>Arolwg aelodau&#39;r teulu</h1>');
    expect(page.text).toContain('Tudalen 1 o 6');
    expect(page.text).toContain('Mae&#39;r arolwg hwn yn cymryd tua 10 munud.');
    expect(page.text).toContain('>Parhau</button>');
    // The switch is a button of the page's form, so what was typed goes with it.
    expect(page.text).toMatch(
      /<button type="submit" form="questions" formaction="\/s\/family\?lang=en" name="action" value="language" class="language-switch" lang="en">English<\/button>/,
    );
    expect(cookieOf(page)).toBe('lang=cy');
    // Other spellings of the plain link: upper case still means Welsh; anything else is English.
    expect((await request(testApp.app).get('/s/family?lang=CY')).text).toContain('<html lang="cy">');
    for (const other of ['?lang=cymraeg', '?lang=cy&lang=en', '?lang[]=cy', '?LANG=cy'])
      expect((await request(testApp.app).get(`/s/family${other}`)).text, other).toContain('<html lang="en">');
  });

  it('keeps the consent tick when switching language on the first page, and starts nothing', async () => {
    const before = await testApp.responses.countDocuments();
    const switched = await post(testApp.app, '/s/family?lang=cy', { consent: 'yes', action: 'language' });
    expect(switched.status).toBe(200);
    expect(switched.text).toContain('<html lang="cy">');
    expect(switched.text).toMatch(/name="consent" value="yes"[^>]*checked/);
    expect(await testApp.responses.countDocuments()).toBe(before);
  });

  it('switches mid-survey without JavaScript, keeping every answer typed on the page, unchecked', async () => {
    const respondent = new Respondent(testApp.app, 'family');
    await respondent.start();
    const page = respondent.location;
    expect(page).toMatch(/\/p\/about-you$/);
    // Half the page filled in, a required question left blank: the switch must not refuse it.
    const switched = await post(testApp.app, `${page}?lang=cy`, {
      relationship: 'other',
      'relationship-other': 'Cymydog, a neighbour',
      action: 'language',
    });
    expect(switched.status).toBe(303);
    expect(switched.headers.location).toBe(`${page}?lang=cy`);
    const welsh = await request(testApp.app).get(switched.headers.location as string);
    expect(welsh.text).toContain('<html lang="cy">');
    expect(welsh.text).toContain('<h1>Amdanoch chi</h1>');
    expect(welsh.text).toContain('Tudalen 2 o 6');
    expect(welsh.text).toMatch(/name="relationship" value="other"[^>]*checked/);
    expect(welsh.text).toContain('value="Cymydog, a neighbour"');
    expect(welsh.text).not.toContain('Mae problem');
    // The page was kept but not finished: Continue still asks for the required answers, in Welsh.
    const stored = await testApp.responses.findOne({}, null, { sort: { createdAt: -1 } }).lean();
    expect(stored?.finishedPages).toEqual(['consent']);
    const refused = await post(testApp.app, page, { relationship: 'other', 'relationship-other': 'Cymydog' }).set(
      'Cookie',
      'lang=cy',
    );
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('<html lang="cy">');
    expect(refused.text).toContain('Mae problem');
    expect(refused.text).toContain('Dewiswch ateb i &#34;Ble rydych chi&#39;n byw?&#34;.');
  });

  it('switches on a page showing errors, keeping what could not be saved and saying what is wrong in the new language', async () => {
    const respondent = new Respondent(testApp.app, 'family');
    await respondent.start();
    await respondent.answer(familyAnswers['about-you']!);
    await respondent.answer(familyAnswers.involvement!);
    await respondent.answer(familyAnswers.support!);
    const page = respondent.location;
    expect(page).toMatch(/\/p\/your-experience$/);
    const tooLong = 'a'.repeat(12_000);
    const english = await post(testApp.app, page, {
      help_needed_text: tooLong,
      worked_well_text: 'Ein gweithiwr cymdeithasol',
    });
    expect(english.status).toBe(400);
    expect(english.text).toContain('value="language"');
    const switched = await post(testApp.app, `${page}?lang=cy`, {
      help_needed_text: tooLong,
      worked_well_text: 'Ein gweithiwr cymdeithasol',
      action: 'language',
    });
    expect(switched.status).toBe(400);
    expect(switched.text).toContain('<html lang="cy">');
    expect(switched.text).toContain(tooLong);
    expect(switched.text).toContain('>Ein gweithiwr cymdeithasol</textarea>');
    expect(switched.text).toContain(
      'Rhaid i&#39;ch ateb fod yn 10,000 o nodau neu lai. Mae&#39;n 12,000 o nodau ar hyn o bryd.',
    );
  });

  it('saves in Welsh with a private link that reopens the survey in Welsh on another device', async () => {
    const respondent = new Respondent(testApp.app, 'family');
    await respondent.start();
    const saved = await post(testApp.app, respondent.location, { relationship: 'parent', action: 'save' }).set(
      'Cookie',
      'lang=cy',
    );
    expect(saved.status).toBe(303);
    const savedPage = await request(testApp.app)
      .get(saved.headers.location as string)
      .set('Cookie', 'lang=cy');
    expect(savedPage.text).toContain('Mae eich atebion wedi&#39;u cadw');
    const link = new RegExp(`value="(/s/family/r/${respondent.token}\\?lang=cy)"`).exec(savedPage.text)?.[1];
    expect(link).toBeDefined();
    // No cookie: a fresh browser, following only the link.
    const resumed = await request(testApp.app).get(link!);
    expect(resumed.status).toBe(303);
    expect(cookieOf(resumed)).toBe('lang=cy');
    const page = await request(testApp.app)
      .get(resumed.headers.location as string)
      .set('Cookie', cookieOf(resumed));
    expect(page.text).toContain('<html lang="cy">');
    expect(page.text).toMatch(/name="relationship" value="parent"[^>]*checked/);
  });

  it('records the language the answers were sent in, even when the respondent started in English', async () => {
    const respondent = new Respondent(testApp.app, 'family');
    await respondent.start();
    const id = respondent.token.split('-')[0];
    expect((await testApp.responses.findById(id).lean())?.language).toBe('en');
    for (const [pageId, fields] of Object.entries(familyAnswers)) {
      expect(respondent.pageId).toBe(pageId);
      await post(testApp.app, respondent.location, { ...fields, action: 'continue' })
        .set('Cookie', 'lang=cy')
        .then((response) => (respondent.location = response.headers.location as string));
    }
    const check = await request(testApp.app).get(respondent.location).set('Cookie', 'lang=cy');
    expect(check.text).toContain('Gwiriwch eich atebion cyn eu hanfon');
    expect(check.text).toContain('Nain, taid, mam-gu neu dad-cu');
    const sent = await request(testApp.app)
      .post(`/s/family/r/${respondent.token}/submit`)
      .set('Cookie', 'lang=cy')
      .type('form')
      .send('');
    expect(sent.status).toBe(303);
    const thanks = await request(testApp.app)
      .get(sent.headers.location as string)
      .set('Cookie', 'lang=cy');
    expect(thanks.text).toContain('Diolch: mae eich atebion wedi&#39;u hanfon');
    expect(thanks.text).toContain('Llinell Gyngor Hawliau Teuluoedd');
    expect(await testApp.responses.findById(id).lean()).toMatchObject({ status: 'submitted', language: 'cy' });
  });

  it('takes parallel and replayed switches calmly: one draft, and nothing changes once the answers are sent', async () => {
    const respondent = new Respondent(testApp.app, 'care-experienced');
    await respondent.start();
    const page = respondent.location;
    const id = respondent.token.split('-')[0];
    const switches = await Promise.all(
      ['25-34', '35-49', '25-34', '35-49', '25-34', '35-49'].map((band, index) =>
        post(testApp.app, `${page}?lang=${index % 2 ? 'en' : 'cy'}`, { age_band: band, action: 'language' }),
      ),
    );
    expect(switches.map((response) => response.status)).toEqual([303, 303, 303, 303, 303, 303]);
    expect(await testApp.responses.countDocuments({ _id: id })).toBe(1);
    expect(['25-34', '35-49']).toContain((await testApp.responses.findById(id).lean())?.answers.age_band);
    for (const [pageId, fields] of Object.entries(careExperiencedAnswers)) {
      expect(respondent.pageId).toBe(pageId);
      await respondent.answer(fields);
    }
    await respondent.submit();
    const sent = await testApp.responses.findById(id).lean();
    // A switch replayed after sending goes to the thank-you page (in the language it asked for) and changes nothing.
    const replayed = await post(testApp.app, `${page}?lang=cy`, { age_band: '65-plus', action: 'language' });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.location).toBe(`/s/care-experienced/r/${respondent.token}/done?lang=cy`);
    expect(await testApp.responses.findById(id).lean()).toEqual(sent);
  });

  it('shows the help, accessibility and not-found pages in Welsh, with a link back to English', async () => {
    for (const [path, status, heading] of [
      ['/help', 200, '<h1>Cael help</h1>'],
      ['/accessibility', 200, '<h1>Datganiad hygyrchedd</h1>'],
      ['/s/no-such-survey', 404, 'Doedden ni ddim yn gallu dod o hyd i&#39;r dudalen honno.'],
      [
        '/s/family/r/000000000000000000000000-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        404,
        'Gwiriwch eich bod wedi copïo&#39;r ddolen gyfan.',
      ],
      ['/', 200, '<h1>Dweud eich dweud</h1>'],
    ] as const) {
      const page = await request(testApp.app).get(path).set('Cookie', 'lang=cy');
      expect(page.status, path).toBe(status);
      expect(page.text, path).toContain('<html lang="cy">');
      expect(page.text, path).toContain(heading);
      expect(page.text, path).toContain(`<a href="${path}?lang=en" lang="en" hreflang="en">English</a>`);
    }
  });
});
