import { describe, expect, it } from 'vitest';
import { MessageCatalogue } from '../../server/i18n/catalogue.js';
import { choiceLabels, questionSchema, typeOf, type Question } from '../../server/surveys/question-types/index.js';

const t = MessageCatalogue.load().translator('en');
const context = { t, locale: 'en' as const, enforceRequired: true };
const question = (fields: Record<string, unknown>): Question =>
  questionSchema.parse({ id: 'q', text: { en: 'Your view?' }, ...fields });
const choices = [
  { value: 'a', label: { en: 'Apples' } },
  { value: 'b', label: { en: 'Bananas' } },
];

describe('each question type reads its own field', () => {
  it('single: one listed value, "Other" only where offered, a message when required and empty', () => {
    const single = question({ type: 'single', choices, other: true, required: true });
    expect(typeOf(single).parse('a', single, context)).toEqual({ ok: true, value: 'a' });
    expect(typeOf(single).parse('other', single, context)).toEqual({ ok: true, value: 'other' });
    expect(typeOf(single).parse(['a', 'b'], single, context)).toEqual({
      ok: false,
      message: 'Choose only one answer.',
    });
    expect(typeOf(single).parse('c', single, context)).toEqual({
      ok: false,
      message: 'Choose one of the answers listed.',
    });
    expect(typeOf(single).parse(undefined, single, context)).toEqual({
      ok: false,
      message: 'Choose an answer to "Your view?".',
    });
    expect(typeOf(single).parse(undefined, single, { ...context, enforceRequired: false })).toEqual({
      ok: true,
      value: null,
    });
    expect(typeOf(single).parse({ $gt: '' }, single, context)).toEqual({
      ok: false,
      message: 'We could not read this answer. Please enter it again.',
    });
  });

  it('multi: several distinct listed values', () => {
    const multi = question({ type: 'multi', choices });
    expect(typeOf(multi).parse(['a', 'b', 'a', ''], multi, context)).toEqual({ ok: true, value: ['a', 'b'] });
    expect(typeOf(multi).parse('b', multi, context)).toEqual({ ok: true, value: ['b'] });
    expect(typeOf(multi).parse(['a', 'z'], multi, context)).toEqual({
      ok: false,
      message: 'Choose one of the answers listed.',
    });
    expect(typeOf(multi).parse(undefined, multi, context)).toEqual({ ok: true, value: null });
    expect(typeOf(multi).multiple).toBe(true);
  });

  it('text: trimmed, control characters dropped, length counted in characters', () => {
    const text = question({ type: 'text', maxLength: 5 });
    expect(typeOf(text).parse('  héllo\u0007 ', text, context)).toEqual({ ok: true, value: 'héllo' });
    expect(typeOf(text).parse('🙂🙂🙂🙂🙂', text, context)).toEqual({ ok: true, value: '🙂🙂🙂🙂🙂' });
    expect(typeOf(text).parse('toolong', text, context)).toEqual({
      ok: false,
      message: 'Your answer must be 5 characters or fewer. It is 7 characters now.',
    });
    expect(typeOf(text).parse(['a'], text, context).ok).toBe(false);
  });

  it('consent: only "yes", and always required', () => {
    const consent = question({ type: 'consent' });
    expect(consent.required).toBe(true);
    expect(typeOf(consent).parse('yes', consent, context)).toEqual({ ok: true, value: 'yes' });
    expect(typeOf(consent).parse(undefined, consent, context)).toEqual({
      ok: false,
      message: 'Tick the box to say you agree to take part.',
    });
    expect(typeOf(consent).parse('no', consent, context).ok).toBe(false);
  });

  it('words answers for "Check your answers" and columns for the download', () => {
    const multi = question({ type: 'multi', choices, other: true });
    expect(typeOf(multi).describe(['a', 'other'], multi, 'Cherries', t, 'en')).toBe(
      'Apples; Other (please say): Cherries',
    );
    expect(
      typeOf(multi)
        .exportColumns(multi)
        .map((column) => column.header),
    ).toEqual(['q: Apples', 'q: Bananas', 'q: Other (please say)']);
    expect(typeOf(multi).exportColumns(multi)[0]!.value(multi, ['a'], true)).toBe(1);
    expect(typeOf(multi).exportColumns(multi)[1]!.value(multi, ['a'], true)).toBe(0);
    expect(typeOf(multi).exportColumns(multi)[1]!.value(multi, undefined, false)).toBe('');
    const scale = question({
      type: 'scale',
      choices: ['1', '2', '3', '4', '5'].map((value) => ({ value, label: { en: `Level ${value}` } })),
    });
    expect(choiceLabels(scale as Extract<Question, { choices: unknown }>).map((choice) => choice.label)).toEqual([
      'Level 1',
      'Level 2',
      'Level 3',
      'Level 4',
      'Level 5',
    ]);
    expect(typeOf(scale).exportColumns(scale)[0]!.value(scale, '3', true)).toBe('Level 3');
  });

  it('refuses a definition field another type owns', () => {
    expect(() => question({ type: 'text', choices })).toThrow();
    expect(() => question({ type: 'scale', choices })).toThrow();
  });
});
