import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { z } from 'zod';

/**
 * A respondent's private resume token: the response's id, then 192 random bits. The id makes the
 * look-up a primary-key read on every backend; the random part is the secret, kept only as a hash,
 * so a copy of the database cannot be used to open someone's draft.
 */
export const resumeTokenSchema = z.string().regex(/^[a-f0-9]{24}-[A-Za-z0-9_-]{32}$/);

export function newResumeToken(): { id: mongoose.Types.ObjectId; token: string; secretHash: string } {
  const id = new mongoose.Types.ObjectId();
  const secret = crypto.randomBytes(24).toString('base64url');
  return { id, token: `${id.toHexString()}-${secret}`, secretHash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

/** The response id and whether `storedHash` is this token's secret (compared in constant time). */
export function readToken(token: string): { id: string; matches: (storedHash: string) => boolean } {
  const [id = '', secret = ''] = token.split('-', 2).length === 2 ? [token.slice(0, 24), token.slice(25)] : [];
  const hash = Buffer.from(hashSecret(secret));
  return {
    id,
    matches: (storedHash) => {
      const stored = Buffer.from(storedHash);
      return stored.length === hash.length && crypto.timingSafeEqual(stored, hash);
    },
  };
}
