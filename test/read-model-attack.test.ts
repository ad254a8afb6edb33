import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ChangeCounters, surveyCounterKey } from '../server/db/change-counter.js';
import { CHECKPOINT_CHUNKS, CHECKPOINT_HEADS } from '../server/db/checkpoint-collections.js';
import { codingModels } from '../server/coding/model.js';
import { codingLog } from '../server/coding/log.js';
import { rebuildProjection } from '../server/coding/projection.js';
import { CodingReadModel } from '../server/coding/read-model.js';
import { deleteResponseAndTrace } from '../server/admin/erasure.js';
import { responseModel } from '../server/surveys/responses/model.js';
import { submissionFeed } from '../server/surveys/responses/feed.js';
import { submitResponse } from '../server/surveys/responses/service.js';
import { loadSurveys } from '../server/surveys/registry.js';
import { projectRoot } from '../server/config.js';
import { importAnswers } from '../server/imports/service.js';
import { definitionsDir } from './helpers/app.js';
import { clearReadModelData, readModelDatabase } from './helpers/read-model.js';
import { writeFixture } from './helpers/imports.js';

const survey = loadSurveys(definitionsDir).get('professionals')!;
const QUESTION = 'drivers_text';
const BOOK = 'care-crisis-drivers';

const database = readModelDatabase();
let connection: Connection;
beforeAll(() => void (connection = database()));
beforeEach(async () => {
  await clearReadModelData(connection);
});

const parts = () => ({
  responses: responseModel(connection),
  counters: new ChangeCounters(connection),
  coding: codingModels(connection),
});

/** A submitted answer; its feed entry too unless `feed` is false (the submitting process died in between). */
async function submit(text: string, { feed = true } = {}): Promise<string> {
  const { responses, counters } = parts();
  const _id = new mongoose.Types.ObjectId();
  await responses.collection.insertOne({
    _id,
    surveyId: survey.id,
    status: 'submitted',
    tokenHash: String(_id),
    answers: { [QUESTION]: text },
  });
  if (feed) await submissionFeed(connection, counters).append(survey.id, [{ responseId: String(_id), at: new Date() }]);
  return String(_id);
}

const coding = (responseId: string, coderId: string, codeId: string) => ({
  surveyId: survey.id,
  questionId: QUESTION,
  codebookId: BOOK,
  responseId,
  coderId,
  codeId,
  present: true,
});

async function rebuilt() {
  const { responses, counters } = parts();
  const epoch = await counters.read(surveyCounterKey(survey.id));
  const sources = { responses, log: codingLog(connection, counters), feed: submissionFeed(connection, counters) };
  return (await rebuildProjection(sources, survey, QUESTION, BOOK, epoch)).index;
}

