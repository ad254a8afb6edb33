import { expect } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';

export type FormFields = Record<string, string | string[]>;

/** Encodes fields the way a browser does: a repeated name for each chosen checkbox. */
export function formBody(fields: FormFields): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  return params.toString();
}

export function post(app: Express, url: string, fields: FormFields) {
  return request(app).post(url).type('form').send(formBody(fields));
}

/** A respondent working through a survey, following the redirects a browser would. */
export class Respondent {
  token = '';
  location = '';

  constructor(
    private readonly app: Express,
    readonly surveyId: string,
  ) {}

  async start(fields: FormFields = { consent: 'yes' }): Promise<string> {
    const response = await post(this.app, `/s/${this.surveyId}`, fields);
    expect(response.status, response.text.slice(0, 500)).toBe(303);
    this.location = response.headers.location as string;
    const match = /\/r\/([a-f0-9]{24}-[A-Za-z0-9_-]{32})\//.exec(this.location);
    if (!match?.[1]) throw new Error(`No token in ${this.location}`);
    this.token = match[1];
    return this.location;
  }

  get pageId(): string {
    return /\/p\/([a-z0-9-]+)$/.exec(this.location)?.[1] ?? '';
  }

  /** Answers the current page; returns where the app sends the respondent next. */
  async answer(fields: FormFields, action = 'continue'): Promise<string> {
    const response = await post(this.app, this.location, { ...fields, action });
    expect(response.status, response.text.slice(0, 2000)).toBe(303);
    this.location = response.headers.location as string;
    return this.location;
  }

  /** Answers pages in order, by page id, then sends the answers from the check page. */
  async complete(pages: Record<string, FormFields>): Promise<void> {
    while (this.location.includes('/p/')) {
      const fields = pages[this.pageId];
      if (!fields) throw new Error(`No answers given for page "${this.pageId}"`);
      await this.answer(fields);
    }
    expect(this.location).toMatch(/\/check$/);
    const check = await request(this.app).get(this.location);
    expect(check.status).toBe(200);
    await this.submit();
  }

  async submit(): Promise<request.Response> {
    const response = await request(this.app).post(`/s/${this.surveyId}/r/${this.token}/submit`).type('form').send('');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/s/${this.surveyId}/r/${this.token}/done`);
    return response;
  }
}
