import { listAccounts, type AccountRow } from '../auth/service.js';
import type { UserModel } from '../auth/user-model.js';
import type { QuestionSettings } from '../coding/model.js';
import { questionSettings } from '../coding/settings.js';
import { questionCodebook, type CodingContext } from '../coding/target.js';
import type { ResponseModel } from '../surveys/responses/model.js';
import type { Question } from '../surveys/definition-schema.js';
import type { Survey } from '../surveys/registry.js';
import type { OpeningDates, SurveySchedules } from '../surveys/schedule.js';

export interface AdminContext extends CodingContext {
  users: UserModel;
  schedules: SurveySchedules;
  responses: ResponseModel;
  now: () => Date;
}

export interface AdminOverview {
  accounts: AccountRow[];
  surveys: {
    survey: Survey;
    dates: OpeningDates;
    questions: { question: Question; settings: QuestionSettings; codebookId?: string }[];
  }[];
}

/** Everything the admin page lists: accounts, each survey's dates and each open question's downloads. */
export async function adminOverview(context: AdminContext): Promise<AdminOverview> {
  const [accounts, surveys] = await Promise.all([
    listAccounts(context.users),
    Promise.all(
      [...context.surveys.values()].map(async (survey) => ({
        survey,
        dates: await context.schedules.datesOf(survey),
        questions: await Promise.all(
          survey.openQuestions().map(async (question) => {
            const settings = await questionSettings(context.coding, survey.id, question.id);
            return { question, settings, codebookId: questionCodebook(question, settings) };
          }),
        ),
      })),
    ),
  ]);
  return { accounts, surveys };
}
