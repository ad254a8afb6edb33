import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.js';
import { postForm, seedCodings, seedResponses } from './helpers/office.js';
import { answerForms, base, openComparison, signInTeam, view, type Team } from './helpers/workbench.js';

const testApp = useTestApp();
let team: Team;
let ids: string[];
const { at } = answerForms(() => ids);

beforeAll(async () => {
  team = await signInTeam(testApp);
  await openComparison(testApp);
  ids = await seedResponses(
    testApp,
    'professionals',
    ['Caseloads are far too high in our borough.', 'Poverty and housing costs are crushing families.'].map((text) => ({
      role: 'social-worker',
      country: 'england',
      quote_consent: 'yes',
      drivers_text: text,
    })),
  );
  await seedCodings(testApp, [
    { responseId: ids[0]!, coderId: team.anaId, codeId: 'austerity' },
    { responseId: ids[1]!, coderId: team.anaId, codeId: 'austerity' },
  ]);
  await postForm(team.ana, `${base}/${ids[0]}/star`, { starred: '1', view }, at(0));
});

const trail = () => testApp.connection.collection('auditentries');

describe('report downloads that hold answer text are in the audit trail', () => {
  for (const [url, action, target, format] of [
    ['/reports/professionals/quotes/drivers_text?format=csv', 'download.quotes', 'professionals/drivers_text', 'csv'],
    ['/reports/professionals/quotes/drivers_text?format=json', 'download.quotes', 'professionals/drivers_text', 'json'],
    ['/reports/professionals/report', 'download.report', 'professionals', undefined],
  ] as const)
    it(`records who took ${url}`, async () => {
      const before = await trail().countDocuments({ action });
      const got = await team.ana.get(url);
      expect(got.status).toBe(200);
      expect(got.text).toContain('Caseloads are far too high');
      const entries = await trail().find({ action }).sort({ at: -1 }).toArray();
      expect(entries).toHaveLength(before + 1);
      expect(entries[0]).toMatchObject({ actor: 'ana@review.example', target });
      if (format) expect(entries[0]!.detail).toMatchObject({ format });
    });

  it('does not record the quotes page itself viewed in the browser', async () => {
    const before = await trail().countDocuments({ action: 'download.quotes' });
    expect((await team.ana.get('/reports/professionals/quotes/drivers_text')).status).toBe(200);
    expect(await trail().countDocuments({ action: 'download.quotes' })).toBe(before);
  });
});
