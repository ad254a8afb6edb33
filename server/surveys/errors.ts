import { AppError, ServiceUnavailableError, ValidationError } from '../http/errors.js';
import type { OpeningDates } from './schedule.js';
import type { Survey } from './registry.js';
import type { PageView } from './service.js';
import { surveyPaths } from './paths.js';

/**
 * The survey is outside its dates: its own page says when it opens, or when it was open. Its
 * language switch leads to the survey's start, which shows the same page (it may follow a POST).
 */
export class SurveyClosedError extends AppError {
  constructor(survey: Survey, dates: OpeningDates, now: Date) {
    super(403, `The survey "${survey.id}" is not accepting answers.`, 'closed.title', {
      view: 'closed',
      locals: { survey, dates, ended: now >= dates.closes, switchPath: surveyPaths.start(survey.id) },
    });
  }
}

/** Answers that need fixing: the same page again, everything typed kept, each problem listed. */
export class InvalidPageError extends ValidationError {
  constructor(view: PageView) {
    super(view.errors, { view: 'survey-page', locals: { view, paths: surveyPaths } });
  }
}

/** A page could not be saved (the database is out of reach): the same page again, with everything typed. */
export class UnsavedPageError extends ServiceUnavailableError {
  constructor(view: PageView) {
    super('The page could not be saved.', { view: 'survey-page', locals: { view, paths: surveyPaths } });
  }
}

/**
 * The final submit could not be stored: say so plainly and offer the same button again (a repeat is
 * harmless). The language switch leads to the check page, where the respondent can send again.
 */
export class NotSentError extends ServiceUnavailableError {
  constructor(action: string, switchPath: string) {
    super('The answers could not be sent.', { view: 'not-sent', locals: { action, switchPath } });
  }
}
