import type { Connection } from 'mongoose';
import type { ChangeCounters } from '../db/change-counter.js';
import { surveyDefinitionSchema } from '../surveys/definition-schema.js';
import { Survey, type MutableSurveyRegistry } from '../surveys/registry.js';
import { importedSurveyModel } from './model.js';

export const IMPORTED_SURVEYS_COUNTER = 'imported-surveys';
/** How often a process asks whether another one imported a survey: signed-in requests only. */
const CHECK_EVERY_MS = 2_000;

/**
 * Keeps the app's survey registry holding every imported survey, including those another process
 * (the command line, a second app process) imported: a counter bumped by each import says when to look.
 */
export class ImportedSurveyCatalogue {
  private seen = -1;
  private checkedAt = 0;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly counters: ChangeCounters,
    private readonly registry: MutableSurveyRegistry,
  ) {}

  /** Loads what changed since the last look; cheap when nothing did (one counter read every few seconds). */
  async refresh(force = false): Promise<void> {
    if (!force && Date.now() - this.checkedAt < CHECK_EVERY_MS) return;
    this.pending ??= this.load().finally(() => (this.pending = undefined));
    await this.pending;
  }

  private async load(): Promise<void> {
    const current = await this.counters.read(IMPORTED_SURVEYS_COUNTER);
    this.checkedAt = Date.now();
    if (current === this.seen) return;
    const records = await importedSurveyModel(this.connection).find({}, { definition: 1 }).lean();
    for (const record of records) {
      const known = this.registry.get(record._id);
      if (known?.origin === 'hosted') continue;
      const definition = surveyDefinitionSchema.parse(JSON.parse(record.definition));
      if (known && known.definition.version === definition.version) continue;
      this.registry.set(record._id, new Survey(definition, 'imported'));
    }
    this.seen = current;
  }
}
