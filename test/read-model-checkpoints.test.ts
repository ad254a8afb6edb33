import fc from 'fast-check';
import mongoose, { type Connection } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChangeCounters, surveyCounterKey } from '../server/db/change-counter.js';
import { CHECKPOINT_HEADS } from '../server/db/checkpoint-collections.js';
import { codingModels, FINAL_CODER, NO_CODE } from '../server/coding/model.js';
import { codingLog } from '../server/coding/log.js';
import { rebuildProjection } from '../server/coding/projection.js';
import { CodingReadModel, type QuestionIndex } from '../server/coding/read-model.js';
import { responseModel } from '../server/surveys/responses/model.js';
import { submissionFeed } from '../server/surveys/responses/feed.js';
import { loadSurveys } from '../server/surveys/registry.js';
import { definitionsDir } from './helpers/app.js';
import { clearReadModelData, readModelDatabase } from './helpers/read-model.js';

const survey = loadSurveys(definitionsDir).get('professionals')!;
const QUESTION = 'drivers_text';
const BOOK = 'care-crisis-drivers';
const coders = ['ana', 'ben', FINAL_CODER];
const codes = ['workforce', 'austerity', 'system-overload', NO_CODE];

/** Everything a projection holds, in a form two projections can be compared by. */
function canonical(index: QuestionIndex) {
  return {
    units: index.units.map(({ responseId, text, group, country, quoteConsent, language, index: at }) => ({
      responseId,
      text,
      group,
      country,
      quoteConsent,
      language,
      at,
    })),
    codings: index.units.map((unit) =>
      index
        .entriesOf(unit.responseId)
        .map(([coder, list]) => [coder, list.map((coding) => JSON.stringify(coding)).sort()] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
    coded: coders.map((coder) => index.codedCount(coder)),
    allCoders: index.allCoders().sort(),
  };
}

const database = readModelDatabase();
let connection: Connection;
beforeAll(() => void (connection = database()));

type Step =
  | { kind: 'submit'; words: string }
  | { kind: 'code'; process: 0 | 1; answer: number; coder: number; code: number; present: boolean; passage: boolean }
  | { kind: 'restart' }
  | { kind: 'read'; process: 0 | 1 };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('submit' as const),
    words: fc.constantFrom('Too few staff', 'Cuts', 'Caseloads grow'),
  }),
  fc.record({
    kind: fc.constant('code' as const),
    process: fc.constantFrom(0 as const, 1 as const),
    answer: fc.nat(),
    coder: fc.nat({ max: coders.length - 1 }),
    code: fc.nat({ max: codes.length - 1 }),
    present: fc.boolean(),
    passage: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('restart' as const) }),
  fc.record({ kind: fc.constant('read' as const), process: fc.constantFrom(0 as const, 1 as const) }),
);

