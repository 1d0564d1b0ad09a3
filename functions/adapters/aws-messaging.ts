// SQS and SNS publishers behind the domain's messaging ports.
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import { NewsalertError } from '#domain/errors.js';
import type { ArticleEventPublisher, QueueMessage, QueueSender } from '#domain/ports.js';
import { topicCodesWithAncestors } from '#domain/topic-tree.js';
import type { TopicParentLookup } from '#domain/topic-tree.js';
import type { ArticleEvent } from '#domain/types.js';

/** Some messages could not be enqueued or published. `failedIds` names them for logs and retries. */
export class MessagingError extends NewsalertError {
  constructor(
    message: string,
    readonly failedIds: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MessagingError';
  }
}

const SQS_MAX_BATCH_ENTRIES = 10;
// The classic SQS payload limit for a whole batch. Newer queues accept more, but staying under it works everywhere.
const SQS_MAX_BATCH_BYTES = 256 * 1024;
const SQS_MAX_DELAY_SECONDS = 900;
// SNS allows 256 KiB for message plus attributes; the margin leaves room for the attributes.
const SNS_MAX_MESSAGE_BYTES = 250 * 1024;
const MAX_ATTRIBUTE_CODES = 50;

interface PreparedEntry {
  entry: SendMessageBatchRequestEntry;
  /** The caller's id for error messages, else the position in the send() call. */
  label: string;
  bytes: number;
}

function clampDelay(seconds: number): number {
  // Callers compute backoffs; an out-of-range delay is clamped rather than rejected by SQS for the whole batch.
  return Math.min(SQS_MAX_DELAY_SECONDS, Math.max(0, Math.floor(seconds)));
}

function chunkEntries(entries: PreparedEntry[]): PreparedEntry[][] {
  const chunks: PreparedEntry[][] = [];
  let current: PreparedEntry[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    if (current.length === SQS_MAX_BATCH_ENTRIES || (current.length > 0 && currentBytes + entry.bytes > SQS_MAX_BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += entry.bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Sends JSON messages to one queue with SendMessageBatch, ten (or fewer, by size) per call. */
export class SqsQueueSender<T> implements QueueSender<T> {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: QueueMessage<T>[]): Promise<void> {
    const prepared = messages.map((message, index): PreparedEntry => {
      const body = JSON.stringify(message.body);
      // Batch entry ids only need to be unique within one call; positions are, caller ids might not be.
      const entry: SendMessageBatchRequestEntry = { Id: String(index), MessageBody: body };
      if (message.delaySeconds !== undefined) entry.DelaySeconds = clampDelay(message.delaySeconds);
      return { entry, label: message.id ?? String(index), bytes: Buffer.byteLength(body) };
    });

    const failures: { label: string; reason: string }[] = [];
    let requestError: unknown;
    for (const chunk of chunkEntries(prepared)) {
      const byId = new Map(chunk.map((p) => [p.entry.Id, p.label]));
      let result;
      try {
        result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: chunk.map((p) => p.entry) }));
      } catch (error) {
        // SQS refused the whole request (a message over the queue's size limit, a missing queue, throttling after the
        // SDK's retries): none of this batch was sent. The other batches are still sent, and the error names every
        // message that was not, as for per-entry failures.
        requestError ??= error;
        // The name only, once per message; the error itself is the MessagingError's cause.
        const reason = error instanceof Error ? error.name : 'Error';
        for (const entry of chunk) failures.push({ label: entry.label, reason });
        continue;
      }
      for (const failed of result.Failed ?? []) {
        const label = (failed.Id !== undefined ? byId.get(failed.Id) : undefined) ?? String(failed.Id);
        failures.push({ label, reason: `${failed.Code ?? 'Unknown'}${failed.Message ? `: ${failed.Message}` : ''}` });
      }
    }
    if (failures.length > 0) {
      const detail = failures.map((f) => `${f.label} (${f.reason})`).join(', ');
      throw new MessagingError(
        `${failures.length} of ${messages.length} messages were not sent to ${this.queueUrl}: ${detail}`,
        failures.map((f) => f.label),
        requestError === undefined ? undefined : { cause: requestError },
      );
    }
  }
}

/** A message attribute as SNS Publish takes it; structurally also what the local bus accepts. */
export interface StringMessageAttribute {
  DataType: 'String' | 'String.Array';
  StringValue: string;
}

/** A String.Array message attribute, or nothing when the list is empty (SNS filter policies can test for absence). */
export function stringArrayAttribute(values: readonly string[]): StringMessageAttribute | undefined {
  const unique = [...new Set(values)].slice(0, MAX_ATTRIBUTE_CODES);
  if (unique.length === 0) return undefined;
  return { DataType: 'String.Array', StringValue: JSON.stringify(unique) };
}

/**
 * The attributes of an article event (3 of SNS's 10), so subscribers filter without reading the body: `type`,
 * `topics` (the article's codes and, given the hierarchy, their ancestors, broadest first) and `countries`. Shared
 * with the local bus.
 */
export function articleEventAttributes(event: ArticleEvent, parentOf?: TopicParentLookup): Record<string, StringMessageAttribute> {
  const attributes: Record<string, StringMessageAttribute> = { type: { DataType: 'String', StringValue: event.type } };
  const codes = event.article.classification.topics.map((topic) => topic.code);
  const topics = stringArrayAttribute(parentOf === undefined ? codes : topicCodesWithAncestors(codes, parentOf));
  if (topics) attributes.topics = topics;
  const countries = stringArrayAttribute(event.article.classification.countries.map((c) => c.code));
  if (countries) attributes.countries = countries;
  return attributes;
}

/** A topic that takes one message with its attributes: SNS in AWS (SnsTopic), the local bus's LocalTopic locally. */
export interface MessageTopic {
  publish(message: string, attributes: Record<string, StringMessageAttribute>): Promise<unknown>;
}

/** Publish to one SNS topic. */
export class SnsTopic implements MessageTopic {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(message: string, attributes: Record<string, StringMessageAttribute>): Promise<void> {
    await this.client.send(new PublishCommand({ TopicArn: this.topicArn, Message: message, MessageAttributes: attributes }));
  }
}

/**
 * Publishes article events to the articles topic with the attributes of articleEventAttributes. The IPTC hierarchy
 * is required: without it `topics` would carry no parent topics, and an SNS filter on a parent would miss.
 */
export class TopicArticleEventPublisher implements ArticleEventPublisher {
  constructor(
    private readonly topic: MessageTopic,
    private readonly parentOf: TopicParentLookup,
  ) {}

  async publish(event: ArticleEvent): Promise<void> {
    const message = JSON.stringify(event);
    const bytes = Buffer.byteLength(message);
    if (bytes > SNS_MAX_MESSAGE_BYTES) {
      throw new MessagingError(`Article event ${event.eventId} is ${bytes} bytes, over the SNS limit`, [event.eventId]);
    }
    await this.topic.publish(message, articleEventAttributes(event, this.parentOf));
  }
}
