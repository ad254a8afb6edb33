import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../server/config.js';
import { definitionsDir, useTestApp } from './helpers/app.js';

/** Welsh arrives later as data only: a catalogue file and `cy` strings beside the English. */
const cataloguesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalogue-'));
fs.copyFileSync(path.join(projectRoot, 'server', 'i18n', 'locales', 'en.json'), path.join(cataloguesDir, 'en.json'));
fs.writeFileSync(
  path.join(cataloguesDir, 'cy.json'),
  JSON.stringify({ 'page.continue': 'Parhau', 'nav.help': 'Cael help' }),
);
const surveysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'surveys-cy-'));
const family = JSON.parse(fs.readFileSync(path.join(definitionsDir, 'family.json'), 'utf8'));
family.title.cy = 'Arolwg aelodau teulu';
family.pages[0].questions[0].text.cy = 'Rwyf wedi darllen y wybodaeth uchod ac yn cytuno i gymryd rhan';
fs.writeFileSync(path.join(surveysDir, 'family.json'), JSON.stringify(family));
const testApp = useTestApp({ cataloguesDir, surveysDir });

describe('a Welsh translation added as data', () => {
  it('shows Welsh where it exists and English where it does not', async () => {
    const english = await request(testApp.app).get('/s/family');
    // On a page with a form the switch is one of its buttons, so answers typed go with it.
    expect(english.text).toContain('formaction="/s/family?lang=cy" name="action" value="language"');
    expect(english.text).toContain('lang="cy">Cymraeg</button>');
    expect((await request(testApp.app).get('/help')).text).toContain('href="/help?lang=cy"');

    const welsh = await request(testApp.app).get('/s/family?lang=cy');
    expect(welsh.text).toContain('<html lang="cy">');
    expect(welsh.text).toContain('Arolwg aelodau teulu');
    expect(welsh.text).toContain('Rwyf wedi darllen y wybodaeth uchod');
    expect(welsh.text).toContain('>Parhau</button>');
    expect(welsh.text).toContain('>Cael help</a>');
    expect(welsh.text).toContain('This survey takes about 10 minutes.');
    expect(welsh.headers['set-cookie']?.[0]).toMatch(/^lang=cy;.*HttpOnly/);
  });

  it('records the language a response was given in', async () => {
    const started = await request(testApp.app)
      .post('/s/family')
      .set('Cookie', 'lang=cy')
      .type('form')
      .send('consent=yes');
    expect(started.status).toBe(303);
    expect(await testApp.responses.findOne({ language: 'cy' }).lean()).not.toBeNull();
  });
});
