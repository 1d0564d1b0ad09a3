// Every error the API answers is an RFC 9457 problem: domain errors, the router's own, and store errors, which are
// told apart by whether the caller's input caused them, and never show the store's own message.
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors.js';
import { HttpProblem, internalProblem, problemFromError } from '#handlers/api/problem.js';

const INSTANCE = 'urn:newsalert:request:r-1';

function storeError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function answer(error: unknown) {
  const result = problemFromError(error, INSTANCE);
  return result === undefined ? undefined : { status: result.statusCode, headers: result.headers, body: JSON.parse(String(result.body)) as Record<string, unknown> };
}

describe('problemFromError', () => {
  it('keeps the field errors of a validation error', () => {
    const mapped = answer(new ValidationError('Invalid subscription', [{ path: 'countries.0', message: 'unknown ISO 3166-1 code "ZZ"' }]));

    expect(mapped).toEqual({
      status: 400,
      headers: { 'content-type': 'application/problem+json' },
      body: {
        type: 'urn:newsalert:problem:validation',
        title: 'Invalid request',
        status: 400,
        detail: 'Invalid subscription',
        instance: INSTANCE,
        errors: [{ path: 'countries.0', message: 'unknown ISO 3166-1 code "ZZ"' }],
      },
    });
  });

  it('answers 404, 409 and the status of an HttpProblem with its headers', () => {
    expect(answer(new NotFoundError('feed not found'))?.body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'feed not found' });
    expect(answer(new ConflictError('exists'))?.body).toMatchObject({ title: 'Conflict', status: 409 });
    const unsupported = answer(new HttpProblem(415, 'send JSON', { headers: { 'accept-post': 'application/json' } }));
    expect(unsupported).toMatchObject({ status: 415, headers: { 'accept-post': 'application/json' }, body: { title: 'Unsupported Media Type' } });
  });

  it('answers 400 to a store refusal caused by input, without the store message', () => {
    const mapped = answer(storeError('ValidationException', 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes'));

    expect(mapped?.status).toBe(400);
    expect(JSON.stringify(mapped?.body)).not.toMatch(/hashkey|2048|parameter values/);
  });

  it('answers 503 with Retry-After while a new index backfills, and 429 when the store throttles', () => {
    const backfilling = answer(storeError('ValidationException', 'Cannot read from backfilling global secondary index: byCreated'));
    const throttled = answer(storeError('ProvisionedThroughputExceededException', 'Rate of requests exceeds the allowed throughput.'));

    expect(backfilling).toMatchObject({ status: 503, headers: { 'retry-after': '60' } });
    expect(JSON.stringify(backfilling?.body)).not.toContain('byCreated');
    expect(throttled).toMatchObject({ status: 429, headers: { 'retry-after': '1' } });
  });

  it('leaves any other error to the caller, whose 500 names only the request', () => {
    expect(answer(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBeUndefined();
    expect(JSON.parse(String(internalProblem(INSTANCE).body))).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The request failed on our side. It is logged under the id in "instance".',
      instance: INSTANCE,
    });
  });
});
