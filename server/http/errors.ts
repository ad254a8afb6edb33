import type { Survey } from '../surveys/registry.js';

/** An error whose message is safe to show to the person who caused it. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Message-catalogue key for the page heading shown to the user. */
    readonly titleKey = 'error.generic.title',
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'We could not find that page.') {
    super(404, message, 'error.notFound.title');
  }
}

export class BadRequestError extends AppError {
  constructor(message: string) {
    super(400, message, 'error.badRequest.title');
  }
}

export class SurveyClosedError extends AppError {
  constructor(
    readonly survey: Survey,
    readonly dates: { opens: Date; closes: Date },
  ) {
    super(403, `The survey "${survey.id}" is not accepting answers.`, 'closed.title');
  }
}
