/**
 * Back-office roles, lowest first: each includes the ones before it. Analysts code; leads also set
 * up questions (codebook, mode, assignments), reconcile and edit codebooks; admins also manage
 * accounts, survey dates and the raw exports.
 */
export const roles = ['analyst', 'lead', 'admin'] as const;
export type Role = (typeof roles)[number];

/** What the rest of the app knows about a signed-in person. */
export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

/** Each role includes the ones below it. */
export function hasRole(user: Pick<SessionUser, 'role'> | undefined, role: Role): boolean {
  return user !== undefined && roles.indexOf(user.role) >= roles.indexOf(role);
}
