import path from 'node:path';
import { restoreKeepingErasures, type RestoreKeepingErasures } from '../admin/restore-erasures.js';
import { record } from '../audit/service.js';
import { writeBackup } from '../db/backup.js';
import { RestoreRefusedError } from '../db/restore.js';
import { commandArgs, requireOption, UsageError } from './args.js';
import { withDatabase } from './database.js';

const backupUsage = 'backup --out <new folder>';
const restoreUsage = 'restore --from <backup folder> [--replace] [--force]';

/** `backup --out DIR`: every collection as Extended JSON lines and manifest.json; prints the manifest's counts. */
export async function backupCommand(args: string[]) {
  const options = commandArgs(args, { out: { type: 'string' } }, backupUsage);
  const dir = path.resolve(requireOption(options.out, 'out', backupUsage));
  const manifest = await withDatabase(async (connection) => {
    const written = await writeBackup(connection, dir);
    const documents = Object.values(written.collections).reduce((sum, entry) => sum + entry.count, 0);
    await record(connection, {
      actor: 'command line',
      action: 'backup',
      target: dir.slice(-300),
      detail: { documents },
    });
    return written;
  });
  const counts = Object.fromEntries(Object.entries(manifest.collections).map(([name, entry]) => [name, entry.count]));
  return { backup: dir, collections: counts };
}

/**
 * `restore --from DIR [--replace]`: checks the whole backup, then restores it; prints what it
 * restored, and the references of erased responses the backup held, which it erased again.
 */
export async function restoreCommand(args: string[]): Promise<RestoreKeepingErasures> {
  const options = commandArgs(
    args,
    { from: { type: 'string' }, replace: { type: 'boolean' }, force: { type: 'boolean' } },
    restoreUsage,
  );
  const dir = path.resolve(requireOption(options.from, 'from', restoreUsage));
  try {
    return await withDatabase((connection) =>
      restoreKeepingErasures(connection, dir, { replace: options.replace === true, force: options.force === true }),
    );
  } catch (error) {
    if (error instanceof RestoreRefusedError) throw new UsageError(`Nothing was restored: ${error.message}`);
    throw error;
  }
}
