// The delivery dead-letter queue in AWS: the deliverer sends a delivery there after its last attempt, and a redrive
// moves every dead letter back with an SQS message move task (the same mechanism as the console's "redrive").
import { SendMessageCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryDeadLetters } from '#domain/ports.js';
import type { DeliveryMessage } from '#domain/types.js';

export interface SqsDeliveryDeadLettersOptions {
  dlqUrl: string;
  /** Needed only to redrive. */
  dlqArn?: string;
  deliveryQueueArn?: string;
}

export class SqsDeliveryDeadLetters implements DeliveryDeadLetters {
  constructor(
    private readonly sqs: SQSClient,
    private readonly options: SqsDeliveryDeadLettersOptions,
  ) {}

  async send(message: DeliveryMessage): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.options.dlqUrl, MessageBody: JSON.stringify(message) }));
  }

  async redrive(): Promise<{ taskHandle?: string }> {
    const { dlqArn, deliveryQueueArn } = this.options;
    if (dlqArn === undefined || deliveryQueueArn === undefined) {
      throw new Error('redrive needs the DLQ and delivery queue ARNs (DELIVERY_DLQ_ARN, DELIVERY_QUEUE_ARN)');
    }
    const result = await this.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: deliveryQueueArn }));
    return result.TaskHandle === undefined ? {} : { taskHandle: result.TaskHandle };
  }
}
