import type { CodeUsage, CodeUsageSource } from '../codebooks/usage.js';
import { compareLogOrder, type StoredEvent } from './log.js';
import { FINAL_CODER, NO_CODE, type CodingEvent, type CodingModels } from './model.js';

/** An event that still names its answer, coder and code (not an erased answer's). */
type LiveEvent = StoredEvent & Pick<CodingEvent, 'responseId' | 'coderId' | 'codeId'>;
const isLive = (event: StoredEvent): event is LiveEvent =>
  event.responseId !== undefined && event.coderId !== undefined && event.codeId !== undefined;

/** The latest of two events for the same coding, in log order (as the read model applies them). */
const isLater = (event: StoredEvent, than: StoredEvent) => compareLogOrder(event, than);

/**
 * Code usage from the coding log: the latest event for each (answer, coder, code, passage) says
 * whether that coding is present. Streamed with a cursor and folded here, so it needs nothing of
 * the database beyond a filtered find.
 */
export class EventCodeUsage implements CodeUsageSource {
  readonly reconciledCoder = FINAL_CODER;

  constructor(private readonly coding: Pick<CodingModels, 'events'>) {}

  async usage(codebookId: string, resolve: (codeId: string) => string): Promise<Map<string, CodeUsage>> {
    const latest = new Map<string, LiveEvent>();
    for await (const event of this.coding.events.find({ codebookId }).lean<StoredEvent>().cursor()) {
      if (!isLive(event) || event.codeId === NO_CODE) continue;
      const key = [
        event.surveyId,
        event.questionId,
        event.responseId,
        event.coderId,
        event.codeId,
        event.start ?? '',
        event.end ?? '',
      ].join('\u0000');
      const seen = latest.get(key);
      if (!seen || isLater(event, seen) > 0) latest.set(key, event);
    }
    const answers = new Map<string, Set<string>>();
    const questions = new Map<string, Set<string>>();
    const usage = new Map<string, CodeUsage>();
    for (const event of latest.values()) {
      if (!event.present) continue;
      const codeId = resolve(event.codeId);
      let found = usage.get(codeId);
      if (!found) {
        found = { codings: 0, answers: 0, questions: [], byCoder: new Map() };
        usage.set(codeId, found);
        answers.set(codeId, new Set());
        questions.set(codeId, new Set());
      }
      found.codings++;
      found.byCoder.set(event.coderId, (found.byCoder.get(event.coderId) ?? 0) + 1);
      answers.get(codeId)!.add(`${event.surveyId}:${event.questionId}:${event.responseId}`);
      questions.get(codeId)!.add(`${event.surveyId}:${event.questionId}`);
    }
    for (const [codeId, found] of usage) {
      found.answers = answers.get(codeId)!.size;
      found.questions = [...questions.get(codeId)!];
    }
    return usage;
  }
}
