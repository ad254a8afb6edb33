import { codedQuestions } from '../../coding/coded-questions.js';
import { countedCodings, type Coverage } from '../../coding/counting.js';
import { disagreements } from '../../coding/reconcile-service.js';
import { codingTarget } from '../../coding/target.js';
import type { TextQuestion } from '../../surveys/question-types/index.js';
import type { Survey } from '../../surveys/registry.js';
import { responseCounts, surveyStatus, type SurveyStatus } from '../monitoring.js';
import type { ReportContext } from '../output.js';

export interface QuestionProgress {
  question: TextQuestion;
  codebookId: string;
  coverage: Coverage;
  coders: number;
  /** Answers where coders disagree, not yet reconciled. */
  toReconcile: number;
}

export interface SurveyHome {
  survey: Survey;
  status: SurveyStatus;
  counts: Awaited<ReturnType<typeof responseCounts>>;
  questions: QuestionProgress[];
  /** Open questions nobody has a codebook for yet. */
  uncodable: TextQuestion[];
}

/** Everything about one survey on one page: its status, its responses, its questions to code and their outputs. */
export async function surveyHome(context: ReportContext, survey: Survey): Promise<SurveyHome> {
  const [dates, counts, coded] = await Promise.all([
    context.schedules.datesOf(survey),
    responseCounts(context.responses, survey),
    codedQuestions(context.coding, survey),
  ]);
  const questions: QuestionProgress[] = [];
  for (const { question, codebookIds } of coded) {
    for (const codebookId of codebookIds) {
      const target = await codingTarget(context, survey.id, question.id, codebookId);
      questions.push({
        question,
        codebookId,
        coverage: countedCodings(target).coverage,
        coders: target.index.allCoders().length,
        toReconcile: disagreements(target).length,
      });
    }
  }
  const uncodable = survey
    .openQuestions()
    .filter((question) => !coded.some((entry) => entry.question.id === question.id));
  return { survey, status: surveyStatus(dates, context.now()), counts, questions, uncodable };
}

/** Each survey with its status and headline counts, for the list of results. */
export async function surveyList(context: ReportContext) {
  return Promise.all(
    [...context.surveys.values()].map(async (survey) => ({
      survey,
      status: surveyStatus(await context.schedules.datesOf(survey), context.now()),
      counts: await responseCounts(context.responses, survey),
    })),
  );
}
