// Synthesises the stack without bundling (NodejsFunction then stages a placeholder asset) and reads the template
// the way an operator would: by following Refs from one resource to the next, not by trusting logical ids.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readStageConfig } from '../../infra/config.js';
import type { StageConfig, StageName } from '../../infra/config.js';
import { NewsalertStack } from '../../infra/stacks/newsalert-stack.js';

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
}

export const FUNCTION_IDS = ['Scheduler', 'Poller', 'Matcher', 'MatchSnapshot', 'Deliverer', 'Api', 'WebSubCallback', 'WebSubRenewer', 'Digest'] as const;
export type FunctionId = (typeof FUNCTION_IDS)[number];

export function synthesizeTemplate(stage: StageName): Template {
  return synthesizeStack(stage).template;
}

/**
 * The stack of a stage, optionally with config changes (seed feeds, an alarm email). CDK's built-in CloudFormation
 * validation is left to `cdk synth` (it costs ~10 s per synth here); cdk-nag runs in test/infra/nag.test.ts.
 */
export function synthesizeStack(
  stage: StageName,
  changes: Partial<StageConfig> = {},
): { app: App; stack: NewsalertStack; template: Template } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const stack = new NewsalertStack(app, `newsalert-${stage}`, { config: { ...readStageConfig(stage, {}), ...changes } });
  return { app, stack, template: Template.fromStack(stack) };
}

export function resourcesOfType(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

/** The logical id of one of our functions: CDK appends an 8-hex-digit hash to the construct id. */
export function functionLogicalId(template: Template, id: FunctionId): string {
  const matches = Object.keys(resourcesOfType(template, 'AWS::Lambda::Function')).filter((key) =>
    new RegExp(`^${id}[0-9A-F]{8}$`).test(key),
  );
  if (matches.length !== 1) throw new Error(`expected exactly one ${id} function, found ${matches.join(', ') || 'none'}`);
  return matches[0] as string;
}

export function functionResource(template: Template, id: FunctionId): CfnResource {
  return resourcesOfType(template, 'AWS::Lambda::Function')[functionLogicalId(template, id)] as CfnResource;
}

export function environmentOf(template: Template, id: FunctionId): Record<string, unknown> {
  const env = functionResource(template, id).Properties.Environment as { Variables?: Record<string, unknown> };
  return env.Variables ?? {};
}

/** `{ Ref: X }` or `{ 'Fn::GetAtt': [X, ...] }` -> X. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('Ref' in value && typeof value.Ref === 'string') return value.Ref;
  if ('Fn::GetAtt' in value && Array.isArray(value['Fn::GetAtt'])) {
    const [target] = value['Fn::GetAtt'] as unknown[];
    return typeof target === 'string' ? target : undefined;
  }
  return undefined;
}

/** Every logical id a CloudFormation value mentions, however deeply it is nested in Fn::Join and friends. */
export function mentionedLogicalIds(value: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    const direct = referencedLogicalId(node);
    if (direct) found.add(direct);
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) Object.values(node).forEach(visit);
  };
  visit(value);
  return found;
}

/** The statements of the policy attached to a function's execution role. */
export function statementsOf(template: Template, id: FunctionId): PolicyStatement[] {
  const roleId = referencedLogicalId(functionResource(template, id).Properties.Role);
  const policies = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as unknown[]).some((role) => referencedLogicalId(role) === roleId),
  );
  return policies.flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement,
  );
}

export function actionsOf(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}
