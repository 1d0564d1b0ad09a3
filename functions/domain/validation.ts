// One way to turn a zod failure into the ValidationError every edge (API, CLI) reports as "path: message" pairs.
import type * as z from 'zod';
import { ValidationError } from './errors.js';

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join('.');
}

export function validationErrorOf(what: string, error: z.ZodError): ValidationError {
  const issues = error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  const summary = issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ');
  return new ValidationError(`Invalid ${what}: ${summary}`, issues, { cause: error });
}

/** Parses `body` with `schema`; throws ValidationError naming each bad field by path, e.g. "countries.1". */
export function parseWith<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw validationErrorOf(what, result.error);
}
