import type { ResponseModel } from '../surveys/responses/model.js';
import type { Survey } from '../surveys/registry.js';
import { type ChangeCounters, surveyCounterKey } from '../db/change-counter.js';
import { submissionFeed } from '../surveys/responses/feed.js';
import type { CodingEvent, CodingModels } from './model.js';
import { CODING_EVENTS, codingLog, ERASED_EVENT_UPDATE, questionKey } from './log.js';
import { Checkpoints } from './checkpoints.js';
import { catchUp, rebuildProjection, type Projection, type ProjectionSources } from './projection.js';
import type { QuestionIndex } from './question-index.js';

/** How far a projection has read: its log and feed positions together. */
const reached = (projection: Projection) => projection.positions.log + projection.positions.feed;

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
  /** Log and feed entries applied since a question's last checkpoint that make it save another (1,000). */
  checkpointEvery?: number;
}

/**
 * Keeps one projection per (survey, question, codebook) in memory and keeps it current by applying
 * changes, never by re-reading: coding events after the position it has read (each question's log
 * is numbered), and submissions after its position in the survey's submission feed. Each request
 * costs a look-up or two of the next entries. Only a change that is not a coding or a submission
 * (an erasure, an import, anonymisation) moves the survey's change counter, and then the question
 * is built again.
 */
export class CodingReadModel {
  private readonly cache = new Map<string, Projection>();
  private readonly loading = new Map<string, Promise<Projection>>();
  private readonly catchingUp = new Map<string, Promise<unknown>>();
  private readonly listeners: ((change: IndexChange) => void)[] = [];
  private readonly sources: ProjectionSources;
  private readonly checkpoints: Checkpoints;
  /** Per question: log plus feed position at its last checkpoint (saved or loaded). */
  private readonly checkpointed = new Map<string, number>();
  private readonly saving = new Map<string, Promise<void>>();
  /** How questions were loaded: from a checkpoint, or rebuilt from the whole log (benchmarks, tests). */
  readonly stats = { checkpointLoads: 0, rebuilds: 0 };

  constructor(readonly context: ReadModelContext) {
    this.sources = {
      responses: context.responses,
      log: codingLog(context.responses.db, context.counters),
      feed: submissionFeed(context.responses.db, context.counters),
    };
    this.checkpoints = new Checkpoints(context.responses.db);
  }

  onChange(listener: (change: IndexChange) => void): void {
    this.listeners.push(listener);
  }

  /** The indexes this process holds for a codebook, whichever questions they belong to. */
  indexesFor(codebookId: string): IndexChange[] {
    return [...this.cache.values()]
      .filter((projection) => projection.codebookId === codebookId)
      .map(({ survey, questionId, codebookId: bookId, index }) => ({
        surveyId: survey.id,
        questionId,
        codebookId: bookId,
        index,
      }));
  }

  private notify(projection: Projection, responseIds?: string[]): void {
    const { survey, questionId, codebookId, index } = projection;
    const change = { surveyId: survey.id, questionId, codebookId, index, ...(responseIds ? { responseIds } : {}) };
    for (const listener of this.listeners) listener(change);
  }

  async get(survey: Survey, questionId: string, codebookId: string): Promise<QuestionIndex> {
    return this.getAt(survey, questionId, codebookId, await this.context.counters.read(surveyCounterKey(survey.id)));
  }

  /** As `get`, with the survey's change counter already read (`epoch`). */
  async getAt(survey: Survey, questionId: string, codebookId: string, epoch: number): Promise<QuestionIndex> {
    const key = questionKey(survey.id, questionId, codebookId);
    const cached = this.cache.get(key);
    if (cached && cached.positions.epoch >= epoch) {
      await this.catchUpOnce(cached);
      return cached.index;
    }
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(survey, questionId, codebookId, epoch).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return (await pending).index;
  }

  /** From the question's checkpoint and the log after it; from scratch if there is none or it is stale. */
  private async load(survey: Survey, questionId: string, codebookId: string, epoch: number): Promise<Projection> {
    const key = questionKey(survey.id, questionId, codebookId);
    const saved = await this.checkpoints.load(survey, questionId, codebookId, key, epoch).catch(() => undefined);
    const projection = saved ?? (await rebuildProjection(this.sources, survey, questionId, codebookId, epoch));
    this.checkpointed.set(key, saved ? reached(projection) : -Infinity);
    if (saved) this.stats.checkpointLoads++;
    else this.stats.rebuilds++;
    await catchUp(this.sources, projection);
    this.cache.set(key, projection);
    this.notify(projection);
    this.checkpointIfDue(projection);
    return projection;
  }

