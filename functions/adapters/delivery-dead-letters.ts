// The way back from the delivery dead-letter queue in AWS: an SQS message move task moves every dead letter back to
// the delivery queue (the same mechanism as the console's "redrive"). Sending to the DLQ is a plain queue send.
import { StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';

export interface SqsDeliveryDlqRedriveOptions {
  dlqArn: string;
  deliveryQueueArn: string;
}

export class SqsDeliveryDlqRedrive {
  constructor(
    private readonly sqs: SQSClient,
    private readonly options: SqsDeliveryDlqRedriveOptions,
  ) {}

  async redrive(): Promise<{ taskHandle?: string }> {
    const { dlqArn, deliveryQueueArn } = this.options;
    const result = await this.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: deliveryQueueArn }));
    return result.TaskHandle === undefined ? {} : { taskHandle: result.TaskHandle };
  }
}
