// A deployed stack must never see its resources renamed: CloudFormation replaces a resource whose logical id
// changes. For a table that is a new, empty table; for an SQS event source mapping a second mapping on the same
// queue, which Lambda refuses, failing the deploy; for the match queue's SNS subscription a duplicate SNS merges
// with the first, so deleting the old resource silently unsubscribes the queue; for functions, log groups and
// alarms it loses their history. The list holds the ids these resources had before the stack was split into
// sections, so any refactoring of infra/ is held to it.
import { describe, expect, it } from 'vitest';
import deployed from './deployed-logical-ids.json' with { type: 'json' };
import { logicalIdForPath } from '../../infra/stacks/newsalert/section.js';
import { resourcesOfType, synthesizeStack } from './template-helpers.js';

describe.each(['dev', 'prod'] as const)('logical ids on %s', (stage) => {
  const { template } = synthesizeStack(stage);

  it.each(Object.entries(deployed[stage]))('keeps every %s the deployed stack has', (type, ids) => {
    const current = Object.keys(resourcesOfType(template, type));
    expect(current).toEqual(expect.arrayContaining(ids));
  });
});

describe('the logical id scheme', () => {
  it('is the one CDK uses, for stack-level and nested constructs alike', () => {
    // Prepare: ids CDK allocated (read from the list above) for a table, a nested queue and a function's mapping.
    const ids = Object.values(deployed.dev).flat();

    // Act & Assess
    expect(ids).toContain(logicalIdForPath(['FeedsTable', 'Resource']));
    expect(ids).toContain(logicalIdForPath(['PollQueue', 'DeadLetterQueue', 'Resource']));
    expect(ids).toContain(logicalIdForPath(['Poller', 'SqsEventSource:newsalertdevPollQueue765285ED', 'Resource']));
    expect(logicalIdForPath(['Default', 'ApiUrl'])).toBe('ApiUrl');
  });
});
