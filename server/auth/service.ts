import argon2 from 'argon2';
import { z } from 'zod';
import { BadRequestError } from '../http/errors.js';
import { roles, type Role, type SessionUser, type UserDocument, type UserModel } from './user-model.js';

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email('Enter an email address like name@example.org')).pipe(z.string().max(254));
export const passwordSchema = z.string().min(12, 'Use a password of at least 12 characters').max(200);

export function toSessionUser(user: Pick<UserDocument, '_id' | 'email' | 'role'>): SessionUser {
  return { id: String(user._id), email: user.email, role: user.role };
}

export async function createUser(users: UserModel, input: { email: string; password: string; role: Role }): Promise<SessionUser> {
  const parsed = z.object({ email: emailSchema, password: passwordSchema, role: z.enum(roles) }).safeParse(input);
  if (!parsed.success) throw new BadRequestError(parsed.error.issues.map((issue) => issue.message).join('; '));
  if (await users.exists({ email: parsed.data.email })) throw new BadRequestError(`A user with the email ${parsed.data.email} already exists`);
  const passwordHash = await argon2.hash(parsed.data.password, { type: argon2.argon2id });
  const user = await users.create({ email: parsed.data.email, passwordHash, role: parsed.data.role });
  return toSessionUser(user);
}

/** Checks a password; the same work is done for an unknown email so timing does not reveal accounts. */
export async function verifyCredentials(users: UserModel, email: string, password: string): Promise<SessionUser | undefined> {
  const parsedEmail = emailSchema.safeParse(email);
  const user = parsedEmail.success ? await users.findOne({ email: parsedEmail.data }).lean<UserDocument>() : null;
  const hash = user?.passwordHash ?? (await dummyHash());
  const matches = await argon2.verify(hash, password.slice(0, 200)).catch(() => false);
  return user && matches ? toSessionUser(user) : undefined;
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= argon2.hash('a password nobody has', { type: argon2.argon2id });
  return dummy;
}
