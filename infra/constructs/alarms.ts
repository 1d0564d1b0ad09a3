// Alarms and the dashboard. Pipeline-level alarms read the EMF metrics the handlers write (shared/metrics.ts);
// per-resource alarms are added by an aspect for EVERY DeadLetterQueue, QueueWithDlq and NodeFunction in the stack,
// so a queue or function added later is watched without anyone remembering to list it here.
// Each alarm's description starts with its runbook key, e.g. "[DlqNotEmpty]": docs/operations.md has a section per
// key (test/infra checks both ways).
import { Aspects, AspectPriority, Duration, Stack } from 'aws-cdk-lib';
import type { IAspect } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { IConstruct } from 'constructs';
import type { AlarmThresholds } from '../config.js';
import { NodeFunction } from './node-function.js';
import { DeadLetterQueue, QueueWithDlq } from './queue-with-dlq.js';

/** The `service` dimension functions/shared/metrics.ts writes (test/infra checks they agree). */
export const METRICS_SERVICE = 'newsalert';

/** Every runbook key an alarm can carry; docs/operations.md has a `### <key>` section for each. */
export const RUNBOOK_KEYS = [
  'DlqNotEmpty',
  'OldestMessageAge',
  'FunctionErrors',
  'FunctionThrottles',
  'FeedFailureRatio',
  'StaleFeedShare',
  'DeliveryFailureRatio',
  'PublishToAlertP95',
  'MatchSnapshotAge',
  'MatchChangeLag',
] as const;
export type RunbookKey = (typeof RUNBOOK_KEYS)[number];

export interface PipelineMonitoringProps {
  /** CloudWatch namespace of the functions' EMF metrics (their POWERTOOLS_METRICS_NAMESPACE). */
  readonly metricsNamespace: string;
  readonly thresholds: AlarmThresholds;
  /** @default - alarms go to the topic only; subscribe to it by hand */
  readonly alarmEmail?: string;
}

export class PipelineMonitoring extends Construct {
  /** Where every alarm (and its recovery) is published. */
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly props: PipelineMonitoringProps;
  private readonly prefix: string;
  private readonly action: SnsAction;
  private readonly watched = new WeakSet<IConstruct>();

