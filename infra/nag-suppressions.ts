// The reviewed cdk-nag exceptions, each acknowledged on the resource it concerns (Validations.of(resource), cdk-nag
// v3's replacement for NagSuppressions.addResourceSuppressions), with the reason it is acceptable. An aspect applies
// them, so a function, queue or subscription added later gets the same reviewed exceptions as its siblings and
// nothing more: a wildcard resource is acknowledged only when it is one of the three kinds below, found by reading the
// policy itself. Every other finding fails test/infra/nag.test.ts.
import { AspectPriority, Aspects, Stack, Validations } from 'aws-cdk-lib';
import type { IAspect } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import type { IConstruct } from 'constructs';
import { NodeFunction } from './constructs/node-function.js';
import { DeadLetterQueue } from './constructs/queue-with-dlq.js';

const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

const REASONS = {
  basicExecutionRole:
    'AWSLambdaBasicExecutionRole only allows writing the function its own CloudWatch logs; an inline copy would add nothing.',
  xray: 'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions: "*" is the only form AWS accepts.',
  tableIndexes:
    "The table's own global secondary indexes: their ARNs are the table ARN plus /index/<name>, which grantReadData names with a wildcard.",
  subscriberQueues:
    'Subscribers name their own SQS queues in any account at runtime, so no ARN is known at deploy; only SendMessage is allowed, and each queue policy must still admit this role.',
  runtime:
    'nodejs22.x is pinned on purpose: bundles target node22 and a runtime upgrade is a reviewed change (docs/operations.md, Upgrade).',
  lambdaDlq:
    'No asynchronous invocation needs a function DLQ: SQS consumers dead-letter through their queue redrive policy, API functions answer the caller, and a failed scheduled run is superseded by the next one (the FunctionErrors alarm reports it).',
  eventSourceDestination:
    "SQS event sources take no on-failure destination; the source queue's redrive policy moves failed messages to its DLQ.",
  deadLetterQueue: 'This queue is itself a dead-letter queue: the end of the redrive chain, watched by the DlqNotEmpty alarm.',
  scheduleDeadLetterQueue: 'The dead-letter queue of an EventBridge rule target, not of another queue.',
  snsToSqs:
    'SNS retries delivery to an SQS endpoint for days; a failure here means the queue policy or key denies SNS, which the OldestMessageAge and pipeline alarms show.',
  snsToEmail: 'An email endpoint (the alarm subscription): an undeliverable email cannot be redriven; alarm states remain in CloudWatch.',
  customResource:
    'The AwsCustomResource provider (seed feeds) runs once per deploy for seconds: default memory, no tracing and no DLQ are adequate; its role is the CDK-managed basic execution role.',
  devPitr: 'dev data is disposable; every other stage enables point-in-time recovery.',
  scheduleRule:
    'A scheduled rule: a tick EventBridge could not hand to its function is superseded by the next tick, and a function that keeps failing raises FunctionErrors.',
  apiKeyAuth:
    'Authorised inside the api function, not by API Gateway: API-key routes check the key (SHA-256 hash, one consistent GetItem per request); the public routes (health, OpenAPI, signed unsubscribe links, WebSub callbacks) verify their own signatures (docs/architecture.md).',
  matchSnapshots:
    "The matcher shards' snapshot objects, one per shard and layout under match-index/ of the stack's own snapshot bucket: the keys are made at runtime (snapshotKeyOf).",
  hmacSecret:
    'An HMAC signing key: automatic rotation would invalidate every link already sent; it is rotated by hand as docs/operations.md describes.',
} as const;

/** `{ "Fn::Join": ["", [{ "Fn::GetAtt": [X, "Arn"] }, suffix]] }` -> the resource id cdk-nag prints for it. */
function arnSuffixFinding(resource: unknown, suffix: string): string | undefined {
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] } | null)?.['Fn::Join'];
  if (!join || join[0] !== '' || join[1].length !== 2 || join[1][1] !== suffix) return undefined;
  const getAtt = (join[1][0] as { 'Fn::GetAtt'?: [string, string] } | null)?.['Fn::GetAtt'];
  return getAtt?.[1] === 'Arn' ? `AwsSolutions-IAM5[Resource::<${getAtt[0]}.Arn>${suffix}]` : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function acknowledgePolicyWildcards(policy: iam.CfnPolicy): void {
  const document = Stack.of(policy).resolve(policy.policyDocument) as { Statement?: Record<string, unknown>[] };
  for (const statement of document.Statement ?? []) {
    const actions = asArray(statement.Action) as string[];
    for (const resource of asArray(statement.Resource)) {
      if (resource === '*' && actions.every((action) => action.startsWith('xray:'))) {
        Validations.of(policy).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: REASONS.xray });
      } else if (resource === 'arn:aws:sqs:*:*:*' && actions.length === 1 && actions[0] === 'sqs:SendMessage') {
        Validations.of(policy).acknowledge({ id: 'AwsSolutions-IAM5[Resource::arn:aws:sqs:*:*:*]', reason: REASONS.subscriberQueues });
      } else {
        const finding = arnSuffixFinding(resource, '/index/*');
        if (finding) Validations.of(policy).acknowledge({ id: finding, reason: REASONS.tableIndexes });
        const snapshots = arnSuffixFinding(resource, '/match-index/*');
        if (snapshots) Validations.of(policy).acknowledge({ id: snapshots, reason: REASONS.matchSnapshots });
      }
    }
  }
}