describe('the coding read model: a checkpoint plus the log after it', () => {
  it('gives exactly the projection a full rebuild gives, for random codings, reconciliations and submissions in two processes', async () => {
    const responses = responseModel(connection);
    const counters = new ChangeCounters(connection);
    const coding = codingModels(connection);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const surveyId = survey.id;
        // Each run starts from nothing: a fresh survey's data.
        await clearReadModelData(connection);
        const processes = [0, 1].map(() => new CodingReadModel({ responses, coding, counters, checkpointEvery: 3 }));
        const feed = submissionFeed(connection, counters);
        const ids: string[] = [];
        for (const current of steps) {
          if (current.kind === 'submit') {
            const _id = new mongoose.Types.ObjectId();
            await responses.collection.insertOne({
              _id,
              surveyId,
              status: 'submitted',
              tokenHash: String(_id),
              answers: { [QUESTION]: `${current.words} ${ids.length}`, role: 'social-worker', quote_consent: 'yes' },
            });
            ids.push(String(_id));
            await feed.append(surveyId, [{ responseId: String(_id), at: new Date() }]);
          } else if (current.kind === 'code' && ids.length > 0) {
            const model = processes[current.process]!;
            await model.get(survey, QUESTION, BOOK);
            await model.record(survey, [
              {
                surveyId,
                questionId: QUESTION,
                codebookId: BOOK,
                responseId: ids[current.answer % ids.length]!,
                coderId: coders[current.coder]!,
                codeId: codes[current.code]!,
                present: current.present,
                ...(current.passage && codes[current.code] !== NO_CODE ? { start: 0, end: 3 } : {}),
              },
            ]);
          } else if (current.kind === 'restart') {
            // A process starting: it loads the checkpoint (when there is one) and replays the rest.
            processes[0] = new CodingReadModel({ responses, coding, counters, checkpointEvery: 3 });
          } else if (current.kind === 'read') {
            await processes[current.process]!.get(survey, QUESTION, BOOK);
          }
          await Promise.all(processes.map((model) => model.checkpointsSaved()));
        }
        const epoch = await counters.read(surveyCounterKey(surveyId));
        const sources = { responses, log: codingLog(connection, counters), feed };
        const rebuilt = await rebuildProjection(sources, survey, QUESTION, BOOK, epoch);
        const fresh = new CodingReadModel({ responses, coding, counters });
        const expected = canonical(rebuilt.index);
        expect(canonical(await fresh.get(survey, QUESTION, BOOK))).toEqual(expected);
        // Not a rebuild in disguise: with a checkpoint stored, the fresh process loaded it.
        const saved = await connection.collection(CHECKPOINT_HEADS).countDocuments();
        expect(fresh.stats.checkpointLoads).toBe(saved > 0 ? 1 : 0);
        for (const model of processes) expect(canonical(await model.get(survey, QUESTION, BOOK))).toEqual(expected);
        await Promise.all([fresh, ...processes].map((model) => model.checkpointsSaved()));
      }),
      { numRuns: 25 },
    );
  }, 240_000);

  it('rebuilds from the log when the checkpoint is stale (the survey changed otherwise) or a chunk is missing', async () => {
    const responses = responseModel(connection);
    const counters = new ChangeCounters(connection);
    const coding = codingModels(connection);
    const feed = submissionFeed(connection, counters);
    const ids: string[] = [];
    for (const text of ['Agency staff leave', 'Cuts to early help', 'Courts are slow']) {
      const _id = new mongoose.Types.ObjectId();
      await responses.collection.insertOne({
        _id,
        surveyId: survey.id,
        status: 'submitted',
        tokenHash: `stale-${String(_id)}`,
        answers: { [QUESTION]: text },
      });
      ids.push(String(_id));
      await feed.append(survey.id, [{ responseId: String(_id), at: new Date() }]);
    }
    const writer = new CodingReadModel({ responses, coding, counters, checkpointEvery: 1 });
    await writer.get(survey, QUESTION, BOOK);
    const event = { surveyId: survey.id, questionId: QUESTION, codebookId: BOOK, coderId: 'ana', present: true };
    await writer.record(survey, [{ ...event, responseId: ids[0]!, codeId: 'workforce' }]);
    await writer.checkpointsSaved();

    const fromCheckpoint = new CodingReadModel({ responses, coding, counters });
    expect((await fromCheckpoint.get(survey, QUESTION, BOOK)).codingsOf(ids[0]!, 'ana')).toEqual([
      { codeId: 'workforce' },
    ]);
    expect(fromCheckpoint.stats).toEqual({ checkpointLoads: 1, rebuilds: 0 });

    // Stale: an answer changed outside the log (as an erasure or an anonymisation does), and the counter moved.
    await responses.collection.updateOne(
      { _id: new mongoose.Types.ObjectId(ids[1]) },
      { $set: { [`answers.${QUESTION}`]: 'Changed' } },
    );
    await counters.bump(surveyCounterKey(survey.id));
    const afterChange = new CodingReadModel({ responses, coding, counters });
    const index = await afterChange.get(survey, QUESTION, BOOK);
    expect(afterChange.stats).toEqual({ checkpointLoads: 0, rebuilds: 1 });
    expect(index.byResponse.get(ids[1]!)?.text).toBe('Changed');
    expect(index.codingsOf(ids[0]!, 'ana')).toEqual([{ codeId: 'workforce' }]);
    await afterChange.checkpointsSaved();

    // Damaged: a chunk of the newest checkpoint is gone.
    await connection.collection('projectionchunks').deleteMany({});
    const afterLoss = new CodingReadModel({ responses, coding, counters });
    expect(canonical(await afterLoss.get(survey, QUESTION, BOOK))).toEqual(canonical(index));
    expect(afterLoss.stats).toEqual({ checkpointLoads: 0, rebuilds: 1 });
    await afterLoss.checkpointsSaved();
  });
});
