// Pipeline metrics. Handlers see only the PipelineMetrics port: deployed it writes CloudWatch EMF through Powertools
// Metrics (one log line per invocation, no API call, no extra latency); the local runtime and tests get a silent one,
// so `newsalert demo --json` still prints exactly one JSON line.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The `service` dimension of every metric; infra/constructs/alarms.ts names it too (test/infra checks they agree). */
export const METRICS_SERVICE = 'newsalert';

export const COUNT_METRICS = [
  /** Feeds fetched (whatever the outcome): the denominator of the feed failure ratio. */
  'FeedsPolled',
  'ArticlesIngested',
  /** Also emitted broken down by `reason` (timeout, http-404, malformed-xml, ...). */
  'FeedFetchErrors',
  'NotModified',
  'AlertsMatched',
  'AlertsDelivered',
  /** sns-channel alerts settled without a publish: an earlier publish of the same story carried them (also by `channel`). */
  'AlertsCoalesced',
  'DeliveryFailures',
  /** Deliveries put back for a moment because their receiver host or subscription had all its sends in flight. */
  'DeliveriesThrottled',
  /** Enabled feeds without a successful poll for longer than the stale threshold (scheduler, each run). */
  'StaleFeeds',
  /** Enabled feeds (scheduler, each run): the denominator of the stale share. */
  'FeedsTotal',
] as const;
export type CountMetric = (typeof COUNT_METRICS)[number];

export const SECONDS_METRICS = [
  /** From the article's publishedAt to the alert reaching the subscriber's channel. */
  'PublishToAlertSeconds',
  /** Matcher, per batch: how old the snapshot its index started from is (per shard: dimension-free, max is what alarms read). */
  'MatchSnapshotAgeSeconds',
  /** Matcher, per batch: how long ago its index last read the subscriptions' change log successfully. */
  'MatchChangeLagSeconds',
] as const;
export type SecondsMetric = (typeof SECONDS_METRICS)[number];

export interface MetricBreakdown {
  readonly name: string;
  readonly value: string;
}

export interface PipelineMetrics {
  /** Adds `value` (default 1) to a counter; with a breakdown, also to the counter under that extra dimension. */
  count(name: CountMetric, value?: number, breakdown?: MetricBreakdown): void;
  /** Records one observation of a duration; alarms read its percentiles. */
  seconds(name: SecondsMetric, value: number): void;
  /** Writes what was recorded since the last flush. withObservability calls it at the end of every invocation. */
  flush(): void;
}

/** CloudWatch keeps at most 100 values per metric in one EMF document; Powertools flushes at that size. */
const MAX_SECONDS_VALUES = 100;

/**
 * EMF metrics with the `service` dimension. Counters are summed in memory and written once per flush
 * (one number per counter, not one per event), so an invocation that ingests 200 articles still writes one line.
 */
export function createEmfMetrics(options: { namespace?: string; metrics?: Metrics } = {}): PipelineMetrics {
  // Without an explicit namespace Powertools reads POWERTOOLS_METRICS_NAMESPACE, which the stack sets per stage.
  const metrics =
    options.metrics ??
    new Metrics({ serviceName: METRICS_SERVICE, ...(options.namespace ? { namespace: options.namespace } : {}) });
  const counts = new Map<CountMetric, number>();
  const breakdowns = new Map<string, { name: CountMetric; breakdown: MetricBreakdown; value: number }>();
  let seconds: { name: SecondsMetric; value: number }[] = [];

  const flushSeconds = (): void => {
    for (const { name, value } of seconds) metrics.addMetric(name, MetricUnit.Seconds, value);
    seconds = [];
  };

  return {
    count(name, value = 1, breakdown) {
      counts.set(name, (counts.get(name) ?? 0) + value);
      if (!breakdown) return;
      const key = `${name}\u0000${breakdown.name}\u0000${breakdown.value}`;
      const entry = breakdowns.get(key) ?? { name, breakdown, value: 0 };
      entry.value += value;
      breakdowns.set(key, entry);
    },
    seconds(name, value) {
      if (!Number.isFinite(value)) return;
      seconds.push({ name, value: Math.max(0, value) });
      if (seconds.length >= MAX_SECONDS_VALUES) {
        flushSeconds();
        metrics.publishStoredMetrics();
      }
    },
    flush() {
      for (const [name, value] of counts) metrics.addMetric(name, MetricUnit.Count, value);
      counts.clear();
      flushSeconds();
      // Powertools warns on an empty flush; an invocation that did nothing measurable is normal here.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      for (const { name, breakdown, value } of breakdowns.values()) {
        const single = metrics.singleMetric();
        single.addDimension(breakdown.name, breakdown.value);
        single.addMetric(name, MetricUnit.Count, value);
      }
      breakdowns.clear();
    },
  };
}
