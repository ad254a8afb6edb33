import { expect } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { createUser } from '../../server/auth/service.js';
import { userModel, type Role, type SessionUser } from '../../server/auth/user-model.js';
import { ChangeCounters, surveyCounterKey } from '../../server/db/change-counter.js';
import type { TestApp } from './app.js';

export const PASSWORD = 'a long enough test password';

export async function addUser(testApp: TestApp, email: string, role: Role): Promise<SessionUser> {
  return createUser(userModel(testApp.connection), { email, password: PASSWORD, role });
}

export function csrfFrom(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`No CSRF token in page:\n${html.slice(0, 500)}`);
  return token;
}

/** A browser session signed in as this user. */
export async function signIn(app: Express, email: string, password = PASSWORD) {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  const response = await agent
    .post('/login')
    .type('form')
    .send({ email, password, _csrf: csrfFrom(page.text) });
  expect(response.status, response.text.slice(0, 300)).toBe(303);
  return agent;
}

/** Posts a back-office form the way its page would: with the CSRF token from a page in the same session. */
export async function postForm(
  agent: request.Agent,
  url: string,
  fields: Record<string, string | string[]>,
  from = '/work',
) {
  const page = await agent.get(from);
  const body = new URLSearchParams();
  body.append('_csrf', csrfFrom(page.text));
  for (const [name, value] of Object.entries(fields))
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  return agent.post(url).type('form').send(body.toString());
}

/** Stores submitted responses directly: a hand-made dataset whose every value is known. */
export async function seedResponses(
  testApp: TestApp,
  surveyId: string,
  rows: Record<string, string | string[]>[],
): Promise<string[]> {
  const now = Date.now();
  const documents = rows.map((answers, index) => ({
    _id: new mongoose.Types.ObjectId(),
    surveyId,
    surveyVersion: 1,
    tokenHash: `seeded-${surveyId}-${now}-${index}-${Math.random()}`,
    status: 'submitted',
    language: 'en',
    answers: { consent: 'yes', ...answers },
    otherText: {},
    finishedPages: [],
    submittedAt: new Date(),
  }));
  await testApp.responses.insertMany(documents);
  await new ChangeCounters(testApp.connection).bump(surveyCounterKey(surveyId));
  return documents.map((document) => String(document._id));
}

/** Stores codings directly, as the workbench would have recorded them. */
export async function seedCodings(
  testApp: TestApp,
  codings: { responseId: string; coderId: string; codeId: string; start?: number; end?: number }[],
  question = { surveyId: 'professionals', questionId: 'drivers_text', codebookId: 'care-crisis-drivers' },
) {
  await testApp.connection
    .collection('codingevents')
    .insertMany(codings.map((coding) => ({ ...question, ...coding, present: true, at: new Date() })));
  // As the app's own writes do: the question is listed as coded with this codebook.
  const _id = `${question.surveyId}:${question.questionId}:${question.codebookId}`;
  await testApp.connection
    .collection('questioncodebooks')
    .updateOne({ _id: _id as never }, { $set: question }, { upsert: true });
  await new ChangeCounters(testApp.connection).bump(surveyCounterKey(question.surveyId));
}

/** A lead (lea@) and an analyst (ana@) of a test file, signed in. */
export async function signInLeadAndAnalyst(testApp: TestApp): Promise<{ lead: request.Agent; analyst: request.Agent }> {
  await addUser(testApp, 'lea@review.example', 'lead');
  await addUser(testApp, 'ana@review.example', 'analyst');
  return {
    lead: await signIn(testApp.app, 'lea@review.example'),
    analyst: await signIn(testApp.app, 'ana@review.example'),
  };
}