  /** Saves a checkpoint in the background once enough has been applied since the last one. */
  private checkpointIfDue(projection: Projection): void {
    const { key } = projection;
    if (this.saving.has(key)) return;
    if (reached(projection) - (this.checkpointed.get(key) ?? -Infinity) < (this.context.checkpointEvery ?? 1000))
      return;
    const at = reached(projection);
    const epochNow = () => this.context.counters.read(surveyCounterKey(projection.survey.id));
    const saving = this.checkpoints
      .save(projection, epochNow)
      .then(() => void this.checkpointed.set(key, at))
      // A checkpoint that could not be saved is only missing: the next open rebuilds from the log.
      .catch(() => undefined)
      .finally(() => this.saving.delete(key));
    this.saving.set(key, saving);
  }

  /** Waits for checkpoints being saved (tests; a clean shutdown). */
  async checkpointsSaved(): Promise<void> {
    await Promise.all(this.saving.values());
  }

  /** One catch-up at a time per question: callers meanwhile wait for the one under way, then go again. */
  private async catchUpOnce(projection: Projection, known?: Parameters<typeof catchUp>[2]): Promise<void> {
    const submissions = known === undefined;
    const previous = this.catchingUp.get(projection.key) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (this.cache.get(projection.key) !== projection) return;
      const changed = await catchUp(this.sources, projection, known, { submissions });
      if (changed.length > 0) this.notify(projection, changed);
      this.checkpointIfDue(projection);
    });
    const settled = next.catch(() => undefined);
    this.catchingUp.set(projection.key, settled);
    void settled.then(() => {
      if (this.catchingUp.get(projection.key) === settled) this.catchingUp.delete(projection.key);
    });
    return next;
  }

  /** Writes of this process, one after another: see `record`. */
  private writing: Promise<unknown> = Promise.resolve();
  private lastAt = 0;

  /**
   * Appends coding events to their questions' logs, then brings this process's projections up to
   * date (its own events are applied from memory, others' that fell between are read). The log's
   * order is the order every process and every rebuild applies them in.
   */
  async record(survey: Survey, events: Omit<CodingEvent, 'at'>[]): Promise<void> {
    if (events.length === 0) return;
    const done = this.writing.then(() => this.recordNow(survey, events));
    this.writing = done.catch(() => undefined);
    return done;
  }

  /**
   * Checked after appending: an answer erased meanwhile loses the events just written for it. An
   * erasure deletes the response before its last sweep, so a write either sees the response gone
   * here and removes itself, or was stored before that sweep, which removes it.
   */
  private async withoutErased(responseIds: string[]): Promise<void> {
    const gone: string[] = [];
    for (const id of responseIds) if (!(await this.responseExists(id))) gone.push(id);
    if (gone.length > 0)
      await this.context.responses.db
        .collection(CODING_EVENTS)
        .updateMany({ responseId: { $in: gone } }, ERASED_EVENT_UPDATE);
  }

  /** Whether the response is still stored (not erased): one read by `_id`. */
  async responseExists(responseId: string): Promise<boolean> {
    return (await this.context.responses.exists({ _id: responseId })) !== null;
  }

  private async recordNow(survey: Survey, events: Omit<CodingEvent, 'at'>[]): Promise<void> {
    this.lastAt = Math.max(Date.now(), this.lastAt + 1);
    const at = new Date(this.lastAt);
    const byQuestion = new Map<string, CodingEvent[]>();
    for (const event of events) {
      const key = questionKey(event.surveyId, event.questionId, event.codebookId);
      byQuestion.set(key, [...(byQuestion.get(key) ?? []), { ...event, at }]);
    }
    for (const [key, written] of byQuestion) {
      await this.registerCodebook(written[0]!);
      const projection = this.cache.get(key);
      const stored = await this.sources.log.append(key, written, projection?.positions.log ?? 0);
      await this.withoutErased([...new Set(written.map((event) => event.responseId))]);
      if (projection) await this.catchUpOnce(projection, new Map(stored.map((event) => [event.seq, event])));
    }
  }

  private readonly registered = new Set<string>();

  /** Notes, once per process, that this question is coded with this codebook. */
  private async registerCodebook({
    surveyId,
    questionId,
    codebookId,
  }: Pick<CodingEvent, 'surveyId' | 'questionId' | 'codebookId'>): Promise<void> {
    const _id = questionKey(surveyId, questionId, codebookId);
    if (this.registered.has(_id)) return;
    await this.context.coding.questionCodebooks.updateOne(
      { _id },
      { $set: { surveyId, questionId, codebookId } },
      { upsert: true },
    );
    this.registered.add(_id);
  }
}
