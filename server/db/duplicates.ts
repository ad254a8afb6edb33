/** A duplicate-key error: another process inserted the same document first. */
export function isDuplicateKey(error: unknown): boolean {
  const { code, writeErrors } = (error ?? {}) as { code?: number; writeErrors?: { code?: number }[] };
  return (
    code === 11000 ||
    (Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((entry) => entry.code === 11000))
  );
}

/** Runs a first-start write that another process may be doing at the same moment; losing the race is fine. */
export async function ignoringDuplicates(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}
