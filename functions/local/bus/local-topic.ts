// An SNS standard topic inside one Node process, fanning out to LocalQueues the way an SNS -> SQS subscription
// does: raw delivery hands the message over as the SQS body with its attributes as SQS message attributes; the
// default wraps it in the SNS notification JSON a non-raw subscriber would parse.
import { randomUUID } from 'node:crypto';
import { ValidationError } from '#domain/errors.js';
import { logToConsole, writeLog } from './bus-log.js';
import type { BusLog } from './bus-log.js';
import { compileFilterPolicy, matchesFilterPolicy } from './filter-policy.js';
import type { CompiledFilterPolicy, FilterPolicy } from './filter-policy.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './lambda-context.js';
import type { LocalQueue } from './local-queue.js';
import { validateSnsAttributes } from './sns-attributes.js';
import type { SnsMessageAttributes } from './sns-attributes.js';
import type { LocalMessageAttributes } from './sqs-md5.js';

export interface QueueSubscriptionOptions {
  rawMessageDelivery: boolean;
  /** Over message attributes; a message that fails it is not delivered to this queue. */
  filterPolicy?: FilterPolicy;
}

export interface LocalTopicOptions {
  /** @default one line on stderr for warnings and errors */
  log?: BusLog;
}

export interface LocalSubscription {
  readonly subscriptionArn: string;
  unsubscribe(): void;
}

/** The JSON body a non-raw SNS -> SQS subscription receives. */
export interface SnsNotification {
  Type: 'Notification';
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: '1';
  Signature: string;
  SigningCertURL: string;
  UnsubscribeURL: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

interface QueueSubscription {
  subscriptionArn: string;
  queue: LocalQueue<unknown>;
  rawMessageDelivery: boolean;
  filterPolicy: CompiledFilterPolicy | undefined;
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const MAX_MESSAGE_BYTES = 262_144;

export class LocalTopic {
  readonly name: string;
  readonly arn: string;
  private readonly log: BusLog;
  private readonly subscriptions: QueueSubscription[] = [];

  constructor(name: string, options: LocalTopicOptions = {}) {
    if (!TOPIC_NAME.test(name)) {
      throw new ValidationError(`Topic name "${name}" must be 1-256 letters, digits, hyphens or underscores`);
    }
    this.name = name;
    this.arn = `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${name}`;
    this.log = options.log ?? logToConsole;
  }

  /** Throws ValidationError on an invalid filter policy, as SNS refuses the subscription. */
  subscribeQueue<T>(queue: LocalQueue<T>, options: QueueSubscriptionOptions): LocalSubscription {
    const filterPolicy = options.filterPolicy === undefined ? undefined : compileFilterPolicy(options.filterPolicy);
    const subscription: QueueSubscription = {
      subscriptionArn: `${this.arn}:${randomUUID()}`,
      queue: queue,
      rawMessageDelivery: options.rawMessageDelivery,
      filterPolicy,
    };
    this.subscriptions.push(subscription);
    return {
      subscriptionArn: subscription.subscriptionArn,
      unsubscribe: () => {
        const index = this.subscriptions.indexOf(subscription);
        if (index >= 0) this.subscriptions.splice(index, 1);
      },
    };
  }

  /**
   * Validates like SNS Publish (throws ValidationError), then delivers to every subscribed queue whose filter
   * policy accepts the attributes. A queue that refuses the message is logged, not thrown: the publish succeeded.
   */
  async publish(message: string, messageAttributes: SnsMessageAttributes = {}, options: { subject?: string } = {}): Promise<{ messageId: string }> {
    if (typeof message !== 'string' || message.length === 0) {
      throw new ValidationError(`Topic "${this.name}": message must be a non-empty string`);
    }
    const bytes = Buffer.byteLength(message, 'utf8');
    if (bytes > MAX_MESSAGE_BYTES) {
      throw new ValidationError(`Topic "${this.name}": message is ${bytes} bytes, SNS allows ${MAX_MESSAGE_BYTES}`);
    }
    try {
      validateSnsAttributes(messageAttributes);
    } catch (error: unknown) {
      if (error instanceof ValidationError) throw new ValidationError(`Topic "${this.name}": ${error.message}`, [], { cause: error });
      throw error;
    }
    const messageId = randomUUID();
    const timestamp = new Date().toISOString();
    for (const subscription of [...this.subscriptions]) {
      if (subscription.filterPolicy !== undefined && !matchesFilterPolicy(subscription.filterPolicy, messageAttributes)) {
        writeLog(this.log, {
          level: 'debug',
          event: 'notification-filtered',
          message: `Topic "${this.name}" did not deliver ${messageId} to "${subscription.queue.name}": filter policy rejected it`,
          topic: this.name,
          queue: subscription.queue.name,
          messageIds: [messageId],
        });
        continue;
      }
      try {
        if (subscription.rawMessageDelivery) {
          await subscription.queue.sendRaw(message, toSqsAttributes(messageAttributes));
        } else {
          const notification = this.wrapNotification({ messageId, message, timestamp, messageAttributes, subscription, subject: options.subject });
          await subscription.queue.sendRaw(JSON.stringify(notification));
        }
      } catch (error: unknown) {
        if (!(error instanceof ValidationError)) throw error;
        writeLog(this.log, {
          level: 'error',
          event: 'notification-undeliverable',
          message: `Topic "${this.name}" could not deliver ${messageId} to "${subscription.queue.name}"`,
          topic: this.name,
          queue: subscription.queue.name,
          messageIds: [messageId],
          error,
        });
      }
    }
    return { messageId };
  }

  private wrapNotification(input: {
    messageId: string;
    message: string;
    timestamp: string;
    messageAttributes: SnsMessageAttributes;
    subscription: QueueSubscription;
    subject: string | undefined;
  }): SnsNotification {
    const attributes = Object.entries(input.messageAttributes);
    return {
      Type: 'Notification',
      MessageId: input.messageId,
      TopicArn: this.arn,
      ...(input.subject === undefined ? {} : { Subject: input.subject }),
      Message: input.message,
      Timestamp: input.timestamp,
      SignatureVersion: '1',
      // Nothing here is signed; a consumer that verifies signatures must be told it runs locally.
      Signature: 'LOCAL',
      SigningCertURL: 'http://localhost/local-sns-signing-cert.pem',
      UnsubscribeURL: `http://localhost/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(input.subscription.subscriptionArn)}`,
      ...(attributes.length === 0
        ? {}
        : { MessageAttributes: Object.fromEntries(attributes.map(([name, attribute]) => [name, { Type: attribute.DataType, Value: attribute.StringValue }])) }),
    };
  }
}

function toSqsAttributes(attributes: SnsMessageAttributes): LocalMessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, attribute]) => [name, { dataType: attribute.DataType, stringValue: attribute.StringValue }]),
  );
}
