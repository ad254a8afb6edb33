import { describe, expect, it } from 'vitest';
import { responsesCsv, submittedResponses } from '../server/admin/exports.js';
import { loadSurveys } from '../server/surveys/registry.js';
import { definitionsDir, useTestApp } from './helpers/app.js';
import { seedResponses } from './helpers/office.js';

const testApp = useTestApp();
const survey = loadSurveys(definitionsDir).get('professionals')!;

describe('the responses export, read a batch ahead', () => {
  it('reads every submitted response exactly once across several batches, and no draft', async () => {
    // More than two of the export's batches, so the read-ahead crosses batch boundaries.
    const ids = await seedResponses(
      testApp,
      'professionals',
      Array.from({ length: 4500 }, (_, index) => ({ role: 'barrister', drivers_text: `answer ${index}` })),
    );
    await testApp.responses.updateOne({ _id: ids[0] }, { $set: { status: 'draft' } });
    const read: string[] = [];
    for await (const response of submittedResponses(testApp.responses, survey)) read.push(String(response._id));
    expect(read).toHaveLength(4499);
    expect(new Set(read)).toEqual(new Set(ids.slice(1)));

    let rows = 0;
    for await (const chunk of responsesCsv(submittedResponses(testApp.responses, survey), survey))
      rows += chunk.split('\r\n').length - 1;
    expect(rows).toBe(4499 + 1);
  });

  it('stops cleanly when its reader stops half-way, with a batch still being read', async () => {
    const responses = submittedResponses(testApp.responses, survey);
    expect((await responses.next()).done).toBe(false);
    expect(await responses.return(undefined)).toEqual({ done: true, value: undefined });
    // The connection is still fine for the next download.
    let count = 0;
    for await (const _response of submittedResponses(testApp.responses, survey)) count++;
    expect(count).toBe(4499);
  });
});
