import { groupQuestionKey, madeFromGroupOf } from '../codebooks/model.js';
import { survivingCodeId, type Codebook } from '../codebooks/service.js';
import { FINAL_CODER } from '../coding/model.js';
import type { CodingReadModel, IndexChange, QuestionIndex, Unit } from '../coding/read-model.js';
import { analyse } from './text.js';
import type { SurveyRegistry } from '../surveys/registry.js';
import { autoCoderForCodebook } from './codebook.js';
import type { AutoCoder } from './engine.js';
import type { Suggestion, SuggestionRequest, SuggestionSource } from '../coding/suggestions.js';

interface Engine {
  codebook: Codebook;
  coderId: string;
  engine: AutoCoder;
}

const questionKey = (surveyId: string, questionId: string) => `${surveyId}:${questionId}`;

/** Coded answers of a question learned when its whole index is (re)read. */
const LEARNED_PER_QUESTION = 5_000;
/** Up to this many are learned at once; more, a slice per turn of the event loop. */
const LEARN_AT_ONCE = 2_000;
const LEARN_SLICE = 250;

/**
 * Suggestions in the workbench: one engine per codebook and coder, built from the codings in
 * MongoDB (via the coding read model) and taught each coding as it is saved (app.ts passes every
 * change to `learnChange`), so the next answer's suggestions already reflect it.
 *
 * Each coder's engine learns, per answer: the final coding once reconciled; otherwise, where the
 * question is coded independently, only that coder's own codes; otherwise every coder's. So under
 * independent coding no suggestion can carry another coder's codes to the next coder, and agreement
 * stays honest. A question's mode is taken as independent until a request says otherwise.
 */
export class EngineSuggestions implements SuggestionSource {
  /** codebookId → coderId → engine */
  private readonly engines = new Map<string, Map<string, Engine>>();
  private readonly shared = new Set<string>();

  constructor(
    private readonly readModel: CodingReadModel,
    private readonly surveys: SurveyRegistry,
  ) {}

  async suggest({ codebook, text, limit, coderId, answer }: SuggestionRequest): Promise<Suggestion[]> {
    this.noteMode(codebook.id, answer.surveyId, answer.questionId, answer.independent);
    return this.engineFor(codebook, coderId).suggest(text, limit);
  }

  /** A question switched between independent and shared coding: every engine relearns its answers. */
  private noteMode(codebookId: string, surveyId: string, questionId: string, independent: boolean): void {
    const key = questionKey(surveyId, questionId);
    if (this.shared.has(key) === !independent) return;
    if (independent) this.shared.delete(key);
    else this.shared.add(key);
    for (const change of this.readModel.indexesFor(codebookId)) {
      if (change.surveyId === surveyId && change.questionId === questionId) this.learnChange(change);
    }
  }

  private engineFor(codebook: Codebook, coderId: string): AutoCoder {
    let byCoder = this.engines.get(codebook.id);
    if (!byCoder) this.engines.set(codebook.id, (byCoder = new Map()));
    const current = byCoder.get(coderId);
    if (current?.codebook === codebook) return current.engine;
    // A new engine (first use, or the codebook was edited) learns from every question using the codebook.
    if (current) byCoder.clear();
    const fresh = { codebook, coderId, engine: autoCoderForCodebook(codebook) };
    byCoder.set(coderId, fresh);
    for (const change of this.readModel.indexesFor(codebook.id)) this.teach(fresh, change);
    this.loadOtherQuestions(codebook.id);
    return fresh.engine;
  }

  /** Codings of every question coded with this codebook count, not only the one open now. */
  private loadOtherQuestions(codebookId: string): void {
    for (const survey of this.surveys.values()) {
      for (const question of survey.openQuestions()) {
        if (question.codedWith === codebookId)
          void this.readModel.get(survey, question.id, codebookId).catch(() => undefined);
      }
    }
  }

  /** Learns a question's codings that changed (or all of them, when its index was rebuilt). */
  learnChange(change: IndexChange): void {
    for (const engine of this.engines.get(change.codebookId)?.values() ?? []) this.teach(engine, change);
  }

  /** Each answer's features, worked out once for every coder's engine. */
  private readonly analysed = new WeakMap<Unit, string[]>();

  private featuresOf(unit: Unit): string[] {
    let features = this.analysed.get(unit);
    if (!features) this.analysed.set(unit, (features = [...analyse(unit.text).features.keys()]));
    return features;
  }

  /** Per engine and question: the latest whole-question lesson, so an older one still running stops. */
  private readonly lessons = new WeakMap<Engine, Map<string, number>>();

