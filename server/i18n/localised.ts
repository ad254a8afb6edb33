import { z } from 'zod';

/** Languages a respondent can choose. English is required everywhere; Welsh is optional. */
export const locales = ['en', 'cy'] as const;
export type Locale = (typeof locales)[number];

/** A respondent-visible string: English always, Welsh beside it when translated. */
export const localisedSchema = z
  .object({
    en: z.string().trim().min(1, 'English text is required'),
    cy: z.string().trim().min(1).optional(),
  })
  .strict();

export type Localised = z.infer<typeof localisedSchema>;

export function pick(text: Localised, locale: Locale): string {
  return text[locale] ?? text.en;
}
