// A work queue that never loses a message silently: poison messages land in an encrypted dead-letter queue that
// keeps them long enough (14 days, the SQS maximum) to inspect and redrive.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /**
   * How long a dead letter stays available for inspection and redrive.
   * @default Duration.days(14), the SQS maximum
   */
  readonly retentionPeriod?: Duration;
  /** @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An encrypted, TLS-only queue that holds what could not be processed. Its own class so the monitoring aspect finds
 * every one in a stack (queue redrive targets, EventBridge target DLQs, ...) and alarms as soon as one is not empty.
 */
export class DeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, props: DeadLetterQueueProps = {}) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
  }
}

export interface QueueWithDlqProps {
  /**
   * How long a received message stays hidden. Set it to at least 6x the consumer's timeout (the AWS guidance for
   * Lambda event sources) so a retrying consumer never sees its own in-flight message again.
   */
  readonly visibilityTimeout: Duration;
  /**
   * Receives before a message moves to the dead-letter queue. Several, so one throttle or timeout is not fatal.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * How long an unconsumed message stays in the main queue.
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
  /**
   * How long a dead letter stays available for inspection and redrive.
   * @default Duration.days(14)
   */
  readonly deadLetterRetentionPeriod?: Duration;
  /**
   * @default RemovalPolicy.DESTROY (in-flight work is not data worth keeping)
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class QueueWithDlq extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`${this.node.path}: maxReceiveCount must be an integer from 1 to 1000, got ${maxReceiveCount}`);
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      ...(props.deadLetterRetentionPeriod ? { retentionPeriod: props.deadLetterRetentionPeriod } : {}),
      removalPolicy,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
      removalPolicy,
    });
  }
}
