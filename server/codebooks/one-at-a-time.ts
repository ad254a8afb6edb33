import type { RequestHandler } from 'express';

/**
 * Runs the changes to one codebook one after another in this process. Each change reads the
 * codebook, works out numbers and moves, then writes: two at once (two leads, or a double submit)
 * could otherwise both number a sub-code "2.1", or merge two codes into each other. One queue per
 * codebook for the whole process, shared by the codebook pages and by features that change a
 * codebook from elsewhere (an emerging theme made a code), so they wait for each other too.
 */
const queues = new Map<string, Promise<void>>();

/**
 * Queues for the codebook's turn: `ready` when it comes; `finish` ends it (and may be called
 * before it comes, when whoever waited went away: then the turn passes straight on).
 */
function takeTurn(codebookId: string): { ready: Promise<void>; finish: () => void } {
  const before = queues.get(codebookId) ?? Promise.resolve();
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  const turn = before.then(() => done);
  queues.set(codebookId, turn);
  const finish = () => {
    release();
    if (queues.get(codebookId) === turn) queues.delete(codebookId);
  };
  return { ready: before, finish };
}

/** Runs one change to a codebook in its turn. */
export async function inCodebookTurn<T>(codebookId: string, change: () => Promise<T>): Promise<T> {
  const { ready, finish } = takeTurn(codebookId);
  try {
    await ready;
    return await change();
  } finally {
    finish();
  }
}

/** The same turn for a request to a codebook's pages (`:codebookId`), held until its response is sent. */
export function oneChangeAtATime(): RequestHandler {
  return (request, response, next) => {
    const key = typeof request.params.codebookId === 'string' ? request.params.codebookId : '';
    const { ready, finish } = takeTurn(key);
    response.once('finish', finish);
    response.once('close', finish);
    void ready.then(() => next());
  };
}
