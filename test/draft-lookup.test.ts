import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { Respondent } from './helpers/respondent.js';

const testApp = useTestApp();

describe('finding a respondent’s draft', () => {
  it('goes straight to it through the _id index instead of reading every stored response', async () => {
    // Every survey page reads and saves the draft by _id: a scan would slow each page as responses grow.
    const respondents = [new Respondent(testApp.app, 'family'), new Respondent(testApp.app, 'family')];
    for (const respondent of respondents) await respondent.start();
    const stored = await testApp.responses.findOne({}, { _id: 1 }).lean();
    expect(stored).not.toBeNull();

    const explained = await testApp.connection
      .db!.collection('responses')
      .find({ _id: stored!._id })
      .limit(1)
      .explain();
    const plan = JSON.stringify(explained);
    // FerretDB reports SQLite's plan ("SEARCH ... USING INDEX"); MongoDB an IDHACK, EXPRESS or IXSCAN stage.
    expect(plan).toMatch(/USING INDEX|IDHACK|EXPRESS_IXSCAN|IXSCAN/);
    expect(plan).not.toMatch(/COLLSCAN|detail=SCAN /);
  });
});
