// Alarms, the dashboard, and the stage-wide safety defaults, read from the synthesised template of both stages.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { METRICS_SERVICE as FUNCTIONS_METRICS_SERVICE, COUNT_METRICS, SECONDS_METRICS } from '../../functions/shared/metrics.js';
import { readStageConfig } from '../../infra/config.js';
import { METRICS_SERVICE, RUNBOOK_KEYS } from '../../infra/constructs/alarms.js';
import { REPO_ROOT } from '../../infra/constructs/node-function.js';
import { seedFeedItem } from '../../infra/constructs/seed-feeds.js';
import { newFeed } from '../../functions/domain/feed.js';
import { toFeedItem } from '../../functions/adapters/dynamo/feeds-repository.js';
import { referencedLogicalId, resourcesOfType, synthesizeStack } from './template-helpers.js';
import type { CfnResource } from './template-helpers.js';

const withEmail = { alarmEmail: 'ops@example.com' };
const dev = synthesizeStack('dev', withEmail).template;
const prod = synthesizeStack('prod', withEmail).template;
const thresholds = readStageConfig('prod', {}).alarms;

function alarms(template: Template): CfnResource[] {
  return Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
}

function alarmsWithKey(template: Template, key: string): CfnResource[] {
  return alarms(template).filter((alarm) => String(alarm.Properties.AlarmDescription).startsWith(`[${key}]`));
}

function alarmTopicId(template: Template): string {
  const [id] = Object.entries(resourcesOfType(template, 'AWS::SNS::Topic')).find(([, topic]) =>
    String(JSON.stringify(topic.Properties.DisplayName)).includes('alarms'),
  ) ?? [''];
  return id;
}

/** Queue logical ids that some other queue redrives into, plus every queue used as an EventBridge target DLQ. */
function deadLetterQueueIds(template: Template): Set<string> {
  const ids = new Set<string>();
  for (const queue of Object.values(resourcesOfType(template, 'AWS::SQS::Queue'))) {
    const redrive = queue.Properties.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined;
    const target = referencedLogicalId(redrive?.deadLetterTargetArn);
    if (target) ids.add(target);
  }
  for (const rule of Object.values(resourcesOfType(template, 'AWS::Events::Rule'))) {
    for (const target of (rule.Properties.Targets ?? []) as { DeadLetterConfig?: { Arn?: unknown } }[]) {
      const dlq = referencedLogicalId(target.DeadLetterConfig?.Arn);
      if (dlq) ids.add(dlq);
    }
  }
  return ids;
}

function metricOf(alarm: CfnResource): string[] {
  const fromMetrics = ((alarm.Properties.Metrics ?? []) as { MetricStat?: { Metric: { MetricName: string } } }[])
    .map((m) => m.MetricStat?.Metric.MetricName)
    .filter((name): name is string => name !== undefined);
  return alarm.Properties.MetricName ? [String(alarm.Properties.MetricName)] : fromMetrics;
}

