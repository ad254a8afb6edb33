import type { TextQuestion } from '../surveys/question-types/index.js';
import type { Survey } from '../surveys/registry.js';
import { settingsKey, type CodingModels } from './model.js';

export interface CodedQuestion {
  question: TextQuestion;
  /** The codebook a lead chose (else the one the definition names) first, then any other it has been coded with. */
  codebookIds: string[];
}

/** The open questions of a survey that have a codebook: named in the definition, or used by analysts. */
export async function codedQuestions(coding: CodingModels, survey: Survey): Promise<CodedQuestion[]> {
  const [used, settings] = await Promise.all([
    coding.questionCodebooks.find({ surveyId: survey.id }).lean(),
    coding.settings
      .find({ _id: { $in: survey.openQuestions().map((question) => settingsKey(survey.id, question.id)) } })
      .lean(),
  ]);
  const chosen = new Map(settings.map((entry) => [entry._id, entry.codebookId]));
  return survey
    .openQuestions()
    .map((question) => {
      const ids = [
        chosen.get(settingsKey(survey.id, question.id)) ?? question.codedWith,
        ...used.filter((entry) => entry.questionId === question.id).map((entry) => entry.codebookId),
      ];
      return { question, codebookIds: [...new Set(ids.filter((id): id is string => Boolean(id)))] };
    })
    .filter((entry) => entry.codebookIds.length > 0);
}
