import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../server/auth/roles.js';
import { userModel } from '../server/auth/user-model.js';
import { codebookModels } from '../server/codebooks/model.js';
import { applyCodeToAnswers, codeBatchModel, undoCodeBatch } from '../server/coding/bulk-actions.js';
import { codingModels } from '../server/coding/model.js';
import { CodingReadModel } from '../server/coding/read-model.js';
import { codingTarget, type CodingDataContext } from '../server/coding/target.js';
import { ChangeCounters } from '../server/db/change-counter.js';
import { loadSurveys } from '../server/surveys/registry.js';
import { responseModel } from '../server/surveys/responses/model.js';
import { definitionsDir, useTestApp } from './helpers/app.js';
import { addUser, seedResponses } from './helpers/office.js';

/**
 * A code-by-search step waits for the analyst's step before it (a double click, two tabs); another
 * app process may change the survey meanwhile. The waiting step must see the question as it is
 * when its turn comes, not as it was when it arrived.
 */

const testApp = useTestApp();
let ids: string[];
let ana: SessionUser;
let ben: SessionUser;

/** One app process's view of the coding data. */
function processContext(): CodingDataContext {
  const { connection } = testApp;
  const counters = new ChangeCounters(connection);
  const coding = codingModels(connection);
  return {
    surveys: loadSurveys(definitionsDir),
    codebooks: codebookModels(connection),
    coding,
    counters,
    users: userModel(connection),
    readModel: new CodingReadModel({ responses: responseModel(connection), coding, counters }),
  };
}

beforeAll(async () => {
  ana = await addUser(testApp, 'ana@review.example', 'analyst');
  ben = await addUser(testApp, 'ben@review.example', 'analyst');
  ids = await seedResponses(
    testApp,
    'professionals',
    ['Court delays.', 'Delays at court.'].map((drivers_text) => ({
      role: 'social-worker',
      country: 'england',
      quote_consent: 'yes',
      drivers_text,
    })),
  );
});

const question = (context: CodingDataContext) =>
  codingTarget(context, 'professionals', 'drivers_text', 'care-crisis-drivers');

describe('a step that waited its turn while another process wrote', () => {
  it('does not list again the answers the step before it just coded, and its undo finds them', async () => {
    const here = processContext();
    const elsewhere = processContext();
    const batches = codeBatchModel(testApp.connection);
    // Both requests of a double click are read before the first is stored.
    const [first, second] = [await question(here), await question(here)];
    // Another process records a colleague's coding.
    const theirs = await question(elsewhere);
    await applyCodeToAnswers(elsewhere, batches, theirs, ben, [ids[0]!], 'austerity');

    const firstStep = await applyCodeToAnswers(here, batches, first, ana, [ids[0]!, ids[1]!], 'workforce');
    expect(firstStep?.responseIds).toEqual([ids[0], ids[1]]);
    const secondStep = await applyCodeToAnswers(here, batches, second, ana, [ids[0]!, ids[1]!], 'workforce');
    expect(secondStep).toBeUndefined();
    expect(await batches.countDocuments({ coderId: ana.id })).toBe(1);

    // An undo read before a step that was stored meanwhile still takes that step's codings off.
    const stale = await question(here);
    const third = await applyCodeToAnswers(elsewhere, batches, await question(elsewhere), ana, [ids[0]!], 'austerity');
    const undone = await undoCodeBatch(here, batches, stale, ana, third!._id);
    expect(undone.undone).toBe(true);
    expect((await batches.findById(third!._id).lean())?.undoneCount).toBe(1);
    const index = (await question(processContext())).index;
    expect(index.codingsOf(ids[0]!, ana.id).map((coding) => coding.codeId)).toEqual(['workforce']);
  });
});
