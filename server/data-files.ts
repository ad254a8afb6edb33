import fs from 'node:fs';
import { z } from 'zod';

/**
 * Reads one of the platform's JSON data files (survey definitions, codebooks, signposting, message
 * catalogues) and checks it against its schema. Any problem stops start-up with the file and the
 * field: `pages[1](about-you).questions[0](role).choices[2].label.en: ...`.
 */
export function readDataFile<T extends z.ZodType>(file: string, schema: T, kind: string): z.infer<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  at ${describePath(raw, issue.path)}: ${issue.message}`);
    throw new Error(`${file}: invalid ${kind}\n${problems.join('\n')}`);
  }
  return parsed.data;
}

/** Turns `pages.2.questions.1.choices` into `pages[2](about-you).questions[1](role).choices`. */
function describePath(raw: unknown, issuePath: readonly PropertyKey[]): string {
  let node: unknown = raw;
  const parts: string[] = [];
  for (const key of issuePath) {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const id = z.object({ id: z.string() }).safeParse(node);
      const label = id.success ? `[${key}](${id.data.id})` : `[${key}]`;
      if (parts.length > 0) parts[parts.length - 1] += label;
      else parts.push(label);
    } else {
      parts.push(String(key));
    }
  }
  return parts.join('.') || '(top level)';
}
