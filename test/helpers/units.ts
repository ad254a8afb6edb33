import type { Unit } from '../../server/coding/read-model.js';

/** Answers as the coding read model holds them, numbered in order; `cy`: answered in Welsh. */
export const unitsOf = (texts: string[], language?: 'cy'): Unit[] =>
  texts.map((text, index) => ({
    responseId: String(index).padStart(24, '0'),
    text,
    lowerText: text.toLowerCase(),
    quoteConsent: true,
    index,
    ...(language ? { language } : {}),
  }));
