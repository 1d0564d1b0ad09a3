// What every channel file in this folder provides: a factory that takes the deps it needs and returns a sender for
// its own kind of Channel. index.ts lists the factories, one line each.
import { DeliveryError } from '#domain/errors.js';
import type { SendOptions } from '#domain/ports.js';
import type { Channel, OutboundAlert } from '#domain/types.js';

export type ChannelType = Channel['type'];
export type ChannelOf<T extends ChannelType> = Extract<Channel, { type: T }>;

export interface ChannelSender<T extends ChannelType> {
  /** Throws DeliveryError: `permanent` when a retry cannot succeed without a change on the subscriber's side. */
  send(channel: ChannelOf<T>, alert: OutboundAlert, options?: SendOptions): Promise<void>;
}

/** Turns an AWS SDK error into a DeliveryError, permanent when its name says the destination or message is wrong. */
export function deliveryErrorFromAws(error: unknown, channel: string, permanentNames: ReadonlySet<string>): unknown {
  if (!(error instanceof Error)) return error;
  const permanent = permanentNames.has(error.name);
  return new DeliveryError(`${channel} ${error.name}: ${error.message}`, permanent, { cause: error });
}
