// The sqs channel: the alert JSON sent to the subscriber's own queue, with this function's role (the subscriber's
// queue policy must admit it; docs/architecture.md, Channels).
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { deliveryErrorFromAws } from './channel.js';
import type { ChannelSender } from './channel.js';

export interface SqsChannelDeps {
  sqs: SQSClient;
}

// Errors that mean the destination or the message is wrong, not that the service is busy.
const PERMANENT_SQS_ERRORS = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'AccessDenied',
  'AccessDeniedException',
  'InvalidAddress',
  'InvalidParameterValue',
  'InvalidMessageContents',
  'InvalidSecurity',
  'KmsAccessDenied',
  'KmsDisabled',
  'KmsInvalidKeyUsage',
  'KmsInvalidState',
  'KmsNotFound',
  'UnsupportedOperation',
]);

export function createSqsChannel(deps: SqsChannelDeps): ChannelSender<'sqs'> {
  return {
    async send(channel, alert) {
      try {
        await deps.sqs.send(
          new SendMessageCommand({
            QueueUrl: channel.queueUrl,
            MessageBody: JSON.stringify(alert),
            MessageAttributes: { type: { DataType: 'String', StringValue: alert.type } },
          }),
        );
      } catch (error: unknown) {
        throw deliveryErrorFromAws(error, 'sqs', PERMANENT_SQS_ERRORS);
      }
    },
  };
}