describe('alarms', () => {
  it('sends every alarm and its recovery to the alarm topic, to which the configured email is subscribed', () => {
    const topicId = alarmTopicId(prod);
    expect(topicId).not.toBe('');
    for (const alarm of alarms(prod)) {
      expect(alarm.Properties.AlarmActions, String(alarm.Properties.AlarmName)).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions, String(alarm.Properties.AlarmName)).toEqual([{ Ref: topicId }]);
    }
    prod.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } });
  });

  it('subscribes nobody when no alarm email is configured', () => {
    const bare = synthesizeStack('dev').template;
    const emails = Object.values(resourcesOfType(bare, 'AWS::SNS::Subscription')).filter((s) => s.Properties.Protocol === 'email');
    expect(emails).toEqual([]);
  });

  it('encrypts the alarm topic with a rotating key CloudWatch may use', () => {
    const topic = resourcesOfType(prod, 'AWS::SNS::Topic')[alarmTopicId(prod)];
    const keyId = referencedLogicalId(topic?.Properties.KmsMasterKeyId);
    const key = resourcesOfType(prod, 'AWS::KMS::Key')[keyId ?? ''];
    expect(key?.Properties.EnableKeyRotation).toBe(true);
    expect(JSON.stringify(key?.Properties.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
  });

  it('alarms on every dead-letter queue as soon as it holds one message', () => {
    // Prepare
    const dlqIds = deadLetterQueueIds(prod);

    // Act
    const watched = alarmsWithKey(prod, 'DlqNotEmpty').map((alarm) => {
      expect(alarm.Properties).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
      });
      const [dimension] = alarm.Properties.Dimensions as { Value: unknown }[];
      return (dimension?.Value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    });

    // Assess
    expect(dlqIds.size).toBeGreaterThanOrEqual(4);
    expect(new Set(watched)).toEqual(dlqIds);
  });

  it('alarms on the oldest message of every queue that has a dead-letter queue', () => {
    const workQueues = Object.entries(resourcesOfType(prod, 'AWS::SQS::Queue')).filter(([, q]) => q.Properties.RedrivePolicy);
    const aged = alarmsWithKey(prod, 'OldestMessageAge');
    expect(aged).toHaveLength(workQueues.length);
    for (const alarm of aged) {
      expect(alarm.Properties).toMatchObject({
        MetricName: 'ApproximateAgeOfOldestMessage',
        Threshold: thresholds.oldestMessageAgeSeconds,
        EvaluationPeriods: 3,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('alarms on errors and throttles of every function of ours', () => {
    const functions = Object.values(resourcesOfType(prod, 'AWS::Lambda::Function')).filter(
      (fn) => (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.POWERTOOLS_METRICS_NAMESPACE,
    );
    const errors = alarmsWithKey(prod, 'FunctionErrors');
    const throttles = alarmsWithKey(prod, 'FunctionThrottles');
    expect(functions.length).toBeGreaterThanOrEqual(5);
    expect(errors).toHaveLength(functions.length);
    expect(throttles).toHaveLength(functions.length);
    for (const alarm of errors) {
      expect(alarm.Properties).toMatchObject({ MetricName: 'Errors', Threshold: 1, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    }
    for (const alarm of throttles) expect(alarm.Properties).toMatchObject({ MetricName: 'Throttles', Threshold: 1, EvaluationPeriods: 3 });
  });

  it.each([
    ['FeedFailureRatio', thresholds.feedFailureRatio, ['FeedFetchErrors', 'FeedsPolled'], 'notBreaching'],
    ['StaleFeedShare', thresholds.staleFeedShare, ['StaleFeeds', 'FeedsTotal'], 'breaching'],
    ['DeliveryFailureRatio', thresholds.deliveryFailureRatio, ['DeliveryFailures', 'AlertsDelivered'], 'notBreaching'],
  ] as const)('alarms when the %s passes %s, by metric math over the pipeline metrics', (key, threshold, metrics, missing) => {
    const [alarm, ...others] = alarmsWithKey(prod, key);
    expect(others).toEqual([]);
    expect(alarm?.Properties).toMatchObject({ Threshold: threshold, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: missing });
    expect(metricOf(alarm as CfnResource).sort()).toEqual([...metrics].sort());
    expect(JSON.stringify(alarm?.Properties.Metrics)).toContain('"Namespace":"newsalert-prod"');
    expect(JSON.stringify(alarm?.Properties.Metrics)).toContain(`{"Name":"service","Value":"${METRICS_SERVICE}"}`);
  });

  it('alarms when the p95 publish-to-alert latency stays above its threshold for an hour', () => {
    const [alarm] = alarmsWithKey(prod, 'PublishToAlertP95');
    expect(alarm?.Properties).toMatchObject({
      MetricName: 'PublishToAlertSeconds',
      Namespace: 'newsalert-prod',
      ExtendedStatistic: 'p95',
      Period: 900,
      EvaluationPeriods: 4,
      Threshold: thresholds.publishToAlertP95Seconds,
    });
  });

  it('reads only metrics the functions write, under the service dimension they write', () => {
    const written = new Set<string>([...COUNT_METRICS, ...SECONDS_METRICS]);
    const pipeline = alarms(prod).flatMap(metricOf).filter((name) => !/^(Errors|Throttles|Approximate)/.test(name));
    expect(pipeline.filter((name) => !written.has(name))).toEqual([]);
    expect(FUNCTIONS_METRICS_SERVICE).toBe(METRICS_SERVICE);
  });

  it('names each alarm after its stack and runbook key, and documents every key in docs/operations.md', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'operations.md'), 'utf8');
    for (const alarm of alarms(dev)) {
      const key = /^\[(\w+)\]/.exec(String(alarm.Properties.AlarmDescription))?.[1] ?? '';
      expect(RUNBOOK_KEYS, String(alarm.Properties.AlarmName)).toContain(key);
      expect(String(alarm.Properties.AlarmName)).toMatch(new RegExp(`^newsalert-dev-${key}`));
    }
    for (const key of RUNBOOK_KEYS) expect(doc, key).toMatch(new RegExp(`^### ${key}$`, 'm'));
  });

  it('shows every alarm on the dashboard', () => {
    const [dashboard] = Object.values(resourcesOfType(prod, 'AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const id of Object.keys(resourcesOfType(prod, 'AWS::CloudWatch::Alarm'))) expect(body, id).toContain(id);
  });
});

describe('safe defaults on every resource', () => {
  it.each([
    ['dev', dev],
    ['prod', prod],
  ] as const)('encrypts every queue, topic and table in %s', (_stage, template) => {
    for (const [id, queue] of Object.entries(resourcesOfType(template, 'AWS::SQS::Queue'))) {
      expect(queue.Properties.SqsManagedSseEnabled === true || queue.Properties.KmsMasterKeyId !== undefined, id).toBe(true);
    }
    for (const [id, topic] of Object.entries(resourcesOfType(template, 'AWS::SNS::Topic'))) {
      expect(topic.Properties.KmsMasterKeyId, id).toBeDefined();
    }
    for (const [id, table] of Object.entries(resourcesOfType(template, 'AWS::DynamoDB::Table'))) {
      expect(table.Properties.SSESpecification, id).toMatchObject({ SSEEnabled: true });
    }
  });

  it('sends every dead letter after at least five receives and keeps it 14 days', () => {
    const queues = resourcesOfType(prod, 'AWS::SQS::Queue');
    for (const [id, queue] of Object.entries(queues)) {
      const redrive = queue.Properties.RedrivePolicy as { maxReceiveCount: number; deadLetterTargetArn: unknown } | undefined;
      if (!redrive) continue;
      expect(redrive.maxReceiveCount, id).toBeGreaterThanOrEqual(5);
      expect(queues[referencedLogicalId(redrive.deadLetterTargetArn) ?? '']?.Properties.MessageRetentionPeriod, id).toBe(1_209_600);
    }
  });

  it('gives every log group a retention: a week in dev, three months in prod', () => {
    for (const group of Object.values(resourcesOfType(dev, 'AWS::Logs::LogGroup'))) expect(group.Properties.RetentionInDays).toBe(7);
    for (const group of Object.values(resourcesOfType(prod, 'AWS::Logs::LogGroup'))) expect(group.Properties.RetentionInDays).toBe(90);
  });

  it('protects prod tables from deletion and keeps them with point-in-time recovery; dev tables go with the stack', () => {
    for (const [id, table] of Object.entries(resourcesOfType(prod, 'AWS::DynamoDB::Table'))) {
      expect(table, id).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: { DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
      });
    }
    for (const [id, table] of Object.entries(resourcesOfType(dev, 'AWS::DynamoDB::Table'))) {
      expect(table, id).toMatchObject({ DeletionPolicy: 'Delete', Properties: { DeletionProtectionEnabled: false } });
    }
  });

  it('writes JSON access logs for the HTTP API into a log group with the stage retention', () => {
    const [stage] = Object.values(resourcesOfType(prod, 'AWS::ApiGatewayV2::Stage'));
    const settings = stage?.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
    const groupId = referencedLogicalId(settings.DestinationArn);
    expect(resourcesOfType(prod, 'AWS::Logs::LogGroup')[groupId ?? '']?.Properties.RetentionInDays).toBe(90);
  });

  it('keeps the poll event source below the poller reservation so SQS never meets throttled pollers', () => {
    const mappings = Object.values(resourcesOfType(prod, 'AWS::Lambda::EventSourceMapping'));
    const capped = mappings.filter((m) => (m.Properties.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency);
    expect(capped.map((m) => m.Properties.ScalingConfig)).toEqual([{ MaximumConcurrency: 10 }]);
  });

  it('emits the metrics of each stage under its own namespace', () => {
    for (const [template, namespace] of [[dev, 'newsalert-dev'], [prod, 'newsalert-prod']] as const) {
      const namespaces = Object.values(resourcesOfType(template, 'AWS::Lambda::Function'))
        .map((fn) => (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.POWERTOOLS_METRICS_NAMESPACE)
        .filter((value) => value !== undefined);
      expect(new Set(namespaces)).toEqual(new Set([namespace]));
    }
  });
});

describe('idempotency and seed feeds', () => {
  it('gives the scheduler an idempotency table whose records expire', () => {
    const functions = resourcesOfType(dev, 'AWS::Lambda::Function');
    const scheduler = Object.values(functions).find((fn) =>
      (fn.Properties.Environment as { Variables?: Record<string, unknown> }).Variables?.IDEMPOTENCY_TABLE,
    );
    const tableId = referencedLogicalId((scheduler?.Properties.Environment as { Variables: Record<string, unknown> }).Variables.IDEMPOTENCY_TABLE);
    expect(resourcesOfType(dev, 'AWS::DynamoDB::Table')[tableId ?? '']?.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
  });

  it('stores a seed feed exactly as the feeds repository stores a new feed', () => {
    // Prepare
    const seed = { url: ' https://example.com/feed.xml ', sourceName: 'Example', sourceCountry: 'GB', language: 'en' };
    const epoch = new Date(0);

    // Act
    const fromInfra = seedFeedItem(seed);
    const fromDomain = toFeedItem(newFeed({ ...seed, sourceCountry: 'GB' }, epoch));

    // Assess
    expect(fromInfra).toEqual(JSON.parse(JSON.stringify(fromDomain)));
  });

  it('registers each seed feed with a conditional put that leaves an existing feed alone', () => {
    const { template } = synthesizeStack('dev', { seedFeeds: [{ url: 'https://example.com/feed.xml' }] });
    const [resource] = Object.values(resourcesOfType(template, 'Custom::AWS'));
    const create = JSON.stringify(resource?.Properties.Create);
    expect(create).toContain('attribute_not_exists(feedId)');
    expect(create).toContain('ConditionalCheckFailedException');
    expect(create).toContain('\\"pollShard\\":{\\"S\\":\\"due\\"}');
  });

  it('creates no custom resource when a stage has no seed feeds', () => {
    expect(Object.keys(resourcesOfType(dev, 'Custom::AWS'))).toEqual([]);
  });
});
