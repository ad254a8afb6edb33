import type { ResponseModel } from '../surveys/responses/model.js';
import type { Survey } from '../surveys/registry.js';
import { type ChangeCounters, surveyCounterKey } from '../db/change-counter.js';
import type { CodingEvent, CodingModels } from './model.js';
import { QuestionIndex, type Unit } from './question-index.js';

export { codingKey, QuestionIndex, type Coding, type Unit } from './question-index.js';

/** A question's index was (re)built, or some of its answers' codings changed. */
export interface IndexChange {
  surveyId: string;
  questionId: string;
  codebookId: string;
  index: QuestionIndex;
  /** The answers whose codings changed; absent when the whole index was rebuilt. */
  responseIds?: string[];
}

export interface ReadModelContext {
  responses: ResponseModel;
  coding: CodingModels;
  counters: ChangeCounters;
}

/**
 * Keeps one QuestionIndex per (survey, question, codebook) in memory, rebuilt from MongoDB whenever
 * the survey's change counter moved in a way this process did not cause itself.
 */
export class CodingReadModel {
  private readonly cache = new Map<string, QuestionIndex>();
  private readonly loading = new Map<string, Promise<QuestionIndex>>();
  private readonly listeners: ((change: IndexChange) => void)[] = [];

  onChange(listener: (change: IndexChange) => void): void {
    this.listeners.push(listener);
  }

  /** The indexes this process holds for a codebook, whichever questions they belong to. */
  indexesFor(codebookId: string): IndexChange[] {
    return [...this.cache.entries()]
      .map(([key, index]) => {
        const [surveyId = '', questionId = '', bookId = ''] = key.split(':');
        return { surveyId, questionId, codebookId: bookId, index };
      })
      .filter((entry) => entry.codebookId === codebookId);
  }

  private notify(change: IndexChange): void {
    for (const listener of this.listeners) listener(change);
  }

  constructor(readonly context: ReadModelContext) {}

  async get(survey: Survey, questionId: string, codebookId: string): Promise<QuestionIndex> {
    return this.getAt(survey, questionId, codebookId, await this.context.counters.read(surveyCounterKey(survey.id)));
  }

  /** As `get`, with the survey's change counter already read (`current`). */
  async getAt(survey: Survey, questionId: string, codebookId: string, current: number): Promise<QuestionIndex> {
    const key = `${survey.id}:${questionId}:${codebookId}`;
    const cached = this.cache.get(key);
    if (cached && cached.version === current) return cached;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(survey, questionId, codebookId, current).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    const index = await pending;
    if (this.cache.get(key) !== index) {
      this.cache.set(key, index);
      this.notify({ surveyId: survey.id, questionId, codebookId, index });
    }
    return index;
  }

  /** Stores a coding event and applies it to the cache when no other process changed the survey meanwhile. */
  /** Writes of this process, one after another: see `record`. */
  private writing: Promise<unknown> = Promise.resolve();
  private lastAt = 0;

  /**
   * Stores coding events and applies them to the cache. This process's writes go one at a time,
   * each stamped later than the last, so the order they are applied in memory is the order a
   * rebuild from the log replays them in: two clicks at once read the same everywhere, now and
   * after a restart. A write by another process in between is noticed by the change counter,
   * and the cache is rebuilt from the log.
   */
  async record(survey: Survey, events: Omit<CodingEvent, 'at'>[]): Promise<void> {
    if (events.length === 0) return;
    const done = this.writing.then(() => this.recordNow(survey, events));
    this.writing = done.catch(() => undefined);
    return done;
  }

  /**
   * Checked after inserting: an answer erased meanwhile loses the events just written for it. An
   * erasure deletes the response before its last sweep, so a write either sees the response gone
   * here and removes itself, or was stored before that sweep, which removes it.
   */
  private async withoutErased(events: Omit<CodingEvent, 'at'>[]): Promise<Omit<CodingEvent, 'at'>[]> {
    const ids = [...new Set(events.map((event) => event.responseId))];
    const gone: string[] = [];
    for (const id of ids) if (!(await this.responseExists(id))) gone.push(id);
    if (gone.length === 0) return events;
    await this.context.coding.events.deleteMany({ responseId: { $in: gone } });
    return events.filter((event) => !gone.includes(event.responseId));
  }

