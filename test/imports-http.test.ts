import fs from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { auditModel } from '../server/audit/model.js';
import { uploadsDirectory } from '../server/http/uploads.js';
import { appOn, useTestApp } from './helpers/app.js';
import { writeFixture } from './helpers/imports.js';
import { addUser, csrfFrom, postForm, signIn } from './helpers/office.js';

const testApp = useTestApp();

const exportFile = writeFixture(
  'Staff survey 2023.csv',
  [
    'Respondent ID,IP Address,Your region,What would help you most in your work?',
    ',,Response,Open-Ended Response',
    '11,203.0.113.50,North,"Supervision that is about the child, not the spreadsheet"',
    '12,203.0.113.51,South,Smaller caseloads and a stable team',
    '13,203.0.113.52,North,More time with families',
  ].join('\n'),
);

async function uploadAs(agent: request.Agent, file = exportFile) {
  const page = await agent.get('/admin/imports');
  expect(page.status).toBe(200);
  return agent.post('/admin/imports/upload').field('_csrf', csrfFrom(page.text)).attach('file', file);
}

describe('importing from the admin pages', () => {
  it('uploads, previews the layout and personal columns, imports the chosen columns, and the survey works everywhere', async () => {
    await addUser(testApp, 'admin@example.org', 'admin');
    await addUser(testApp, 'lead@example.org', 'lead');
    await addUser(testApp, 'analyst@example.org', 'analyst');
    const admin = await signIn(testApp.app, 'admin@example.org');

    expect((await admin.get('/admin')).text).toContain('href="/admin/imports"');
    const uploaded = await uploadAs(admin);
    expect(uploaded.status, uploaded.text.replace(/[\s\S]*<main[^>]*>/, '').slice(0, 600)).toBe(303);
    const previewUrl = uploaded.headers.location!;
    const preview = await admin.get(previewUrl);
    expect(preview.text).toContain('SurveyMonkey: question text, then sub-labels');
    expect(preview.text).toContain('(personal: not shown)');
    expect(preview.text).not.toContain('203.0.113.50');
    expect(preview.text).toMatch(/<strong class="tag">personal<\/strong> Not imported/);
    expect(preview.text).toContain('value="staff-survey-2023"');

    const confirmed = await postForm(
      admin,
      previewUrl,
      { survey: 'staff-2023', title: 'Staff survey 2023', 'column-2': 'attribute', 'column-3': 'text' },
      previewUrl,
    );
    expect(confirmed.status, confirmed.text.slice(0, 500)).toBe(200);
    expect(confirmed.text).toContain('3 new respondents stored');
    // One audit entry says who imported what, with counts and never a cell of the file.
    const entries = await auditModel(testApp.connection).find({ action: 'responses.import' }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: 'admin@example.org',
      target: 'staff-2023',
      detail: { rows: 3, imported: 3 },
    });
    expect(JSON.stringify(entries)).not.toMatch(/Supervision|203\.0\.113/);
    expect(fs.existsSync(previewUrl.replace('/admin/imports/', `${uploadsDirectory()}/`) + '.upload')).toBe(false);

    // The lead sets the question up; the analyst codes it; the results and exports have it.
    const lead = await signIn(testApp.app, 'lead@example.org');
    const question = '/lead/questions/staff-2023/what_would_help_you_most_in_your_work';
    expect((await lead.get('/work')).text).toContain('What would help you most in your work?');
    const saved = await postForm(lead, question, { codebook: 'care-crisis-drivers', mode: 'shared' }, question);
    expect(saved.status).toBe(303);
    const analyst = await signIn(testApp.app, 'analyst@example.org');
    const workbench = await analyst.get('/work/staff-2023/what_would_help_you_most_in_your_work');
    expect(workbench.status).toBe(200);
    expect(workbench.text).toMatch(/Supervision that is about the child|Smaller caseloads|More time with families/);
    expect((await analyst.get('/reports/staff-2023')).status).toBe(200);
    const qdpx = await admin.get('/admin/exports/staff-2023/project.qdpx');
    expect(qdpx.status).toBe(200);
    expect(qdpx.headers['content-disposition']).toContain('staff-2023-project.qdpx');

    // No public pages.
    expect((await request(testApp.app).get('/s/staff-2023')).status).toBe(404);
    expect((await request(testApp.app).get('/')).text).not.toContain('Staff survey 2023');
  });

  it('a second app process on the same database finds the imported survey', async () => {
    const other = appOn(testApp.connection);
    const analyst = await signIn(other, 'analyst@example.org');
    expect((await analyst.get('/reports/staff-2023')).status).toBe(200);
  });

  it('a wrong choice is explained on the same page with the choices kept, and nothing is stored', async () => {
    const admin = await signIn(testApp.app, 'admin@example.org');
    const previewUrl = (await uploadAs(admin)).headers.location!;
    const refused = await postForm(
      admin,
      previewUrl,
      { survey: 'staff-none', title: 'No text', 'column-2': 'attribute' },
      previewUrl,
    );
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Choose at least one column of answers to code.');
    expect(refused.text).toMatch(/id="column-2-attribute" name="column-2" value="attribute" checked/);
    expect(await testApp.responses.countDocuments({ surveyId: 'staff-none' })).toBe(0);
  });

  it("refuses analysts and leads, a forged upload before any of the file is kept, and another admin's upload", async () => {
    for (const email of ['analyst@example.org', 'lead@example.org']) {
      const agent = await signIn(testApp.app, email);
      expect((await agent.get('/admin/imports')).status).toBe(403);
      const token = csrfFrom((await agent.get('/work')).text);
      expect((await agent.post('/admin/imports/upload').field('_csrf', token).attach('file', exportFile)).status).toBe(
        403,
      );
    }
    expect((await request(testApp.app).post('/admin/imports/upload').attach('file', exportFile)).status).toBe(401);

    const admin = await signIn(testApp.app, 'admin@example.org');
    fs.mkdirSync(uploadsDirectory(), { recursive: true });
    const before = fs.readdirSync(uploadsDirectory()).length;
    const forged = await admin.post('/admin/imports/upload').field('_csrf', 'not-the-token').attach('file', exportFile);
    expect(forged.status).toBe(403);
    const fileFirst = await admin
      .post('/admin/imports/upload')
      .attach('file', exportFile)
      .field('_csrf', csrfFrom((await admin.get('/admin/imports')).text));
    expect(fileFirst.status).toBe(403);
    expect(fs.readdirSync(uploadsDirectory()).length).toBe(before);

    const previewUrl = (await uploadAs(admin)).headers.location!;
    await addUser(testApp, 'admin2@example.org', 'admin');
    const otherAdmin = await signIn(testApp.app, 'admin2@example.org');
    expect((await otherAdmin.get(previewUrl)).status).toBe(404);
    expect((await otherAdmin.get(previewUrl.toUpperCase())).status).toBe(404);
  });
});
