import type { RequestHandler } from 'express';

/**
 * Runs the changes to one codebook one after another in this process. Each change reads the
 * codebook, works out numbers and moves, then writes: two at once (two leads, or a double submit)
 * could otherwise both number a sub-code "2.1", or merge two codes into each other.
 */
export function oneChangeAtATime(): RequestHandler {
  const queues = new Map<string, Promise<void>>();
  return (request, response, next) => {
    const key = typeof request.params.codebookId === 'string' ? request.params.codebookId : '';
    const before = queues.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const turn = before.then(() => done);
    queues.set(key, turn);
    const finish = () => {
      release();
      if (queues.get(key) === turn) queues.delete(key);
    };
    response.once('finish', finish);
    response.once('close', finish);
    void before.then(() => next());
  };
}