  private teach(engine: Engine, change: IndexChange): void {
    const { surveyId, questionId, index, responseIds } = change;
    if (responseIds) {
      for (const responseId of responseIds) this.teachOne(engine, change, responseId);
      return;
    }
    // A rebuilt index is the whole question: an answer no longer in it (erased) is forgotten too.
    engine.engine.forgetAllBut(`${surveyId}:${questionId}:`, (key) =>
      index.byResponse.has(key.slice(surveyId.length + questionId.length + 2)),
    );
    // The most recently submitted coded answers: a naive Bayes model has long stopped improving
    // by then, and memory and the time to learn stay bounded however large the question grows.
    const examples = groupCodes(engine.codebook, surveyId, questionId);
    const coded = index.units
      .filter(
        ({ responseId }) =>
          index.isCodedByAnyone(responseId) || index.isReconciled(responseId) || examples.has(responseId),
      )
      .slice(-LEARNED_PER_QUESTION)
      .map((unit) => unit.responseId);
    let lessons = this.lessons.get(engine);
    if (!lessons) this.lessons.set(engine, (lessons = new Map()));
    const lesson = (lessons.get(questionKey(surveyId, questionId)) ?? 0) + 1;
    lessons.set(questionKey(surveyId, questionId), lesson);
    // Small questions are learned at once; a large one a slice at a time between requests, so
    // opening it never waits for the engine (its suggestions sharpen over the next seconds).
    const learnFrom = (start: number) => {
      if (lessons.get(questionKey(surveyId, questionId)) !== lesson) return;
      const end = coded.length <= LEARN_AT_ONCE ? coded.length : Math.min(coded.length, start + LEARN_SLICE);
      for (let i = start; i < end; i++) this.teachOne(engine, change, coded[i]!);
      if (end < coded.length) setImmediate(() => learnFrom(end));
    };
    learnFrom(0);
  }

  private teachOne(engine: Engine, { surveyId, questionId, index }: IndexChange, responseId: string): void {
    const unit = index.byResponse.get(responseId);
    if (!unit) return;
    const independent = !this.shared.has(questionKey(surveyId, questionId));
    const key = `${surveyId}:${questionId}:${responseId}`;
    let codes = trainingCodes(index, engine.codebook, responseId, engine.coderId, independent);
    // An answer this coder's engine may not learn a decision on yet, in an emerging theme made
    // a code, is that code's example: so the workbench suggests the code on the group's answers
    // however much has been learned already (nobody's coding; a decision on it replaces it).
    const decided = independent ? index.isCodedBy(responseId, engine.coderId) : index.isCodedByAnyone(responseId);
    if (codes.size === 0 && !decided && !index.isReconciled(responseId))
      codes = new Set(groupCodes(engine.codebook, surveyId, questionId).get(responseId));
    if (codes.size === 0) engine.engine.forget(key);
    else engine.engine.learnFeatures(key, this.featuresOf(unit), codes);
  }
}

const groupCodesCache = new WeakMap<Codebook, Map<string, Map<string, string[]>>>();
/** The active codes made from emerging themes of this question, by the answers of their groups. */
function groupCodes(codebook: Codebook, surveyId: string, questionId: string): Map<string, string[]> {
  let byQuestion = groupCodesCache.get(codebook);
  if (!byQuestion) groupCodesCache.set(codebook, (byQuestion = new Map()));
  const question = groupQuestionKey(surveyId, questionId);
  let byAnswer = byQuestion.get(question);
  if (!byAnswer) {
    byAnswer = new Map();
    const active = new Set(codebook.codes.filter((code) => !code.retired).map((code) => code.codeId));
    for (const code of codebook.codes) {
      // A group's code merged into another: the group's answers are examples of the code it became.
      const survivor = survivingCodeId(codebook, code.codeId);
      if (!active.has(survivor) || !madeFromGroupOf(code, surveyId, questionId)) continue;
      for (const responseId of code.groupAnswers ?? [])
        byAnswer.set(responseId, [...new Set([...(byAnswer.get(responseId) ?? []), survivor])]);
    }
    byQuestion.set(question, byAnswer);
  }
  return byAnswer;
}

/** What one coder's engine may learn from an answer. */
export function trainingCodes(
  index: QuestionIndex,
  codebook: Codebook,
  responseId: string,
  coderId: string,
  independent: boolean,
): Set<string> {
  const coders = index.isReconciled(responseId) ? [FINAL_CODER] : independent ? [coderId] : index.codersOf(responseId);
  const codes = new Set<string>();
  for (const coder of coders)
    for (const coding of index.codingsOf(responseId, coder)) codes.add(survivingCodeId(codebook, coding.codeId));
  return codes;
}
