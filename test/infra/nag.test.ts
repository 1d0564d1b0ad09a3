// cdk-nag's AwsSolutions and Serverless packs over both stages, with seed feeds and an alarm email so the optional
// resources are checked too. Every exception is acknowledged on its resource with a reason (infra/nag-suppressions.ts).
import { Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import type { StageName } from '../../infra/config.js';
import { synthesizeStack } from './template-helpers.js';

function findings(stage: StageName): { app: App; lines: string[]; root: IConstruct } {
  const { app, stack } = synthesizeStack(stage, {
    alarmEmail: 'ops@example.com',
    seedFeeds: [{ url: 'https://example.com/feed.xml', sourceName: 'Example', sourceCountry: 'GB', language: 'en' }],
  });
  const lines: string[] = [];
  for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
    for (const violation of pack.validateScope(stack).violations) {
      for (const resource of violation.violatingResources) {
        lines.push(`${violation.ruleName} at ${(resource as { constructPath?: string }).constructPath ?? resource.resourceLogicalId}`);
      }
    }
  }
  return { app, lines, root: stack };
}

describe.each(['dev', 'prod'] as const)('cdk-nag on %s', (stage) => {
  const { lines, root } = findings(stage);

  it('reports no unacknowledged finding from the AwsSolutions and Serverless packs', () => {
    expect(lines).toEqual([]);
  });

  it('gives every acknowledged finding a reason, on a resource rather than the stack', () => {
    // Prepare: each acknowledgment is stored as { "<kind>::<rule id>": reason } on the construct it concerns.
    const acknowledged = root.node.findAll().flatMap((node) =>
      node.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .map((entry) => ({ path: node.node.path, data: entry.data as Record<string, unknown> })),
    );

    // Act
    const entries = acknowledged.flatMap(({ path, data }) =>
      Object.entries(data).map(([rule, reason]) => ({ path, rule, reason: typeof reason === 'string' ? reason : '' })),
    );

    // Assess
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry.path, JSON.stringify(entry)).not.toBe(root.node.path);
      expect(entry.reason.length, JSON.stringify(entry)).toBeGreaterThan(30);
    }
  });
});
