import { z } from 'zod';
import { readDataFile } from '../data-files.js';
import { localisedSchema } from '../i18n/localised.js';

const serviceSchema = z
  .object({
    name: localisedSchema,
    contact: localisedSchema,
    description: localisedSchema,
    url: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();

/** The help services the review team lists; names and numbers are theirs to configure. */
export const signpostingSchema = z
  .object({ emergency: serviceSchema, services: z.array(serviceSchema).min(1) })
  .strict();
export type Signposting = z.infer<typeof signpostingSchema>;

export function loadSignposting(file: string): Signposting {
  return readDataFile(file, signpostingSchema, 'signposting');
}
