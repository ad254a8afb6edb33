import crypto from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { ignoringDuplicates } from '../db/duplicates.js';
import { modelOn } from '../db/models.js';

interface SecretRecord {
  _id: string;
  value: string;
}
const secretSchema = new mongoose.Schema<SecretRecord>({ _id: String, value: String }, { versionKey: false });

/**
 * The session-signing secret: SESSION_SECRET when set, otherwise one generated on first start and
 * kept in the database, so every app process on that database signs cookies alike.
 */
export async function sessionSecret(connection: Connection, fromEnvironment?: string): Promise<string> {
  if (fromEnvironment) return fromEnvironment;
  const secrets = modelOn(connection, 'AppSecret', secretSchema);
  await ignoringDuplicates(() =>
    secrets.updateOne(
      { _id: 'session' },
      { $setOnInsert: { value: crypto.randomBytes(32).toString('base64url') } },
      { upsert: true },
    ),
  );
  const stored = await secrets.findById('session').lean();
  if (!stored) throw new Error('Could not read the session secret from the database');
  return stored.value;
}
