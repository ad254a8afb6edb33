/** Back-office roles, lowest first: each includes the ones before it. */
export const roles = ['analyst', 'admin'] as const;
export type Role = (typeof roles)[number];

/** What the rest of the app knows about a signed-in person. */
export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}
