import crypto from 'node:crypto';
import { z } from 'zod';

/** 192 random bits: the respondent's private resume link is the only way back to their answers. */
export function newResumeToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export const resumeTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{32}$/);

/** Only a hash is stored, so a copy of the database cannot be used to open someone's draft. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
