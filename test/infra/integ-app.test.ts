// The deploy-time integration test (integ/integ.pipeline.ts) must at least synthesise offline: CI never deploys it,
// so this is what keeps it from rotting.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildIntegApp, INTEG_ARTICLE_TITLE } from '../../integ/integ.pipeline.js';

describe('deploy-time integration test app', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const { fixtures, pipeline } = buildIntegApp(app);
  const assembly = app.synth();

  it('synthesises the pipeline, the fixtures and the assertion stack', () => {
    const names = assembly.stacks.map((stack) => stack.stackName);
    expect(names).toEqual(expect.arrayContaining([pipeline.stackName, fixtures.stackName]));
    expect(names.some((name) => name.startsWith('PipelineIntegDefaultTestDeployAssert'))).toBe(true);
  });

  it('serves a public RSS feed naming the article the alert must carry', () => {
    const template = Template.fromStack(fixtures);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    expect(JSON.stringify(template.toJSON())).toContain(INTEG_ARTICLE_TITLE);
  });

  it('creates the feed and subscription through the API and waits for the alert on the subscriber queue', () => {
    const assertions = assembly.stacks.find((stack) => stack.stackName.startsWith('PipelineIntegDefaultTestDeployAssert'));
    const body = JSON.stringify(assertions?.template);
    expect(body).toContain('"method":"POST"');
    expect(body).toContain('/feeds');
    expect(body).toContain('/subscriptions');
    expect(body).toContain('receiveMessage');
    expect(body).toContain('border treaty');
  });
});
