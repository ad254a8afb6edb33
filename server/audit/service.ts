import type { Connection } from 'mongoose';
import { z } from 'zod';
import { csvRow } from '../http/csv.js';
import { auditModel, type AuditEntry } from './model.js';

/** The actions the back office records, with how the audit page names them. Other features may add theirs. */
export const auditActions: Record<string, string> = {
  'sign-in': 'Signed in',
  'sign-in.locked': 'Refused: too many sign-in attempts',
  'user.created': 'Added an account',
  'user.changed': 'Changed an account',
  'survey.dates': 'Changed survey dates',
  'download.responses': 'Downloaded raw responses',
  'download.codings': 'Downloaded coded answers',
  'download.quotes': 'Downloaded quotes',
  'download.report': 'Took the survey report (it quotes answers)',
  'download.project': 'Downloaded a REFI-QDA project',
  'download.audit': 'Downloaded the audit trail',
  reconcile: 'Reconciled an answer',
  'codebook.merge': 'Merged codes',
  'codebook.unmerge': 'Undid a merge',
  'codebook.import': 'Imported a codebook',
  'responses.import': 'Imported survey answers',
  'response.erased': 'Erased a response',
  'draft.deleted': 'A respondent deleted their draft',
  retention: 'Applied the retention rules',
  backup: 'Backed up the database',
  restore: 'Restored the database from a backup',
};

const entrySchema = z.object({
  actor: z.string().min(1).max(254),
  action: z.string().regex(/^[a-z][a-z.-]{0,59}$/, 'an action is lower-case words joined by . or -'),
  target: z.string().max(300).default(''),
  // Ids, counts and settings: short values only, so no answer can be copied in by mistake.
  detail: z.record(z.string().max(60), z.union([z.string().max(200), z.number(), z.boolean()])).default({}),
});
export type AuditInput = z.input<typeof entrySchema>;

/**
 * Appends one entry to the audit trail. The trail is append-only: nothing in the app updates or
 * deletes an entry. An entry that does not fit (a long value, say) is a programming error and throws.
 */
export async function record(db: Connection, entry: AuditInput, at = new Date()): Promise<void> {
  const parsed = entrySchema.parse(entry);
  await auditModel(db).create({ ...parsed, at });
}

/** `record` bound to one database, for the routers that audit what they do. */
export type Audit = (entry: AuditInput) => Promise<void>;
export const auditTrail =
  (db: Connection): Audit =>
  (entry) =>
    record(db, entry);

export const auditFilterSchema = z.object({
  action: z
    .string()
    .regex(/^[a-z][a-z.-]{0,59}$/)
    .optional()
    .catch(undefined),
  actor: z.string().max(254).optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

function query(filter: AuditFilter): Record<string, unknown> {
  const at: Record<string, Date> = {};
  if (filter.from) at.$gte = new Date(`${filter.from}T00:00:00Z`);
  if (filter.to) at.$lt = new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 24 * 3600 * 1000);
  return {
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.actor ? { actor: filter.actor } : {}),
    ...(Object.keys(at).length > 0 ? { at } : {}),
  };
}

export const AUDIT_PAGE_SIZE = 500;

/** The newest entries matching the filter (up to a page), how many match in all, and who appears. */
export async function auditPage(
  db: Connection,
  filter: AuditFilter,
): Promise<{ entries: AuditEntry[]; total: number; actors: string[] }> {
  const model = auditModel(db);
  const [entries, total, actors] = await Promise.all([
    model.find(query(filter)).sort({ at: -1, _id: -1 }).limit(AUDIT_PAGE_SIZE).lean<AuditEntry[]>(),
    model.countDocuments(query(filter)),
    model.distinct('actor'),
  ]);
  return { entries, total, actors: (actors as string[]).sort() };
}

/** Every entry matching the filter, oldest first, read in batches. */
export async function* auditEntries(db: Connection, filter: AuditFilter): AsyncGenerator<AuditEntry> {
  const cursor = auditModel(db)
    .find(query(filter))
    .sort({ at: 1, _id: 1 })
    .lean<AuditEntry[]>()
    .cursor({ batchSize: 1000 });
  try {
    for await (const entry of cursor) yield entry as AuditEntry;
  } finally {
    await cursor.close();
  }
}

/** The audit trail as CSV rows: when, who, what, to what, and the detail as `key=value` pairs. */
export async function* auditCsv(entries: AsyncIterable<AuditEntry>): AsyncGenerator<string> {
  yield csvRow(['at', 'actor', 'action', 'target', 'detail']);
  for await (const entry of entries)
    yield csvRow([entry.at.toISOString(), entry.actor, entry.action, entry.target, describeDetail(entry.detail)]);
}

export function describeDetail(detail: AuditEntry['detail'] | undefined): string {
  return Object.entries(detail ?? {})
    .map(([key, value]) => `${key}=${String(value)}`)
    .join('; ');
}
