import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readStageConfig } from '../../infra/config.js';
import { QueueWithDlq } from '../../infra/constructs/queue-with-dlq.js';
import type { QueueWithDlqProps } from '../../infra/constructs/queue-with-dlq.js';

function synthesizeQueue(props: QueueWithDlqProps): Template {
  const stack = new Stack(new App(), 'QueueStack');
  new QueueWithDlq(stack, 'Work', props);
  return Template.fromStack(stack);
}

describe('readStageConfig', () => {
  it('names the valid stages when given an unknown one', () => {
    expect(() => readStageConfig('staging', {})).toThrow(
      'Unknown stage "staging": expected one of dev, prod (pass -c stage=<name>).',
    );
  });

  it('rejects a stage that is not a string', () => {
    expect(() => readStageConfig(42, {})).toThrow('Unknown stage 42');
  });

  it('keeps prod data and lets dev data go', () => {
    // Act
    const dev = readStageConfig('dev', {});
    const prod = readStageConfig('prod', {});

    // Assess
    expect(dev).toMatchObject({ removalPolicy: RemovalPolicy.DESTROY, pointInTimeRecovery: false });
    expect(prod).toMatchObject({ removalPolicy: RemovalPolicy.RETAIN, pointInTimeRecovery: true });
  });

  it('polls every five minutes and keeps articles for thirty days with no seed feeds', () => {
    for (const stage of ['dev', 'prod']) {
      const config = readStageConfig(stage, {});
      expect(config.scheduleRate.toMinutes()).toBe(5);
      expect(config.articleRetentionDays).toBe(30);
      expect(config.seedFeeds).toEqual([]);
    }
  });

  it('targets the account and region the CDK CLI resolved, when it resolved them', () => {
    // Act
    const resolved = readStageConfig('dev', { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' });
    const agnostic = readStageConfig('dev', {});

    // Assess
    expect(resolved.env).toEqual({ account: '123456789012', region: 'eu-west-1' });
    expect(agnostic.env).toEqual({ account: undefined, region: undefined });
  });
});

describe('QueueWithDlq', () => {
  it('redrives after five receives into an encrypted DLQ kept for 14 days by default', () => {
    // Act
    const template = synthesizeQueue({ visibilityTimeout: Duration.seconds(90) });

    // Assess
    const queues = Object.entries(template.findResources('AWS::SQS::Queue'));
    const [mainId, main] = queues.find(([, queue]) => queue.Properties.RedrivePolicy) ?? [];
    const [dlqId, dlq] = queues.find(([id]) => id !== mainId) ?? [];
    expect(main?.Properties).toMatchObject({
      VisibilityTimeout: 90,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
    });
    expect(dlq?.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
  });

  it('honours a custom receive count', () => {
    const template = synthesizeQueue({ visibilityTimeout: Duration.seconds(30), maxReceiveCount: 8 });
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { maxReceiveCount: 8 } });
  });

  it.each([0, 2.5, 1001])('refuses a receive count of %s', (maxReceiveCount) => {
    expect(() => synthesizeQueue({ visibilityTimeout: Duration.seconds(30), maxReceiveCount })).toThrow(
      /maxReceiveCount must be an integer from 1 to 1000/,
    );
  });

  it('refuses plain-HTTP access to both queues', () => {
    const template = synthesizeQueue({ visibilityTimeout: Duration.seconds(30) });
    const denials = Object.values(template.findResources('AWS::SQS::QueuePolicy')).filter((policy) =>
      JSON.stringify(policy).includes('"aws:SecureTransport":"false"'),
    );
    expect(denials).toHaveLength(2);
  });
});
