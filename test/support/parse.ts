import type { z } from 'zod';

/** Parse with a zod schema in tests, failing loudly. */
export function mustParse<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  return schema.parse(raw);
}
