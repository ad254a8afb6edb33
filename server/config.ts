import path from 'node:path';
import { z } from 'zod';

export const projectRoot = path.resolve(import.meta.dirname, '..');

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
  /** Set when the app runs behind a TLS-terminating proxy. */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
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
