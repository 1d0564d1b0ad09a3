// Stage defaults applied to EVERY table, log group and queue in the stack, including ones added later by hand:
// whatever a construct forgot, the stage's policy fills in (an explicit setting is never overridden).
import type { IAspect } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import type { StageConfig } from '../config.js';

export type SafeDefaultsConfig = Pick<StageConfig, 'deletionProtection' | 'pointInTimeRecovery' | 'logRetention'>;

export class StageSafeDefaults implements IAspect {
  constructor(private readonly config: SafeDefaultsConfig) {}

  visit(node: IConstruct): void {
    if (node instanceof dynamodb.CfnTable) {
      node.deletionProtectionEnabled ??= this.config.deletionProtection;
      node.pointInTimeRecoverySpecification ??= { pointInTimeRecoveryEnabled: this.config.pointInTimeRecovery };
      node.sseSpecification ??= { sseEnabled: true };
    } else if (node instanceof logs.CfnLogGroup) {
      node.retentionInDays ??= this.config.logRetention;
    } else if (node instanceof sqs.CfnQueue && node.kmsMasterKeyId === undefined) {
      node.sqsManagedSseEnabled ??= true;
    }
  }
}
