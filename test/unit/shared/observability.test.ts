// The observability kit: secret redaction, correlation ids, the one middy wrapper, EMF metrics, the lazy tracer and
// the stale-feed count the scheduler reports.
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Feed } from '#domain/types.js';
import { countStaleFeeds } from '#handlers/scheduler.js';
import { createLogger, REDACTED, redactSecrets } from '#shared/logger.js';
import { createEmfMetrics } from '#shared/metrics.js';
import type { PipelineMetrics } from '#shared/metrics.js';
import { correlationOf, withObservability } from '#shared/middleware.js';
import { loadTracer } from '#shared/tracer.js';

const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const API_KEY = 'na_0123456789abcdef_Zt8wV1kJQm4rNcY2sXo9uHb7eGf3aLd6pIq0nRyTz5W';

function context(): Context {
  return {
    functionName: 'test-fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:test-fn',
    memoryLimitInMB: '256',
    awsRequestId: 'req-1',
    logGroupName: '/aws/lambda/test-fn',
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Everything written to stdout and stderr while `act` runs, one entry per line. */
async function captureOutput(act: () => Promise<unknown> | unknown): Promise<string[]> {
  const lines: string[] = [];
  const capture = (chunk: unknown): boolean => {
    lines.push(...String(chunk).split('\n').filter((line) => line.length > 0));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await act();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('redactSecrets', () => {
  it.each(['secret', 'apiKey', 'x-api-key', 'X_API_KEY', 'Authorization', 'webhook-signature', 'password', 'cookie'])(
    'hides the value of a %s key',
    (key) => {
      expect(redactSecrets(key, 'anything')).toBe(REDACTED);
    },
  );

  it('hides webhook secrets, API key secrets, bearer tokens and credentials in URLs inside any string', () => {
    // Act
    const redacted = redactSecrets(
      'detail',
      `send failed: ${WEBHOOK_SECRET} key ${API_KEY} Bearer abc.def.ghi https://h/x?api_key=s3cr3t&page=2`,
    );

    // Assess
    expect(redacted).toBe(
      'send failed: whsec_[redacted] key na_0123456789abcdef_[redacted] Bearer [redacted] https://h/x?api_key=[redacted]&page=2',
    );
  });

  it('leaves ordinary values alone', () => {
    expect(redactSecrets('feedId', 'f_abc')).toBe('f_abc');
    expect(redactSecrets('count', 3)).toBe(3);
  });

  it('keeps secrets out of real log lines, however deeply they are nested', async () => {
    // Prepare
    const logger = createLogger('redaction-test', 'DEBUG');

    // Act
    const lines = await captureOutput(() =>
      logger.info('subscription created', {
        subscription: { channel: { type: 'webhook', url: 'https://example.com/hook', secret: WEBHOOK_SECRET } },
        headers: { authorization: `Bearer ${API_KEY}`, 'x-api-key': API_KEY },
        error: new Error(`rejected ${WEBHOOK_SECRET}`),
      }),
    );

    // Assess
    const output = lines.join('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ message: 'subscription created', service: 'redaction-test' });
    expect(output).not.toContain(WEBHOOK_SECRET);
    expect(output).not.toContain(API_KEY);
    expect(output).not.toContain(API_KEY.slice(-20));
  });
});

describe('correlationOf', () => {
  it('uses the API request id, or a well-formed caller-supplied x-correlation-id', () => {
    const event = { requestContext: { requestId: 'api-req-1' }, headers: {} };
    expect(correlationOf(event)).toEqual({ correlationId: 'api-req-1' });
    expect(correlationOf({ ...event, headers: { 'x-correlation-id': 'trace-42' } })).toEqual({ correlationId: 'trace-42' });
    expect(correlationOf({ ...event, headers: { 'x-correlation-id': 'bad\nid' } })).toEqual({ correlationId: 'api-req-1' });
  });

  it('uses the message id of a single SQS or SNS record, and lists them for a batch', () => {
    expect(correlationOf({ Records: [{ messageId: 'm1' }] })).toEqual({ correlationId: 'm1' });
    expect(correlationOf({ Records: [{ Sns: { MessageId: 's1' } }] })).toEqual({ correlationId: 's1' });
    expect(correlationOf({ Records: [{ messageId: 'm1' }, { messageId: 'm2' }] })).toEqual({ messageIds: ['m1', 'm2'] });
  });

  it('uses the EventBridge event id, and finds nothing in an unknown event', () => {
    expect(correlationOf({ id: 'evt-1', 'detail-type': 'Scheduled Event' })).toEqual({ correlationId: 'evt-1' });
    expect(correlationOf({ id: 'x' })).toEqual({});
    expect(correlationOf(null)).toEqual({});
  });
});

describe('withObservability', () => {
  function recordingMetrics(): PipelineMetrics & { flushes: number } {
    const metrics = { flushes: 0, count: () => undefined, seconds: () => undefined, flush: () => void (metrics.flushes += 1) };
    return metrics;
  }

  it('writes the correlation id and Lambda context into every log line of the invocation, and only that one', async () => {
    // Prepare
    const logger = createLogger('wrapped', 'INFO');
    const handler = withObservability({ logger }, async (_event: unknown) => {
      logger.info('inside');
      return 'ok';
    });

    // Act
    const lines = await captureOutput(async () => {
      await handler({ requestContext: { requestId: 'req-A' }, headers: {} }, context());
      await handler({ id: 'evt-B', 'detail-type': 'Scheduled Event' }, context());
    });

    // Assess
    const logs = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs.map((log) => log.correlation_id)).toEqual(['req-A', 'evt-B']);
    expect(logs[0]).toMatchObject({ function_name: 'test-fn', function_request_id: 'req-1', cold_start: expect.any(Boolean) });
  });

  it('flushes metrics once per invocation, also when the handler throws', async () => {
    // Prepare
    const metrics = recordingMetrics();
    const logger = createLogger('wrapped', 'SILENT');
    const ok = withObservability({ logger, metrics }, async () => 'ok');
    const failing = withObservability({ logger, metrics }, async () => {
      throw new Error('boom');
    });

    // Act
    await ok({}, context());
    await expect(failing({}, context())).rejects.toThrow('boom');

    // Assess
    expect(metrics.flushes).toBe(2);
  });

  it('still accepts a bare logger', async () => {
    const handler = withObservability(createLogger('bare', 'SILENT'), async () => 42);
    await expect(handler({}, context())).resolves.toBe(42);
  });
});

describe('createEmfMetrics', () => {
  function emfLines(lines: string[]): { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] } } & Record<string, unknown>[] {
    return lines.map((line) => JSON.parse(line)) as never;
  }

  it('sums counters and writes one EMF document per flush, plus one per breakdown', async () => {
    // Prepare
    const metrics = createEmfMetrics({ namespace: 'newsalert-test' });

    // Act
    const lines = await captureOutput(() => {
      metrics.count('FeedsPolled');
      metrics.count('FeedsPolled');
      metrics.count('ArticlesIngested', 7);
      metrics.count('FeedFetchErrors', 1, { name: 'reason', value: 'timeout' });
      metrics.count('FeedFetchErrors', 1, { name: 'reason', value: 'timeout' });
      metrics.seconds('PublishToAlertSeconds', 42);
      metrics.flush();
    });

    // Assess
    const [main, breakdown, ...rest] = emfLines(lines) as unknown as Record<string, unknown>[];
    expect(rest).toEqual([]);
    expect(main).toMatchObject({ service: 'newsalert', FeedsPolled: 2, ArticlesIngested: 7, FeedFetchErrors: 2, PublishToAlertSeconds: 42 });
    expect(JSON.stringify(main?._aws)).toContain('"Namespace":"newsalert-test"');
    expect(breakdown).toMatchObject({ service: 'newsalert', reason: 'timeout', FeedFetchErrors: 2 });
  });

  it('writes nothing, not even a warning, when nothing was recorded', async () => {
    const metrics = createEmfMetrics({ metrics: new Metrics({ namespace: 'newsalert-test', serviceName: 'newsalert' }) });
    const lines = await captureOutput(() => metrics.flush());
    expect(lines).toEqual([]);
  });

  it('ignores a latency that is not a number and clamps a negative one to zero', async () => {
    const metrics = createEmfMetrics({ namespace: 'newsalert-test' });
    const lines = await captureOutput(() => {
      metrics.seconds('PublishToAlertSeconds', Number.NaN);
      metrics.seconds('PublishToAlertSeconds', -5);
      metrics.flush();
    });
    expect((JSON.parse(lines[0] as string) as Record<string, unknown>).PublishToAlertSeconds).toBe(0);
  });
});

describe('loadTracer', () => {
  it('loads nothing outside Lambda or with tracing disabled', async () => {
    await expect(loadTracer('x', {})).resolves.toBeUndefined();
    await expect(loadTracer('x', { AWS_LAMBDA_FUNCTION_NAME: 'f', POWERTOOLS_TRACE_ENABLED: 'false' })).resolves.toBeUndefined();
  });

  it('gives a Powertools tracer inside Lambda', async () => {
    const tracer = await loadTracer('x', { AWS_LAMBDA_FUNCTION_NAME: 'f' });
    expect(typeof tracer?.captureAWSv3Client).toBe('function');
  });
});

describe('countStaleFeeds', () => {
  const now = new Date('2026-01-02T12:00:00Z');
  const feed = (overrides: Partial<Feed>): Feed => ({
    feedId: 'f',
    url: 'https://example.com/feed',
    enabled: true,
    pollIntervalSeconds: 900,
    nextPollAt: now.toISOString(),
    createdAt: '2026-01-01T00:00:00Z',
    health: { consecutiveFailures: 0 },
    ...overrides,
  });

  it('counts enabled feeds without a success within the window, from creation when never polled', () => {
    // Prepare
    const feeds = [
      feed({ health: { consecutiveFailures: 0, lastSuccessAt: '2026-01-02T11:00:00Z' } }),
      feed({ health: { consecutiveFailures: 9, lastSuccessAt: '2026-01-01T10:00:00Z' } }),
      feed({ createdAt: '2026-01-02T11:30:00Z' }),
      feed({ createdAt: '2025-12-01T00:00:00Z' }),
      feed({ enabled: false, createdAt: '2025-12-01T00:00:00Z' }),
    ];

    // Act
    const counted = countStaleFeeds(feeds, now, 24);

    // Assess
    expect(counted).toEqual({ total: 4, stale: 2 });
  });
});
