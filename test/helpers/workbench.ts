import type request from 'supertest';
import type { TestApp } from './app.js';
import { addUser, postForm, signIn } from './office.js';

/** The question most tests code: the professionals' open question on the drivers of care proceedings. */
export const base = '/work/professionals/drivers_text';
export const view = 'codebook=care-crisis-drivers';

/** A team for a test file: two analysts and an admin, signed in. */
export interface Team {
  ana: request.Agent;
  ben: request.Agent;
  admin: request.Agent;
  anaId: string;
}

export async function signInTeam(testApp: TestApp): Promise<Team> {
  const anaId = (await addUser(testApp, 'ana@review.example', 'analyst')).id;
  await addUser(testApp, 'ben@review.example', 'analyst');
  await addUser(testApp, 'admin@review.example', 'admin');
  return {
    anaId,
    ana: await signIn(testApp.app, 'ana@review.example'),
    ben: await signIn(testApp.app, 'ben@review.example'),
    admin: await signIn(testApp.app, 'admin@review.example'),
  };
}

/** The workbench forms for the answers with these ids (read when called, after they are seeded). */
export function answerForms(idsOf: () => string[]) {
  const at = (index: number) => `${base}?${view}&at=${idsOf()[index]}`;
  return {
    at,
    setCode: (agent: request.Agent, index: number, code: string, present = true) =>
      postForm(agent, `${base}/${idsOf()[index]}/codes`, { code, present: present ? '1' : '0', view }, at(index)),
    noCode: (agent: request.Agent, index: number, present = true) =>
      postForm(agent, `${base}/${idsOf()[index]}/no-code`, { present: present ? '1' : '0', view }, at(index)),
  };
}

/** Whether the "No code applies" button is shown pressed. */
export const noCodePressed = (html: string) =>
  /aria-pressed="true"/.test(/id="no-code-form">[\s\S]*?<\/form>/.exec(html)?.[0] ?? '');

/**
 * Lets analysts see colleagues' codes on a question coded independently (the lead's "open the
 * comparison"), for tests about quotes rather than about independence; `false` closes it again.
 */
export async function openComparison(testApp: TestApp, open = true, question = 'professionals:drivers_text') {
  await testApp.connection
    .collection('questionsettings')
    .updateOne(
      { _id: question as never },
      { $set: { comparisonOpen: open }, $setOnInsert: { independent: true } },
      { upsert: true },
    );
}
