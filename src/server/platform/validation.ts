import type { z } from 'zod';
import type { ErrorDetail } from './errors';

/** Turns zod issues into the API's error details, with dotted field paths. */
export function zodDetails(error: z.ZodError, prefix = ''): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}
