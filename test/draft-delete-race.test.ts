import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { Respondent } from './helpers/respondent.js';
import { careExperiencedAnswers } from './fixtures/answers.js';

const testApp = useTestApp();

async function finishedDraft(): Promise<{ respondent: Respondent; base: string }> {
  const respondent = new Respondent(testApp.app, 'care-experienced');
  await respondent.start();
  const r = respondent as unknown as { location: string; pageId: string };
  while (r.location.includes('/p/')) await respondent.answer(careExperiencedAnswers[r.pageId]!);
  return { respondent, base: `/s/care-experienced/r/${respondent.token}` };
}

describe('a respondent deleting their draft while it is being sent', () => {
  it('never deletes answers the respondent was told were sent, and never says sent for deleted ones', async () => {
    const wrong: string[] = [];
    for (let round = 0; round < 15; round++) {
      const { respondent, base } = await finishedDraft();
      const [submit, del] = await Promise.all([
        request(testApp.app).post(`${base}/submit`).type('form').send(''),
        request(testApp.app).post(`${base}/delete`).type('form').send(''),
      ]);
      const toldSent = submit.status === 303 && String(submit.headers.location).endsWith('/done');
      const toldDeleted = del.text.includes('Your answers have been deleted');
      const left = await testApp.responses.countDocuments({ _id: respondent.token.slice(0, 24) });
      if (toldSent && left === 0) wrong.push(`round ${round}: told sent, but deleted`);
      if (toldDeleted && left === 1) wrong.push(`round ${round}: told deleted, but kept`);
      if (toldSent && toldDeleted) wrong.push(`round ${round}: told both sent and deleted`);
    }
    expect(wrong).toEqual([]);
  });

  it('a deleted draft is not sent: the submit finds nothing to send', async () => {
    const { base } = await finishedDraft();
    const del = await request(testApp.app).post(`${base}/delete`).type('form').send('');
    expect(del.text).toContain('Your answers have been deleted');
    const submit = await request(testApp.app).post(`${base}/submit`).type('form').send('');
    expect(submit.status).toBe(404);
  });

  it('records the delete in the audit trail with the survey and without the private link', async () => {
    const { respondent, base } = await finishedDraft();
    const trail = testApp.connection.collection('auditentries');
    const before = await trail.countDocuments({ action: 'draft.deleted' });
    await request(testApp.app).post(`${base}/delete`).type('form').send('');
    const entries = await trail.find({ action: 'draft.deleted' }).sort({ at: -1 }).toArray();
    expect(entries).toHaveLength(before + 1);
    // The response id (so a restore can delete the draft again), never the link's secret half.
    expect(entries[0]).toMatchObject({
      target: 'care-experienced',
      detail: { response: respondent.token.slice(0, 24) },
    });
    expect(JSON.stringify(entries[0])).not.toContain(respondent.token);
    expect(JSON.stringify(entries[0])).not.toContain(respondent.token.slice(25));
  });
});
