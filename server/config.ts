import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The repository's root: the nearest folder above this file with a package.json. The same from
 * `server/config.ts` (tsx) and `dist/server/config.js` (the compiled app), so views, definitions,
 * codebooks and catalogues are always read from the source tree.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

export const projectRoot = findProjectRoot(import.meta.dirname);

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  MONGODB_URI: z.string().url().optional(),
  /** Where the embedded database keeps its files when MONGODB_URI is not set. */
  DATA_DIR: z.string().default(path.join(projectRoot, 'data')),
  /** `ferretdb` or `mongod`; `auto` prefers FerretDB when its launcher is built. */
  EMBEDDED_DB: z.enum(['auto', 'ferretdb', 'mongod']).default('auto'),
  SURVEYS_DIR: z.string().default(path.join(projectRoot, 'server', 'surveys', 'definitions')),
  SIGNPOSTING_FILE: z.string().default(path.join(projectRoot, 'server', 'help', 'signposting.json')),
  /** Signs session cookies; generated and kept in the database when not set. */
  SESSION_SECRET: z.string().min(32).optional(),
  /** Survey page posts allowed per client address per minute. */
  RATE_LIMIT_PUBLIC_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /**
   * How many proxies stand between the internet and the app (0: none). Express then takes the
   * client address that many hops from the right of X-Forwarded-For; trusting every hop ("true")
   * would let a client choose its own address and walk past per-address limits.
   */
  TRUST_PROXY: z
    .string()
    .default('0')
    .transform((value, context) => {
      if (value === 'false') return 0;
      if (/^[0-9]$/.test(value)) return Number(value);
      context.addIssue({
        code: 'custom',
        message: 'give the number of proxies in front of the app (for one TLS-terminating proxy: 1), not "true"',
      });
      return z.NEVER;
    }),
  /**
   * The address respondents reach the surveys at, e.g. https://survey.example.org. Private resume
   * links are built from it; without it they are shown as links relative to the page, never built
   * from the request's Host header (which a client chooses).
   */
  PUBLIC_URL: z
    .url()
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  /** Breakdown columns with fewer answers than this show counts but withhold percentages. */
  REPORT_MIN_BASE: z.coerce.number().int().min(1).default(5),
  /** Unfinished answers to a survey are deleted this many days after the survey closes. */
  DRAFT_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
  /** `on`: one JSON line per request on standard output (no addresses, accounts, answers or tokens). */
  LOG_REQUESTS: z.enum(['on', 'off'], { error: 'use "on" or "off"' }).default('on'),
  /** From this day (YYYY-MM-DD, London time) every unsent answer of every survey is deleted. */
  RETENTION_PURGE_DRAFTS_AFTER: z.iso.date('give a date as YYYY-MM-DD').optional(),
  /**
   * From this day (YYYY-MM-DD) sent answers are anonymised further: free text kept, the answers
   * listed in server/surveys/retention.json removed and times rounded down to the month.
   */
  RETENTION_ANONYMISE_AFTER: z.iso.date('give a date as YYYY-MM-DD').optional(),
  /** Sign-in attempt records are deleted this many days after the attempt. */
  SIGN_IN_RECORD_DAYS: z.coerce.number().int().min(1).default(7),
});

export type Environment = z.infer<typeof environmentSchema>;

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  // An empty variable (MONGODB_URI= ) means "not set", as it does to most tools.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment settings:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
