import path from 'node:path';
import { writeBackup } from '../db/backup.js';
import { restoreBackup, RestoreRefusedError, type RestoreResult } from '../db/restore.js';
import { commandArgs, requireOption, UsageError } from './args.js';
import { withDatabase } from './database.js';

const backupUsage = 'backup --out <new folder>';
const restoreUsage = 'restore --from <backup folder> [--replace]';

/** `backup --out DIR`: every collection as Extended JSON lines and manifest.json; prints the manifest's counts. */
export async function backupCommand(args: string[]) {
  const options = commandArgs(args, { out: { type: 'string' } }, backupUsage);
  const dir = path.resolve(requireOption(options.out, 'out', backupUsage));
  const manifest = await withDatabase((connection) => writeBackup(connection, dir));
  const counts = Object.fromEntries(Object.entries(manifest.collections).map(([name, entry]) => [name, entry.count]));
  return { backup: dir, collections: counts };
}

/** `restore --from DIR [--replace]`: checks the whole backup, then restores it; prints what it restored. */
export async function restoreCommand(args: string[]): Promise<RestoreResult> {
  const options = commandArgs(args, { from: { type: 'string' }, replace: { type: 'boolean' } }, restoreUsage);
  const dir = path.resolve(requireOption(options.from, 'from', restoreUsage));
  try {
    return await withDatabase((connection) => restoreBackup(connection, dir, { replace: options.replace === true }));
  } catch (error) {
    if (error instanceof RestoreRefusedError) throw new UsageError(`Nothing was restored: ${error.message}`);
    throw error;
  }
}
