// What the sections of the newsalert stack share: a marker class that keeps logical ids as they were, and the
// function defaults every section gives its NodeFunctions.
import { createHash } from 'node:crypto';
import { Duration, Names } from 'aws-cdk-lib';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { IConstruct } from 'constructs';
import type { StageConfig } from '../../config.js';
import type { NodeFunctionProps } from '../../constructs/node-function.js';

/**
 * One part of the pipeline (tables, ingest, matching, delivery, API): it groups its resources in the construct tree
 * but is left out of their logical ids. The stack was deployed as one constructor before it had sections, and a
 * changed logical id makes CloudFormation replace the resource: a new, empty table; a second event source mapping
 * on the same queue, which Lambda refuses (ResourceConflictException) and fails the deploy; a second subscription of
 * the match queue to the articles topic, which SNS merges with the first, so deleting the old one unsubscribes the
 * queue. NewsalertStack allocates logical ids with sectionFreeLogicalId, so moving a resource into a section changes
 * nothing a deployed stack can see; test/infra/logical-ids.test.ts holds every logical id to what it was.
 */
export class StackSection extends Construct {}

/**
 * CDK's logical id for a construct path (the documented scheme of Stack.allocateLogicalId: "Default" components
 * dropped, a lone component used as it is, otherwise the human-readable components without "Resource" and without
 * repeats, plus the first 8 hex digits of the MD5 of the whole path). CDK keeps this scheme stable across versions
 * because every deployed stack depends on it; it is restated here only because CDK does not export it.
 */
export function logicalIdForPath(components: readonly string[]): string {
  const path = components.filter((component) => component !== 'Default');
  if (path.length === 0) throw new Error('a logical id needs at least one path component');
  const alphanumeric = (component: string): string => component.replace(/[^A-Za-z0-9]/g, '');
  if (path.length === 1) {
    const candidate = alphanumeric(path[0]!);
    if (candidate.length <= 255) return candidate;
  }
  const hash = createHash('md5').update(path.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const human: string[] = [];
  for (const component of path) {
    if (human.length === 0 || !human[human.length - 1]!.endsWith(component)) human.push(component);
  }
  return (
    human
      .filter((component) => component !== 'Resource')
      .map(alphanumeric)
      .join('')
      .slice(0, 240) + hash
  );
}

function idsWithoutSections(scopes: readonly IConstruct[]): string[] {
  return scopes.filter((scope) => !(scope instanceof StackSection)).map((scope) => scope.node.id);
}

/**
 * Construct ids that CDK builds from another construct's unique id (Names.nodeUniqueId: an SQS event source mapping
 * is "SqsEventSource:<queue's unique id>", a rule's invoke permission "AllowEventRule<rule's unique id>") embed the
 * sections too. This maps each such unique id inside a section to the one it had without sections.
 */
function uniqueIdRenames(stack: Stack): Map<string, string> {
  const renames = new Map<string, string>();
  for (const construct of stack.node.findAll()) {
    const scopes = construct.node.scopes;
    if (!scopes.some((scope) => scope instanceof StackSection)) continue;
    const current = Names.nodeUniqueId(construct.node);
    const before = logicalIdForPath(idsWithoutSections(scopes.slice(1)));
    if (current !== before) renames.set(current, before);
  }
  return renames;
}

/** Allocates logical ids as if the stack had no sections (see StackSection). Create one per stack. */
export function sectionFreeLogicalIds(stack: Stack): (element: CfnElement) => string {
  let renames: { nodes: number; map: Map<string, string> } | undefined;
  return (element) => {
    const scopes = element.node.scopes;
    const path = idsWithoutSections(scopes.slice(scopes.indexOf(stack) + 1));
    if (!scopes.some((scope) => scope instanceof StackSection)) return logicalIdForPath(path);
    // The tree only grows (aspects add alarms), so a count tells whether the map is still complete.
    const nodes = stack.node.findAll().length;
    if (renames?.nodes !== nodes) renames = { nodes, map: uniqueIdRenames(stack) };
    const map = renames.map;
    return logicalIdForPath(path.map((component) => [...map].reduce((id, [current, before]) => id.replaceAll(current, before), component)));
  };
}

/** What every function of the stage shares: log retention and removal, log level, metrics namespace. */
export function functionDefaults(config: StageConfig) {
  return {
    logRetention: config.logRetention,
    logRemovalPolicy: config.removalPolicy,
    logLevel: config.logLevel,
    metricsNamespace: `newsalert-${config.stage}`,
  } satisfies Partial<NodeFunctionProps>;
}

/** AWS guidance for SQS-triggered Lambdas: a message must stay hidden through several consumer retries. */
export function visibilityFor(consumerTimeout: Duration): Duration {
  return Duration.seconds(consumerTimeout.toSeconds() * 6);
}
