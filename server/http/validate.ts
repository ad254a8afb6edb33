import type { Request } from 'express';
import { z } from 'zod';
import type { Translate } from '../i18n/catalogue.js';
import { NotFoundError, ValidationError, type FieldIssue } from './errors.js';

export const objectIdSchema = z.string().regex(/^[a-f0-9]{24}$/);

/** Survey, question and page ids as they appear in paths. */
export const pathIdSchema = z.string().max(64);

/**
 * Turns zod issues into messages for people: each names its field, and comes from the message
 * catalogue when the schema gave none of its own, so a Welsh catalogue translates them too.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], t?: Translate): FieldIssue[] {
  return issues.map((issue) => {
    const field = issue.path.map(String).join('.') || 'form';
    return { field, message: issueMessage(issue, t) };
  });
}

function issueMessage(issue: z.core.$ZodIssue, t?: Translate): string {
  const translate = (key: string, fallback: string, values?: Record<string, string | number>) => {
    try {
      return t ? t(key, values) : fallback;
    } catch {
      return fallback;
    }
  };
  // zod's own default texts ("Invalid input: expected string, received undefined") are for programmers.
  const custom =
    issue.message && !/^(Invalid|Too (big|small)|Unrecognized)/.test(issue.message) ? issue.message : undefined;
  if (custom) return custom;
  if (issue.code === 'too_big')
    return translate('validation.tooLong', 'This is too long.', { max: Number(issue.maximum) });
  if (issue.code === 'too_small') return translate('validation.required', 'This cannot be left empty.');
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return translate('validation.required', 'This cannot be left empty.');
  return translate('validation.invalid', 'This was not filled in as expected.');
}

interface Schemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

type Validated<S extends Schemas> = { [K in keyof S]: S[K] extends z.ZodType ? z.infer<S[K]> : never };

/**
 * The one way request input is read, with one policy:
 * - params that do not fit: the page does not exist (404);
 * - a body that does not fit: 400 with every problem listed (the error summary);
 * - a query that does not fit: each bad field falls back to its default, as a stale or edited
 *   link should still open a page.
 */
export function validate<S extends Schemas>(
  request: Pick<Request, 'params' | 'query' | 'body' | 'res'>,
  schemas: S,
): Validated<S> {
  const result: Record<string, unknown> = {};
  if (schemas.params) {
    const parsed = schemas.params.safeParse(request.params);
    if (!parsed.success) throw new NotFoundError();
    result.params = parsed.data;
  }
  if (schemas.query) result.query = parseQuery(schemas.query, request.query);
  if (schemas.body) result.body = parseBody(schemas.body, request.body, request.res?.locals.t as Translate | undefined);
  return result as Validated<S>;
}

/** A body (or any other input a person typed): its value, or a ValidationError listing every problem. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown, t?: Translate): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new ValidationError(formatIssues(parsed.error.issues, t));
  return parsed.data;
}

export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const given = { ...((query ?? {}) as Record<string, unknown>) };
  for (let attempt = 0; attempt < 10; attempt++) {
    const parsed = schema.safeParse(given);
    if (parsed.success) return parsed.data;
    const bad = new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '')));
    if (bad.has('') || [...bad].every((key) => !(key in given))) break;
    for (const key of bad) delete given[key];
  }
  return schema.parse({});
}
