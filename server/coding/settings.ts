import { settingsKey, type CodingModels, type QuestionSettings } from './model.js';

export async function questionSettings(
  coding: CodingModels,
  surveyId: string,
  questionId: string,
): Promise<QuestionSettings> {
  const stored = await coding.settings.findById(settingsKey(surveyId, questionId)).lean();
  // Independent coding is the safe default: nobody sees another coder's work until an admin says so.
  return stored ?? { _id: settingsKey(surveyId, questionId), independent: true };
}

export async function saveQuestionSettings(
  coding: CodingModels,
  surveyId: string,
  questionId: string,
  input: { independent: boolean; reportCoder?: string },
): Promise<void> {
  await coding.settings.updateOne(
    { _id: settingsKey(surveyId, questionId) },
    input.reportCoder
      ? { $set: { independent: input.independent, reportCoder: input.reportCoder } }
      : { $set: { independent: input.independent }, $unset: { reportCoder: '' } },
    { upsert: true },
  );
}