describe('the coding read model under attack', () => {
  it("keeps another process's coding of an answer this process has not yet read from the feed", async () => {
    const first = await submit('Too few staff');
    const a = new CodingReadModel(parts());
    await a.get(survey, QUESTION, BOOK);
    // A new answer arrives; a coder sees it through process B and codes it there.
    const late = await submit('Caseloads grow');
    const b = new CodingReadModel(parts());
    await b.get(survey, QUESTION, BOOK);
    await b.record(survey, [coding(late, 'ben', 'workforce')]);
    // Meanwhile process A records a coding of its own (it reads B's event, not yet the feed).
    await a.record(survey, [coding(first, 'ana', 'austerity')]);
    const index = await a.get(survey, QUESTION, BOOK);
    expect((await rebuilt()).codingsOf(late, 'ben')).toEqual([{ codeId: 'workforce' }]);
    expect(index.codingsOf(late, 'ben')).toEqual([{ codeId: 'workforce' }]);
    await Promise.all([a.checkpointsSaved(), b.checkpointsSaved()]);
  });

  it('shows a coded answer whose feed entry was never written (its submitting process died)', async () => {
    await submit('Too few staff');
    const a = new CodingReadModel(parts());
    await a.get(survey, QUESTION, BOOK);
    const lost = await submit('Courts are slow', { feed: false });
    // Process B starts afterwards, reads the survey whole, and a coder codes the answer there.
    const b = new CodingReadModel(parts());
    expect((await b.get(survey, QUESTION, BOOK)).byResponse.has(lost)).toBe(true);
    await b.record(survey, [coding(lost, 'ben', 'workforce')]);
    const index = await a.get(survey, QUESTION, BOOK);
    expect(index.byResponse.has(lost)).toBe(true);
    expect(index.codingsOf(lost, 'ben')).toEqual([{ codeId: 'workforce' }]);
    await Promise.all([a.checkpointsSaved(), b.checkpointsSaved()]);
  });

  it("rebuilds when a checkpoint's texts are damaged, rather than failing on every read of the question", async () => {
    const id = await submit('Agency staff leave');
    const writer = new CodingReadModel({ ...parts(), checkpointEvery: 1 });
    await writer.get(survey, QUESTION, BOOK);
    await writer.record(survey, [coding(id, 'ana', 'workforce')]);
    await writer.checkpointsSaved();
    const chunks = connection.collection(CHECKPOINT_CHUNKS);
    expect(await chunks.countDocuments()).toBe(1);
    await chunks.updateMany({}, { $set: { texts: new mongoose.mongo.Binary(Buffer.from('not deflated at all')) } });
    const reader = new CodingReadModel(parts());
    const index = await reader.get(survey, QUESTION, BOOK);
    expect(() => index.units.map((unit) => unit.text)).not.toThrow();
    expect(index.byResponse.get(id)?.text).toBe('Agency staff leave');
    expect(index.codingsOf(id, 'ana')).toEqual([{ codeId: 'workforce' }]);
    await reader.checkpointsSaved();
  });

  it("leaves no copy of an erased answer's text in checkpoint chunks, even one a killed save left behind", async () => {
    const secret = 'My manager Jo Bloggs at Anytown council bullies staff';
    const id = await submit(secret);
    await submit('Cuts to early help');
    const writer = new CodingReadModel({ ...parts(), checkpointEvery: 1 });
    await writer.get(survey, QUESTION, BOOK);
    await writer.record(survey, [coding(id, 'ana', 'workforce')]);
    await writer.checkpointsSaved();
    // A process killed mid-save leaves chunks of a generation no head points at.
    const chunks = connection.collection<{ _id: string }>(CHECKPOINT_CHUNKS);
    for (const chunk of await chunks.find({}).toArray())
      await chunks.insertOne({ ...chunk, _id: chunk._id.replace(/@[^#]+#/, `@${crypto.randomUUID()}#`) });
    await deleteResponseAndTrace(parts(), survey.id, id);
    const left = await chunks.find({}).toArray();
    const { inflateRawSync } = await import('node:zlib');
    const texts = left.flatMap((chunk) => {
      const { texts: bytes } = chunk as unknown as { texts?: { buffer: Uint8Array } };
      return bytes ? (JSON.parse(inflateRawSync(bytes.buffer).toString()) as string[]) : [];
    });
    expect(texts).not.toContain(secret);
  });

  it('leaves no half-saved checkpoint behind when the command line exports a project (legacy and numbered events)', async () => {
    const ids = [await submit('Too few staff'), await submit('Cuts to early help')];
    // Events from before the log was numbered: ObjectId ids, no seq.
    await connection
      .collection('codingevents')
      .insertMany(
        ids.map((responseId) => ({ ...coding(responseId, 'ana', 'workforce'), at: new Date(Date.now() - 60_000) })),
      );
    await connection
      .collection('questioncodebooks')
      .updateOne(
        { _id: `${survey.id}:${QUESTION}:${BOOK}` as never },
        { $set: { surveyId: survey.id, questionId: QUESTION, codebookId: BOOK } },
        { upsert: true },
      );
    const writer = new CodingReadModel(parts());
    await writer.get(survey, QUESTION, BOOK);
    await writer.record(survey, [{ ...coding(ids[0]!, 'ana', 'workforce'), present: false }]);
    await writer.checkpointsSaved();
    await connection.collection(CHECKPOINT_HEADS).deleteMany({});
    await connection.collection(CHECKPOINT_CHUNKS).deleteMany({});
    const run = spawnSync('npm', ['run', '--silent', 'cli', '--', 'project', '--survey', survey.id], {
      cwd: projectRoot,
      env: { ...process.env, MONGODB_URI: `${inject('mongoUri').replace(/\/$/, '')}/${connection.name}` },
    });
    expect(run.status, String(run.stderr)).toBe(0);
    const heads = await connection.collection<{ _id: string; generation: string }>(CHECKPOINT_HEADS).find({}).toArray();
    const chunks = await connection.collection<{ _id: string }>(CHECKPOINT_CHUNKS).find({}).toArray();
    for (const chunk of chunks)
      expect(
        heads.some((head) => chunk._id.startsWith(`${head._id}@${head.generation}#`)),
        chunk._id,
      ).toBe(true);
    const index = await new CodingReadModel(parts()).get(survey, QUESTION, BOOK);
    expect(index.codingsOf(ids[0]!, 'ana')).toEqual([]);
    expect(index.codingsOf(ids[1]!, 'ana')).toEqual([{ codeId: 'workforce' }]);
  }, 60_000);

  it('writes the feed entry a failed submit left out when the respondent sends again', async () => {
    await submit('Too few staff');
    const a = new CodingReadModel(parts());
    await a.get(survey, QUESTION, BOOK);
    // The response was stored as sent, then writing its feed entry failed (the respondent saw an error).
    const lost = await submit('Courts are slow', { feed: false });
    const draft = {
      id: new mongoose.Types.ObjectId(lost),
      status: 'submitted' as const,
      answers: { [QUESTION]: 'Courts are slow' },
      otherText: {},
      finishedPages: [],
      language: 'en' as const,
      pageLanguages: {},
    };
    const { responses, counters } = parts();
    expect(await submitResponse(responses, counters, { survey, draft, now: new Date() })).toEqual({
      outcome: 'submitted',
    });
    expect((await a.get(survey, QUESTION, BOOK)).byResponse.get(lost)?.text).toBe('Courts are slow');
    await a.checkpointsSaved();
  });

  it('gives every process and a fresh start the same codings when two processes code the same answers at once', async () => {
    const ids = await Promise.all(['Too few staff', 'Cuts', 'Caseloads grow'].map((text) => submit(text)));
    const models = [0, 1].map(() => new CodingReadModel({ ...parts(), checkpointEvery: 3 }));
    await Promise.all(models.map((model) => model.get(survey, QUESTION, BOOK)));
    const codes = ['workforce', 'austerity', 'system-overload'];
    const work = Array.from({ length: 40 }, (_, i) => async () => {
      const model = models[i % 2]!;
      if (i % 7 === 3) ids.push(await submit(`Late ${i}`));
      if (i % 5 === 0) await model.get(survey, QUESTION, BOOK);
      await model.record(survey, [
        { ...coding(ids[i % ids.length]!, i % 3 === 0 ? 'final' : 'ana', codes[i % 3]!), present: i % 4 !== 0 },
        { ...coding(ids[(i + 1) % ids.length]!, 'ben', codes[(i + 1) % 3]!), present: i % 3 !== 0 },
      ]);
    });
    await Promise.all(work.map((run) => run()));
    await Promise.all(models.map((model) => model.checkpointsSaved()));
    const expected = await rebuilt();
    const view = (index: Awaited<ReturnType<typeof rebuilt>>) =>
      index.units.map((unit) =>
        index
          .entriesOf(unit.responseId)
          .map(
            ([coder, list]) =>
              `${coder}:${list
                .map((c) => c.codeId)
                .sort()
                .join(',')}`,
          )
          .sort(),
      );
    const fresh = new CodingReadModel(parts());
    for (const model of [...models, fresh])
      expect(view(await model.get(survey, QUESTION, BOOK))).toEqual(view(expected));
    await fresh.checkpointsSaved();
  }, 60_000);

  it('numbers every entry exactly once when writers append large batches to one log at once', async () => {
    const logs = [0, 1, 2, 3].map(() => codingLog(connection, new ChangeCounters(connection)));
    const key = `${survey.id}:race:book`;
    const batches = logs.map((log, writer) =>
      Array.from({ length: 3 }, (_, round) =>
        Array.from({ length: 25 }, (_, i) => ({
          ...coding(`w${writer}r${round}i${i}`, 'ana', 'workforce'),
          at: new Date(),
        })),
      ),
    );
    await Promise.all(
      logs.map(async (log, writer) => {
        for (const batch of batches[writer]!) await log.append(key, batch);
      }),
    );
    const stored = await logs[0]!.readAfter(key, 0);
    expect(stored.map((entry) => entry.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(new Set(stored.map((entry) => entry.responseId)).size).toBe(300);
  }, 60_000);

  it("leaves no copy of an erased answer's text when the erasure races checkpoint saves", async () => {
    const { inflateRawSync } = await import('node:zlib');
    for (let round = 0; round < 6; round++) {
      await clearReadModelData(connection, { keepCounters: true });
      const secret = `Jo Bloggs ${round} told me`;
      const id = await submit(secret);
      const others = await Promise.all(['Cuts', 'Courts are slow'].map((text) => submit(text)));
      const models = [0, 1].map(() => new CodingReadModel({ ...parts(), checkpointEvery: 1 }));
      await Promise.all(models.map((model) => model.get(survey, QUESTION, BOOK)));
      const codes = ['workforce', 'austerity', 'system-overload'];
      await Promise.all([
        ...Array.from({ length: 12 }, (_, i) =>
          models[i % 2]!.record(survey, [coding([id, ...others][i % 3]!, 'ana', codes[i % 3]!)]).then(() =>
            models[i % 2]!.get(survey, QUESTION, BOOK),
          ),
        ),
        new Promise((resolve) => setTimeout(resolve, round * 15)).then(() =>
          deleteResponseAndTrace(parts(), survey.id, id),
        ),
      ]);
      await Promise.all(models.map((model) => model.checkpointsSaved()));
      // Processes that read again afterwards save fresh checkpoints: none may hold the erased answer.
      await Promise.all(models.map((model) => model.get(survey, QUESTION, BOOK)));
      await Promise.all(models.map((model) => model.checkpointsSaved()));
      const chunks = await connection.collection(CHECKPOINT_CHUNKS).find({}).toArray();
      const texts = chunks.flatMap((chunk) => {
        const { texts: bytes } = chunk as unknown as { texts?: { buffer: Uint8Array } };
        return bytes ? (JSON.parse(inflateRawSync(bytes.buffer).toString()) as string[]) : [];
      });
      expect(texts, `round ${round}`).not.toContain(secret);
      const events = await connection.collection('codingevents').find({ responseId: id }).toArray();
      expect(events).toEqual([]);
      const entries = await connection.collection('submissionfeed').find({ responseId: id }).toArray();
      expect(entries).toEqual([]);
    }
  }, 120_000);

  it('shows the rows of an import that died before it moved the survey counter, once the import is run again', async () => {
    const registry = new Map(loadSurveys(definitionsDir));
    const request = (file: string) => ({
      surveyId: 'staff-pulse',
      title: 'Staff pulse',
      file,
      text: ['Comments'],
      attributes: [],
      by: 'test',
    });
    const first = writeFixture('pulse.csv', 'id,Comments\n1,Too few staff\n2,Cuts to early help\n');
    await importAnswers({ connection, registry }, request(first));
    const pulse = registry.get('staff-pulse')!;
    const question = pulse.questions.find((candidate) => candidate.type === 'text')!.id;
    const model = new CodingReadModel(parts());
    const book = 'care-crisis-drivers';
    expect((await model.get(pulse, question, book)).units).toHaveLength(2);
    const key = surveyCounterKey('staff-pulse');
    const before = await parts().counters.read(key);
    // The second import stores its rows, then its process dies before moving the counter.
    const second = writeFixture('pulse.csv', 'id,Comments\n1,Too few staff\n2,Cuts to early help\n3,Courts are slow\n');
    await importAnswers({ connection, registry }, request(second));
    await connection.collection('changecounters').updateOne({ _id: key as never }, { $set: { value: before } });
    // Run again: every row is already stored.
    expect((await importAnswers({ connection, registry }, request(second))).imported).toBe(0);
    expect((await model.get(registry.get('staff-pulse')!, question, book)).units).toHaveLength(3);
    await model.checkpointsSaved();
  });

  it('rebuilds for every other kind of damage: bad data bytes, data of the wrong shape, a head without its chunks', async () => {
    const { deflateRawSync } = await import('node:zlib');
    const id = await submit('Agency staff leave');
    const binary = (bytes: Buffer) => new mongoose.mongo.Binary(bytes);
    const damages: [string, () => Promise<unknown>][] = [
      [
        'bad data bytes',
        () => connection.collection(CHECKPOINT_CHUNKS).updateMany({}, { $set: { data: binary(Buffer.from('xx')) } }),
      ],
      [
        'data not a list',
        () =>
          connection
            .collection(CHECKPOINT_CHUNKS)
            .updateMany({}, { $set: { data: binary(deflateRawSync('{"a":1}')) } }),
      ],
      [
        'answers of the wrong shape',
        () =>
          connection.collection(CHECKPOINT_CHUNKS).updateMany({}, { $set: { data: binary(deflateRawSync('[[1]]')) } }),
      ],
      ['texts missing', () => connection.collection(CHECKPOINT_CHUNKS).updateMany({}, { $unset: { texts: '' } })],
      ['head without chunks', () => connection.collection(CHECKPOINT_CHUNKS).deleteMany({})],
      ['head of more chunks', () => connection.collection(CHECKPOINT_HEADS).updateMany({}, { $inc: { chunks: 1 } })],
    ];
    for (const [name, damage] of damages) {
      await Promise.all(
        [CHECKPOINT_HEADS, CHECKPOINT_CHUNKS].map((collection) => connection.collection(collection).deleteMany({})),
      );
      const writer = new CodingReadModel({ ...parts(), checkpointEvery: 1 });
      await writer.get(survey, QUESTION, BOOK);
      await writer.record(survey, [{ ...coding(id, 'ana', 'workforce'), present: name.length % 2 === 0 }]);
      await writer.checkpointsSaved();
      const expected = await rebuilt();
      await damage();
      const reader = new CodingReadModel(parts());
      const index = await reader.get(survey, QUESTION, BOOK);
      expect(reader.stats, name).toEqual({ checkpointLoads: 0, rebuilds: 1 });
      expect(
        index.units.map((unit) => unit.text),
        name,
      ).toEqual(expected.units.map((unit) => unit.text));
      expect(index.codingsOf(id, 'ana'), name).toEqual(expected.codingsOf(id, 'ana'));
      await reader.checkpointsSaved();
    }
  });
});