const CUSTOM_RESOURCE_PROVIDER_ID = `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replaceAll('-', '')}`;

class NagSuppressionsAspect implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof NodeFunction) {
      const role = node.role?.node.defaultChild;
      if (role) Validations.of(role).acknowledge({ id: BASIC_EXECUTION_ROLE, reason: REASONS.basicExecutionRole });
      const fn = node.node.defaultChild as lambda.CfnFunction;
      Validations.of(fn).acknowledge(
        { id: 'AwsSolutions-L1', reason: REASONS.runtime },
        { id: 'Serverless-LambdaLatestVersion', reason: REASONS.runtime },
        { id: 'Serverless-LambdaDLQ', reason: REASONS.lambdaDlq },
      );
    } else if (node instanceof iam.CfnPolicy && node.node.scope?.node.scope?.node.scope instanceof NodeFunction) {
      // <function>/ServiceRole/DefaultPolicy/Resource
      acknowledgePolicyWildcards(node);
    } else if (node instanceof lambda.CfnEventSourceMapping && node.node.scope?.node.id.startsWith('SqsEventSource')) {
      Validations.of(node).acknowledge({ id: 'Serverless-LambdaEventSourceMappingDestination', reason: REASONS.eventSourceDestination });
    } else if (node instanceof DeadLetterQueue) {
      const queue = node.node.defaultChild as IConstruct;
      Validations.of(queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: REASONS.deadLetterQueue });
      if (!(node.node.scope && node.node.scope.constructor.name === 'QueueWithDlq')) {
        Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: REASONS.scheduleDeadLetterQueue });
      }
    } else if (node instanceof sns.CfnSubscription) {
      if (node.protocol === 'sqs') Validations.of(node).acknowledge({ id: 'Serverless-SNSRedrivePolicy', reason: REASONS.snsToSqs });
      if (node.protocol === 'email') Validations.of(node).acknowledge({ id: 'Serverless-SNSRedrivePolicy', reason: REASONS.snsToEmail });
    } else if (node.node.id === CUSTOM_RESOURCE_PROVIDER_ID) {
      Validations.of(node).acknowledge(
        { id: BASIC_EXECUTION_ROLE, reason: REASONS.customResource },
        { id: 'Serverless-LambdaDLQ', reason: REASONS.customResource },
        { id: 'Serverless-LambdaDefaultMemorySize', reason: REASONS.customResource },
        { id: 'Serverless-LambdaTracing', reason: REASONS.customResource },
      );
    } else if (node instanceof dynamodb.CfnTable && isPitrOff(node)) {
      Validations.of(node).acknowledge({ id: 'AwsSolutions-DDB3', reason: REASONS.devPitr });
    } else if (node instanceof events.CfnRule && node.scheduleExpression !== undefined) {
      Validations.of(node).acknowledge({ id: 'Serverless-EventBusDLQ', reason: REASONS.scheduleRule });
    } else if (node instanceof apigw.CfnRoute && node.authorizationType === 'NONE') {
      Validations.of(node).acknowledge({ id: 'AwsSolutions-APIG4', reason: REASONS.apiKeyAuth });
    } else if (node instanceof secretsmanager.CfnSecret) {
      Validations.of(node).acknowledge({ id: 'AwsSolutions-SMG4', reason: REASONS.hmacSecret });
    }
  }
}

function isPitrOff(table: dynamodb.CfnTable): boolean {
  const spec = Stack.of(table).resolve(table.pointInTimeRecoverySpecification) as { pointInTimeRecoveryEnabled?: boolean; PointInTimeRecoveryEnabled?: boolean } | undefined;
  return !(spec?.pointInTimeRecoveryEnabled ?? spec?.PointInTimeRecoveryEnabled ?? false);
}

/** Runs after the mutating aspects (safe defaults, monitoring), so it sees the final resources. */
export function applyNagSuppressions(stack: Stack): void {
  Aspects.of(stack).add(new NagSuppressionsAspect(), { priority: AspectPriority.MUTATING + 1 });
}
