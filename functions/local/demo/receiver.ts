// The demo's webhook receiver: what a subscriber's endpoint does. It verifies every Standard Webhooks signature
// with the `standardwebhooks` package (the reference implementation, not our signer) and counts duplicates.
import { Webhook } from 'standardwebhooks';
import type { AlertPayload } from '#domain/types.js';

export interface ReceivedAlert {
  subscriptionId: string;
  webhookId: string;
  verified: boolean;
  payload?: AlertPayload;
  error?: string;
}

export interface ReceiverStats {
  received: number;
  verified: number;
  duplicates: number;
  bySubscription: Record<string, string[]>;
}

export class DemoReceiver {
  private readonly seenIds = new Set<string>();
  private readonly seenPairs = new Set<string>();
  readonly alerts: ReceivedAlert[] = [];
  private duplicates = 0;

  constructor(
    private readonly secretFor: (subscriptionId: string) => Promise<string | undefined>,
    private readonly onAlert: (alert: ReceivedAlert) => void = () => {},
  ) {}

  /** Returns the HTTP status the endpoint answers with. */
  async receive(subscriptionId: string, headers: Record<string, string | string[] | undefined>, body: string): Promise<number> {
    const webhookId = String(headers['webhook-id'] ?? '');
    const secret = await this.secretFor(subscriptionId);
    let alert: ReceivedAlert;
    try {
      if (!secret) throw new Error('unknown subscription');
      const flat: Record<string, string> = {};
      for (const [key, value] of Object.entries(headers)) if (typeof value === 'string') flat[key] = value;
      const payload = new Webhook(secret).verify(body, flat) as AlertPayload;
      alert = { subscriptionId, webhookId, verified: true, payload };
    } catch (error) {
      alert = { subscriptionId, webhookId, verified: false, error: error instanceof Error ? error.message : String(error) };
    }
    // Standard Webhooks consumers deduplicate on webhook-id; we also check (subscription, story) so a second
    // alert for the same story under another id would be caught too.
    const pair = alert.payload ? `${subscriptionId}|${alert.payload.article.storyId}` : undefined;
    if (this.seenIds.has(webhookId) || (pair && this.seenPairs.has(pair))) this.duplicates += 1;
    this.seenIds.add(webhookId);
    if (pair) this.seenPairs.add(pair);
    this.alerts.push(alert);
    this.onAlert(alert);
    return alert.verified ? 204 : 401;
  }

  stats(): ReceiverStats {
    const bySubscription: Record<string, string[]> = {};
    for (const alert of this.alerts) {
      (bySubscription[alert.subscriptionId] ??= []).push(alert.payload?.article.title ?? `(unverified: ${alert.error})`);
    }
    return {
      received: this.alerts.length,
      verified: this.alerts.filter((a) => a.verified).length,
      duplicates: this.duplicates,
      bySubscription,
    };
  }
}
