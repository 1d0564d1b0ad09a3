// Errors as RFC 9457 problem details (application/problem+json): one shape for every error the API answers, with
// the field errors of a 400 kept in `errors`. `instance` names the request (its id is in the logs), so a caller can
// quote it and an operator can find it; a 500 says nothing else about what went wrong inside.
import type { APIGatewayProxyStructuredResultV2 as Result } from 'aws-lambda';
import * as z from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `type` URIs: "about:blank" where the status says it all, a newsalert URN where the problem has more to it. */
export const PROBLEM_TYPES = {
  blank: 'about:blank',
  validation: 'urn:newsalert:problem:validation',
  notAFeed: 'urn:newsalert:problem:not-a-feed',
} as const;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const FieldErrorSchema = z.object({
  path: z.string().meta({ description: 'The field, as a dotted path ("channel.url", "countries.0"); "(body)" for the whole body' }),
  message: z.string(),
});

export const ProblemSchema = z
  .object({
    type: z.string().meta({ description: 'A URI naming the kind of problem; "about:blank" when the status says it all' }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional().meta({ description: 'The request this answers ("urn:newsalert:request:<id>")' }),
    errors: z.array(FieldErrorSchema).optional().meta({ description: 'Every field that is wrong, and why (400)' }),
    reason: z.string().optional().meta({ description: 'A stable category, where the problem has one (e.g. why a URL is not a usable feed)' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export type Problem = z.infer<typeof ProblemSchema>;

/** An answer other than a domain error: routes throw it for 413, 415, 503...; the router renders it. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: { type?: string; title?: string; headers?: Record<string, string>; errors?: Problem['errors']; reason?: string } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export function problemResponse(problem: Omit<Problem, 'type' | 'title'> & Partial<Pick<Problem, 'type' | 'title'>>, headers: Record<string, string> = {}): Result {
  const body: Problem = { type: PROBLEM_TYPES.blank, title: TITLES[problem.status] ?? 'Error', ...problem };
  return { statusCode: body.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers }, body: JSON.stringify(body) };
}

/**
 * DynamoDB refusing a request because of a value the caller sent: a key over its size limit, an empty key, a
 * start key that does not belong to the query. Its own message may name attributes, so it is not passed on.
 */
function isStoreInputError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationException';
}

function isStoreThrottled(error: unknown): boolean {
  return (
    error instanceof Error &&
    ['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'TooManyRequestsException'].includes(error.name)
  );
}

/** The problem an error stands for, or undefined for an error that is ours (a 500, logged by the caller). */
export function problemFromError(error: unknown, instance: string): Result | undefined {
  if (error instanceof ValidationError) {
    const errors = error.issues.length > 0 ? error.issues : [{ path: '(body)', message: error.message }];
    return problemResponse({ type: PROBLEM_TYPES.validation, title: 'Invalid request', status: 400, detail: error.message, instance, errors });
  }
  if (error instanceof NotFoundError) return problemResponse({ status: 404, detail: error.message, instance });
  if (error instanceof ConflictError) return problemResponse({ status: 409, detail: error.message, instance });
  if (error instanceof HttpProblem) {
    const { headers, ...extra } = error.extra;
    return problemResponse({ status: error.status, detail: error.detail, instance, ...extra }, headers);
  }
  // Right after an upgrade adds an index, DynamoDB refuses reads of it until its backfill ends (minutes).
  if (isStoreInputError(error) && /backfilling/i.test(error instanceof Error ? error.message : '')) {
    return problemResponse({ status: 503, detail: 'an index of this list is still being built after an upgrade: retry in a minute', instance }, { 'retry-after': '60' });
  }
  if (isStoreInputError(error)) {
    return problemResponse({
      type: PROBLEM_TYPES.validation,
      title: 'Invalid request',
      status: 400,
      detail: 'the store refused a value of this request (too long, or malformed)',
      instance,
      errors: [{ path: '(request)', message: 'a value is too long or malformed' }],
    });
  }
  if (isStoreThrottled(error)) return problemResponse({ status: 429, detail: 'too many requests right now: retry in a moment', instance }, { 'retry-after': '1' });
  return undefined;
}

/** The answer to an error of ours: the status, where to look, and nothing about the inside. */
export function internalProblem(instance: string): Result {
  return problemResponse({ status: 500, detail: 'The request failed on our side. It is logged under the id in "instance".', instance });
}
