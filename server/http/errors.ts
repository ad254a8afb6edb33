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

export interface FieldIssue {
  /** The form field the message is about; `form` for the whole form. */
  field: string;
  message: string;
}

/** A form that was not filled in as expected: every problem, for the error summary. */
export class ValidationError extends AppError {
  constructor(readonly issues: FieldIssue[]) {
    super(400, issues.map((issue) => issue.message).join(' '), 'error.badRequest.title');
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
