import { survivingCodeId, type Codebook } from '../codebooks/service.js';
import { FINAL_CODER } from '../coding/model.js';
import type { CodingReadModel, IndexChange, QuestionIndex } from '../coding/read-model.js';
import type { SurveyRegistry } from '../surveys/registry.js';
import { autoCoderForCodebook } from './codebook.js';
import type { AutoCoder } from './engine.js';
import type { Suggestion, SuggestionRequest, SuggestionSource } from './suggest.js';

/**
 * Suggestions in the workbench: one engine per codebook, rebuilt from the codings in MongoDB (via
 * the coding read model) when the codebook changes, and taught each coding as it is saved, so the
 * next answer's suggestions already reflect it.
 */
export class EngineSuggestions implements SuggestionSource {
  private readonly engines = new Map<string, { codebook: Codebook; coder: AutoCoder }>();

  constructor(
    private readonly readModel: CodingReadModel,
    private readonly surveys: SurveyRegistry,
  ) {
    readModel.onChange((change) => this.learnChange(change));
  }

  async suggest({ codebook, text, limit }: SuggestionRequest): Promise<Suggestion[]> {
    return this.engineFor(codebook).suggest(text, limit);
  }

  private engineFor(codebook: Codebook): AutoCoder {
    const current = this.engines.get(codebook.id);
    if (current?.codebook === codebook) return current.coder;
    const coder = autoCoderForCodebook(codebook);
    this.engines.set(codebook.id, { codebook, coder });
    for (const change of this.readModel.indexesFor(codebook.id)) this.learnChange(change);
    this.loadOtherQuestions(codebook.id);
    return coder;
  }

  /** Codings of every question coded with this codebook count, not only the one open now. */
  private loadOtherQuestions(codebookId: string): void {
    for (const survey of this.surveys.values()) {
      for (const question of survey.questions) {
        if (question.type === 'text' && question.codedWith === codebookId) {
          void this.readModel.get(survey, question.id, codebookId).catch(() => undefined);
        }
      }
    }
  }

  private learnChange({ surveyId, questionId, codebookId, index, responseIds }: IndexChange): void {
    const engine = this.engines.get(codebookId);
    if (!engine) return;
    const ids = responseIds ?? index.units.map((unit) => unit.responseId);
    for (const responseId of ids) {
      const unit = index.byResponse.get(responseId);
      if (!unit) continue;
      engine.coder.learn(`${surveyId}:${questionId}:${responseId}`, unit.text, trainingCodes(index, engine.codebook, responseId));
    }
  }
}

/** The final coding once reconciled, otherwise every coder's codes on the answer. */
function trainingCodes(index: QuestionIndex, codebook: Codebook, responseId: string): Set<string> {
  const coders = index.isReconciled(responseId) ? [FINAL_CODER] : index.codersOf(responseId);
  const codes = new Set<string>();
  for (const coder of coders) for (const coding of index.codingsOf(responseId, coder)) codes.add(survivingCodeId(codebook, coding.codeId));
  return codes;
}