  constructor(scope: Construct, id: string, props: PipelineMonitoringProps) {
    super(scope, id);
    this.props = props;
    this.prefix = Stack.of(this).stackName;

    // CloudWatch cannot publish to a topic under the AWS-managed SNS key: the alarm topic needs a key of ours whose
    // policy lets CloudWatch use it.
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: `${this.prefix} alarm topic encryption`,
      enableKeyRotation: true,
    });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `${this.prefix} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.alarmTopic);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: this.prefix,
      defaultInterval: Duration.hours(6),
    });
    this.addPipelineAlarms();
    // The alarm list grows as the aspect finds resources; the dashboard body is rendered after the aspect ran.
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 6 }),
    );
    this.dashboard.addWidgets(...this.pipelineWidgets());

    Aspects.of(Stack.of(this)).add(new WatchEverything(this), { priority: AspectPriority.MUTATING });
  }

  private metric(metricName: string, statistic: string, period: Duration): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.props.metricsNamespace,
      metricName,
      dimensionsMap: { service: METRICS_SERVICE },
      statistic,
      period,
    });
  }

  private alarm(
    key: RunbookKey,
    label: string,
    description: string,
    props: Omit<cloudwatch.AlarmProps, 'alarmName' | 'alarmDescription'>,
  ): cloudwatch.Alarm {
    const id = label ? `${key}${label}` : key;
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      alarmName: `${this.prefix}-${key}${label ? `-${label}` : ''}`,
      alarmDescription: `[${key}] ${description} Runbook: docs/operations.md#${key.toLowerCase()}`,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  private addPipelineAlarms(): void {
    const t = this.props.thresholds;
    const quarter = Duration.minutes(15);

    this.alarm('FeedFailureRatio', '', `More than ${pct(t.feedFailureRatio)} of feed polls failed for 30 minutes.`, {
      metric: new cloudwatch.MathExpression({
        label: 'feed failure ratio',
        expression: 'IF(polls > 0, errors / polls, 0)',
        usingMetrics: {
          errors: this.metric('FeedFetchErrors', 'Sum', quarter),
          polls: this.metric('FeedsPolled', 'Sum', quarter),
        },
        period: quarter,
      }),
      threshold: t.feedFailureRatio,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // Missing data breaches: no figures means the scheduler did not run, which is itself a silent failure.
    this.alarm(
      'StaleFeedShare',
      '',
      `More than ${pct(t.staleFeedShare)} of enabled feeds had no successful poll for ${t.staleFeedHours} h, or the scheduler reported nothing.`,
      {
        metric: new cloudwatch.MathExpression({
          label: 'stale feed share',
          expression: 'IF(total > 0, stale / total, 0)',
          usingMetrics: {
            stale: this.metric('StaleFeeds', 'Maximum', quarter),
            total: this.metric('FeedsTotal', 'Maximum', quarter),
          },
          period: quarter,
        }),
        threshold: t.staleFeedShare,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      },
    );

    this.alarm('DeliveryFailureRatio', '', `More than ${pct(t.deliveryFailureRatio)} of alert sends failed for 30 minutes.`, {
      metric: new cloudwatch.MathExpression({
        label: 'delivery failure ratio',
        expression: 'IF(delivered + failed > 0, failed / (delivered + failed), 0)',
        usingMetrics: {
          failed: this.metric('DeliveryFailures', 'Sum', quarter),
          delivered: this.metric('AlertsDelivered', 'Sum', quarter),
        },
        period: quarter,
      }),
      threshold: t.deliveryFailureRatio,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // Missing data does not breach: no batch, no figure (a matcher that reads nothing is seen by OldestMessageAge).
    this.alarm('MatchSnapshotAge', '', `A matcher started from an index snapshot older than ${t.matchSnapshotAgeSeconds} s: the snapshot job is not writing.`, {
      metric: this.metric('MatchSnapshotAgeSeconds', 'Maximum', quarter),
      threshold: t.matchSnapshotAgeSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm('MatchChangeLag', '', `A matcher matched on subscriptions not read from the change log for over ${t.matchChangeLagSeconds} s.`, {
      metric: this.metric('MatchChangeLagSeconds', 'Maximum', Duration.minutes(5)),
      threshold: t.matchChangeLagSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.alarm(
      'PublishToAlertP95',
      '',
      `The p95 time from an article's publication to its alert stayed above ${t.publishToAlertP95Seconds} s for an hour.`,
      {
        metric: this.metric('PublishToAlertSeconds', 'p95', quarter),
        threshold: t.publishToAlertP95Seconds,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 4,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
    );
  }

  private pipelineWidgets(): cloudwatch.IWidget[] {
    const five = Duration.minutes(5);
    const sum = (name: string) => this.metric(name, 'Sum', five);
    return [
      new cloudwatch.GraphWidget({
        title: 'Feeds',
        left: ['FeedsPolled', 'NotModified', 'FeedFetchErrors', 'ArticlesIngested'].map(sum),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Alerts',
        left: ['AlertsMatched', 'AlertsDelivered', 'DeliveryFailures'].map(sum),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Publish to alert (s) and stale feeds',
        left: [
          this.metric('PublishToAlertSeconds', 'p50', five),
          this.metric('PublishToAlertSeconds', 'p95', five),
        ],
        right: [this.metric('StaleFeeds', 'Maximum', five), this.metric('FeedsTotal', 'Maximum', five)],
        width: 8,
      }),
    ];
  }

  /** Called by the aspect for every dead-letter queue in the stack. */
  watchDeadLetterQueue(queue: DeadLetterQueue): void {
    if (!this.claim(queue)) return;
    const label = labelOf(queue);
    const visible = queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1) });
    this.alarm('DlqNotEmpty', label, `Messages are waiting in the dead-letter queue ${label}.`, {
      metric: visible,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.dashboard.addWidgets(new cloudwatch.SingleValueWidget({ title: `${label} messages`, metrics: [visible], width: 12 }));
  }

  /** Called by the aspect for every work queue (its DLQ is watched on its own). */
  watchQueue(work: QueueWithDlq): void {
    if (!this.claim(work)) return;
    const label = labelOf(work);
    const age = work.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(5) });
    const seconds = this.props.thresholds.oldestMessageAgeSeconds;
    this.alarm('OldestMessageAge', label, `The oldest message in ${label} has waited more than ${seconds} s for 15 minutes.`, {
      metric: age,
      threshold: seconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${label}`,
        left: [work.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) })],
        right: [age],
        width: 12,
      }),
    );
  }

  /** Called by the aspect for every function of ours. */
  watchFunction(fn: NodeFunction): void {
    if (!this.claim(fn)) return;
    const label = labelOf(fn);
    const period = Duration.minutes(5);
    const errors = fn.metricErrors({ statistic: 'Sum', period });
    const throttles = fn.metricThrottles({ statistic: 'Sum', period });
    this.alarm('FunctionErrors', label, `The ${label} function failed in at least 2 of the last 3 five-minute periods.`, {
      metric: errors,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm('FunctionThrottles', label, `The ${label} function was throttled for 15 minutes in a row.`, {
      metric: throttles,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${label} function`,
        left: [errors, throttles],
        right: [fn.metricDuration({ statistic: 'p95', period })],
        width: 12,
      }),
    );
  }

  private claim(node: IConstruct): boolean {
    if (this.watched.has(node)) return false;
    this.watched.add(node);
    return true;
  }
}

/** Finds what to watch at synthesis, when every construct of the stack exists. */
class WatchEverything implements IAspect {
  constructor(private readonly monitoring: PipelineMonitoring) {}

  visit(node: IConstruct): void {
    if (node instanceof DeadLetterQueue) this.monitoring.watchDeadLetterQueue(node);
    else if (node instanceof QueueWithDlq) this.monitoring.watchQueue(node);
    else if (node instanceof NodeFunction) this.monitoring.watchFunction(node);
  }
}

/** "PollQueue" for the work queue, "PollQueueDlq" for its DLQ, the construct id otherwise. */
function labelOf(node: IConstruct): string {
  if (node instanceof DeadLetterQueue && node.node.scope instanceof QueueWithDlq) return `${node.node.scope.node.id}Dlq`;
  return node.node.id;
}

function pct(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
