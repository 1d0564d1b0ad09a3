// The matcher's memory, timeout and scan segments come from the stage config, and its queue keeps hiding messages
// for six of its timeouts whatever that timeout is.
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readStageConfig, type StageName } from '../../infra/config.js';
import {
  environmentOf,
  functionLogicalId,
  functionResource,
  referencedLogicalId,
  resourcesOfType,
  synthesizeStack,
} from './template-helpers.js';

/** The matcher's memory, timeout, scan segments and heap limit, and the visibility timeout of the queue it consumes. */
function matcherSizing(template: Template) {
  const fn = functionResource(template, 'Matcher').Properties;
  const matcherId = functionLogicalId(template, 'Matcher');
  const [mapping] = Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')).filter(
    (m) => referencedLogicalId(m.Properties.FunctionName) === matcherId,
  );
  const queueId = referencedLogicalId(mapping?.Properties.EventSourceArn) ?? '';
  const env = environmentOf(template, 'Matcher');
  return {
    memoryMb: fn.MemorySize,
    timeoutSeconds: fn.Timeout,
    // Only the snapshot job scans (once, for subscriptions older than the change log); matchers never do.
    scanSegments: environmentOf(template, 'MatchSnapshot').SUBSCRIPTION_SCAN_SEGMENTS,
    nodeOptions: env.NODE_OPTIONS,
    queueVisibilitySeconds: resourcesOfType(template, 'AWS::SQS::Queue')[queueId]?.Properties.VisibilityTimeout,
  };
}

describe('matcher sizing', () => {
  const templates = {} as Record<StageName, Template>;

  beforeAll(() => {
    templates.dev = synthesizeStack('dev').template;
    templates.prod = synthesizeStack('prod').template;
  });

  it.each([
    { stage: 'dev', memoryMb: 512, timeoutSeconds: 30, scanSegments: '4', heapMb: 435 },
    { stage: 'prod', memoryMb: 2048, timeoutSeconds: 60, scanSegments: '8', heapMb: 1740 },
  ] as const)(
    'gives the $stage matcher $memoryMb MB, $timeoutSeconds s, $scanSegments scan segments and a queue hiding messages 6x its timeout',
    ({ stage, memoryMb, timeoutSeconds, scanSegments, heapMb }) => {
      // Act
      const sizing = matcherSizing(templates[stage]);

      // Assess
      expect(sizing).toEqual({
        memoryMb,
        timeoutSeconds,
        scanSegments,
        nodeOptions: `--enable-source-maps --max-old-space-size=${heapMb}`,
        queueVisibilitySeconds: 6 * timeoutSeconds,
      });
    },
  );

  it('sizes a 1M-subscription prod matcher with at least one vCPU and room for ~0.9 GB of index and subscriptions', () => {
    // Prepare: docs/operations.md, "Sizing the matcher": 423 MB of index + ~460 B x 1M of subscription objects.
    const steadyMb = 423 + (460 * 1_000_000) / 1024 / 1024;

    // Act
    const { memoryMb } = readStageConfig('prod', {}).matcher;

    // Assess
    expect(memoryMb).toBeGreaterThanOrEqual(1_769);
    expect(memoryMb * 0.85).toBeGreaterThan(steadyMb * 1.5);
  });

  it('follows a changed stage config: memory, timeout, segments, heap limit and the match queue visibility', () => {
    // Prepare
    const matcher = { memoryMb: 3_008, timeoutSeconds: 90, scanSegments: 16, shards: 1, snapshotIntervalMinutes: 15 };

    // Act
    const { template } = synthesizeStack('prod', { matcher });

    // Assess
    expect(matcherSizing(template)).toEqual({
      memoryMb: 3_008,
      timeoutSeconds: 90,
      scanSegments: '16',
      nodeOptions: '--enable-source-maps --max-old-space-size=2556',
      queueVisibilitySeconds: 540,
    });
  });
});
