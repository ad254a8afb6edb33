import { z } from 'zod';

export const codeIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use kebab-case: lower case words joined by -')
  .max(60);
export const colourSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like #1d70b8');

const codeFileSchema = z
  .object({
    id: codeIdSchema,
    name: z.string().trim().min(1).max(80),
    definition: z.string().trim().min(1).max(2000),
    include: z.string().trim().max(2000).default(''),
    exclude: z.string().trim().max(2000).default(''),
    colour: colourSchema,
    parent: codeIdSchema.optional(),
    /** Indicative words and phrases, for suggestions before anyone has coded. */
    terms: z.array(z.string().trim().min(1).max(80)).default([]),
  })
  .strict();

export const codebookFileSchema = z
  .object({
    id: codeIdSchema,
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(120),
    description: z.string().trim().max(1000).default(''),
    codes: z.array(codeFileSchema).min(1),
  })
  .strict()
  .superRefine((book, context) => {
    const ids = book.codes.map((code) => code.id);
    book.codes.forEach((code, index) => {
      if (ids.indexOf(code.id) !== index)
        context.addIssue({ code: 'custom', path: ['codes', index, 'id'], message: `duplicate code id "${code.id}"` });
      if (code.parent && !ids.includes(code.parent)) {
        context.addIssue({
          code: 'custom',
          path: ['codes', index, 'parent'],
          message: `"${code.parent}" is not a code of this codebook`,
        });
      }
    });
  });

export type CodebookFile = z.infer<typeof codebookFileSchema>;
export type CodeFile = CodebookFile['codes'][number];
