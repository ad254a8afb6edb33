import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../server/http/errors.js';
import { validate } from '../../server/http/validate.js';

const request = (parts: { params?: object; query?: object; body?: unknown }) =>
  ({ params: {}, query: {}, body: undefined, res: undefined, ...parts }) as unknown as Parameters<typeof validate>[0];

describe('the one request validation policy', () => {
  it('treats params that do not fit as a page that does not exist', () => {
    expect(() =>
      validate(request({ params: { id: 'x'.repeat(100) } }), { params: z.object({ id: z.string().max(64) }) }),
    ).toThrow(NotFoundError);
  });

  it('lists every problem with a body, by field', () => {
    try {
      validate(request({ body: { name: '', count: 'many' } }), {
        body: z.object({
          name: z.string().min(1, 'Enter a name'),
          count: z.coerce.number().int(),
          kind: z.enum(['a', 'b']),
        }),
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).status).toBe(400);
      expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual(['name', 'count', 'kind']);
      expect((error as ValidationError).issues[0]!.message).toBe('Enter a name');
      expect((error as ValidationError).issues[2]!.message).not.toMatch(/^Invalid/);
    }
  });

  it("falls back to each bad query field's default and keeps the good ones", () => {
    const schema = z.object({
      format: z.enum(['html', 'csv']).default('html'),
      page: z.coerce.number().int().default(1),
      q: z.string().optional(),
    });
    expect(validate(request({ query: { format: 'exe', page: '3', q: 'x' } }), { query: schema }).query).toEqual({
      format: 'html',
      page: 3,
      q: 'x',
    });
    expect(validate(request({ query: { format: 'csv', page: 'two' } }), { query: schema }).query).toEqual({
      format: 'csv',
      page: 1,
    });
  });
});