  /** Whether the response is still stored (not erased): one read by `_id`. */
  async responseExists(responseId: string): Promise<boolean> {
    return (await this.context.responses.exists({ _id: responseId })) !== null;
  }

  private async recordNow(survey: Survey, events: Omit<CodingEvent, 'at'>[]): Promise<void> {
    this.lastAt = Math.max(Date.now(), this.lastAt + 1);
    const at = new Date(this.lastAt);
    await this.registerCodebook(events[0]!);
    await this.context.coding.events.insertMany(events.map((event) => ({ ...event, at })));
    events = await this.withoutErased(events);
    const after = await this.context.counters.bump(surveyCounterKey(survey.id));
    for (const [key, index] of this.cache) {
      if (!key.startsWith(`${survey.id}:`)) continue;
      const [, questionId, codebookId] = key.split(':');
      const mine = events.filter((event) => event.questionId === questionId && event.codebookId === codebookId);
      if (index.version !== after - 1) {
        this.cache.delete(key);
        continue;
      }
      for (const event of mine) index.apply(event);
      index.version = after;
      if (mine.length > 0)
        this.notify({
          surveyId: survey.id,
          questionId: questionId!,
          codebookId: codebookId!,
          index,
          responseIds: [...new Set(mine.map((event) => event.responseId))],
        });
    }
  }

  private readonly registered = new Set<string>();

  /** Notes, once per process, that this question is coded with this codebook. */
  private async registerCodebook({
    surveyId,
    questionId,
    codebookId,
  }: Pick<CodingEvent, 'surveyId' | 'questionId' | 'codebookId'>): Promise<void> {
    const _id = `${surveyId}:${questionId}:${codebookId}`;
    if (this.registered.has(_id)) return;
    await this.context.coding.questionCodebooks.updateOne(
      { _id },
      { $set: { surveyId, questionId, codebookId } },
      { upsert: true },
    );
    this.registered.add(_id);
  }

  private async load(survey: Survey, questionId: string, codebookId: string, version: number): Promise<QuestionIndex> {
    const { group, country, quoteConsent } = survey.definition.profile;
    const units: Unit[] = [];
    const cursor = this.context.responses
      .find({ surveyId: survey.id, status: 'submitted' }, { _id: 1, submittedAt: 1, answers: 1, language: 1 })
      .lean()
      .cursor({ batchSize: 2000 });
    for await (const response of cursor) {
      const answers = (response.answers ?? {}) as Record<string, unknown>;
      const text = answers[questionId];
      if (typeof text !== 'string' || text.trim() === '') continue;
      units.push({
        responseId: String(response._id),
        text,
        lowerText: text.toLowerCase(),
        group: typeof answers[group] === 'string' ? (answers[group] as string) : undefined,
        country: typeof answers[country] === 'string' ? (answers[country] as string) : undefined,
        quoteConsent: answers[quoteConsent] === 'yes',
        ...(response.language === 'cy' ? { language: 'cy' as const } : {}),
        index: 0,
      });
    }
    // ObjectIds begin with their creation time, so this is submission order on every backend.
    units.sort((a, b) => (a.responseId < b.responseId ? -1 : 1));
    units.forEach((unit, index) => (unit.index = index));
    const index = new QuestionIndex(version, units);
    const events = await this.context.coding.events.find({ surveyId: survey.id, questionId, codebookId }).lean();
    events.sort((a, b) => a.at.getTime() - b.at.getTime() || (String(a._id) < String(b._id) ? -1 : 1));
    for (const event of events) index.apply(event);
    return index;
  }
}
