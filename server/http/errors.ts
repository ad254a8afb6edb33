/** How an error is shown: its own page (a view and what it needs), headers to send with it. */
export interface ErrorPresentation {
  view?: string;
  locals?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Message-catalogue key for the message shown on the page, in the respondent's language. */
  messageKey?: string;
}

/**
 * An error whose message is safe to show to the person who caused it. Every error response goes
 * through the one error handler, which renders `view` when the error names one, and otherwise the
 * error page (or JSON, when the request asks for it).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Message-catalogue key for the page heading shown to the user. */
    readonly titleKey = 'error.generic.title',
    readonly presentation: ErrorPresentation = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message?: string, messageKey?: string) {
    super(404, message ?? 'We could not find that page.', 'error.notFound.title', {
      messageKey: messageKey ?? (message === undefined ? 'error.notFound.body' : undefined),
    });
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
  constructor(
    readonly issues: FieldIssue[],
    presentation: ErrorPresentation = {},
  ) {
    super(400, issues.map((issue) => issue.message).join(' '), 'error.badRequest.title', presentation);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, message, 'error.badRequest.title', {
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
  }
}

/** The database could not be reached: nothing was saved, and trying again shortly will work. */
export class ServiceUnavailableError extends AppError {
  constructor(message: string, presentation: ErrorPresentation = {}) {
    super(503, message, 'error.unavailable.title', {
      ...presentation,
      headers: { 'Retry-After': '30', ...presentation.headers },
    });
  }
}

/** The request no longer fits the state of things (it was replayed, or someone else changed it first). */
export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, message, 'error.badRequest.title');
  }
}
