import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { readStageConfig } from '../../infra/config.js';
import { AlertEndpoints, parseAlertEndpoints, type AlertEndpoint } from '../../infra/constructs/alert-endpoints.js';
import { resourcesOfType, synthesizeStack } from './template-helpers.js';

function synthesize(endpoints: readonly AlertEndpoint[]): Template {
  const stack = new Stack(new App(), 'EndpointsStack');
  const topic = new sns.Topic(stack, 'Alerts');
  new AlertEndpoints(stack, 'AlertEndpoints', { topic, endpoints });
  return Template.fromStack(stack);
}

describe('alert endpoints of the alerts topic', () => {
  it('subscribes each endpoint with a filter policy on the alert attributes it asks for', () => {
    // Prepare
    const endpoints = parseAlertEndpoints([
      { protocol: 'email', endpoint: 'france-desk@example.com', countries: ['FR'], topics: ['medtop:11000000'] },
      { protocol: 'sms', endpoint: '+15555550100', countries: ['UA', 'RU'], types: ['alert.created'] },
      { protocol: 'https', endpoint: 'https://hooks.example.com/newsalert', languages: ['de'] },
    ]);

    // Act
    const template = synthesize(endpoints);

    // Assess
    template.resourceCountIs('AWS::SNS::Subscription', 3);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'france-desk@example.com',
      FilterPolicy: { topic: ['medtop:11000000'], country: ['FR'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      Endpoint: '+15555550100',
      FilterPolicy: { country: ['UA', 'RU'], type: ['alert.created'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', FilterPolicy: { language: ['de'] } });
  });

  it('gives an endpoint that asks for nothing in particular every alert, without a filter policy', () => {
    const template = synthesize(parseAlertEndpoints('[{"protocol":"email-json","endpoint":"archive@example.com"}]'));

    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email-json', FilterPolicy: Match.absent() });
  });

  it('keeps an endpoint\'s logical id when the list is reordered, so it is not subscribed again', () => {
    // Prepare
    const a = { protocol: 'email', endpoint: 'a@example.com', countries: ['FR'] };
    const b = { protocol: 'email', endpoint: 'b@example.com', countries: ['DE'] };

    // Act
    const ids = (list: unknown[]) => Object.keys(synthesize(parseAlertEndpoints(list)).findResources('AWS::SNS::Subscription')).sort();

    // Assess
    expect(ids([a, b])).toEqual(ids([b, a]));
  });

  it.each<[string, unknown, string]>([
    ['an unknown protocol', [{ protocol: 'fax', endpoint: 'x' }], 'alertEndpoints[0].protocol must be one of email, email-json, sms, https'],
    ['an email endpoint that is not an address', [{ protocol: 'email', endpoint: 'desk' }], 'alertEndpoints[0].endpoint "desk" must be an email address'],
    ['a phone number not in E.164 form', [{ protocol: 'sms', endpoint: '555-0100' }], 'E.164'],
    ['a plain http URL', [{ protocol: 'https', endpoint: 'http://hooks.example.com/x' }], 'must be an https:// URL'],
    ['an unknown country', [{ protocol: 'email', endpoint: 'a@example.com', countries: ['XX'] }], 'alertEndpoints[0].countries[0] "XX" is not an ISO 3166-1 alpha-2 code'],
    ['an unknown topic', [{ protocol: 'email', endpoint: 'a@example.com', topics: ['medtop:99999999'] }], 'is not a current IPTC Media Topic code'],
    ['an unknown alert type', [{ protocol: 'email', endpoint: 'a@example.com', types: ['alert.deleted'] }], 'is not one of alert.created'],
    ['an unknown field', [{ protocol: 'email', endpoint: 'a@example.com', country: ['FR'] }], 'alertEndpoints[0].country is not a field'],
    ['an empty list of values', [{ protocol: 'email', endpoint: 'a@example.com', countries: [] }], 'must be a non-empty array'],
    ['the same endpoint twice', [{ protocol: 'email', endpoint: 'a@example.com' }, { protocol: 'email', endpoint: 'a@example.com', countries: ['FR'] }], 'alertEndpoints[1] repeats email a@example.com'],
    ['text that is not JSON', '[{protocol: email}]', 'must be a JSON array'],
    ['an object instead of a list', { protocol: 'email', endpoint: 'a@example.com' }, 'must be an array'],
  ])('refuses %s at synth, naming the entry', (_label, value, message) => {
    expect(() => parseAlertEndpoints(value)).toThrow(message);
  });

  it('refuses a filter policy with more combinations of values than SNS accepts', () => {
    // 4 topics x 8 countries x 5 languages = 160 > 150.
    const endpoint = {
      protocol: 'email',
      endpoint: 'a@example.com',
      topics: ['medtop:01000000', 'medtop:02000000', 'medtop:03000000', 'medtop:04000000'],
      countries: ['FR', 'DE', 'IT', 'ES', 'PT', 'NL', 'BE', 'AT'],
      languages: ['en', 'fr', 'de', 'it', 'es'],
    };

    expect(() => parseAlertEndpoints([endpoint])).toThrow('asks for 160 combinations of values; SNS allows 150');
    expect(parseAlertEndpoints([{ ...endpoint, languages: ['en', 'fr', 'de', 'it'] }])).toHaveLength(1);
  });

  it('refuses more filter policies than the topic quota, but not endpoints without one', () => {
    const policies = (n: number, withFilter: boolean) =>
      Array.from({ length: n }, (_, i) => ({
        protocol: 'email',
        endpoint: `${withFilter ? 'filtered' : 'everything'}${i}@example.com`,
        ...(withFilter ? { countries: ['FR'] } : {}),
      }));

    expect(() => parseAlertEndpoints(policies(201, true))).toThrow('alertEndpoints has 201 filter policies; SNS allows 200 per topic');
    expect(parseAlertEndpoints([...policies(200, true), ...policies(5, false)])).toHaveLength(205);
  });

  it('reads no endpoints when none are configured', () => {
    expect(parseAlertEndpoints(undefined)).toEqual([]);
    expect(parseAlertEndpoints('')).toEqual([]);
  });
});

describe('alert endpoints in the stack', () => {
  it('subscribes the configured endpoints to the alerts topic and tells the deliverer the message format', () => {
    // Prepare
    const alertEndpoints = parseAlertEndpoints([{ protocol: 'email', endpoint: 'russia-desk@example.com', countries: ['RU'] }]);

    // Act
    const { template } = synthesizeStack('prod', { alertEndpoints, alertsTopicMessages: 'per-protocol' });
    const plain = synthesizeStack('prod').template;

    // Assess
    const alertsTopic = Object.keys(resourcesOfType(template, 'AWS::SNS::Topic')).find((id) => id.startsWith('AlertsTopic'));
    expect(alertsTopic).toBeDefined();
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'russia-desk@example.com',
      TopicArn: { Ref: alertsTopic },
      FilterPolicy: { country: ['RU'] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ALERTS_TOPIC_MESSAGES: 'per-protocol' }) },
    });
    expect(Object.values(resourcesOfType(plain, 'AWS::SNS::Subscription')).map((s) => s.Properties?.Protocol)).not.toContain('email');
    plain.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ ALERTS_TOPIC_MESSAGES: 'json' }) } });
  });

  it('reads the endpoints and the message format from the stage overrides, refusing an unknown format', () => {
    const config = readStageConfig('dev', {}, { alertEndpoints: '[{"protocol":"sms","endpoint":"+15555550100"}]', alertsTopicMessages: 'per-protocol' });

    expect(config.alertEndpoints).toEqual([{ protocol: 'sms', endpoint: '+15555550100' }]);
    expect(config.alertsTopicMessages).toBe('per-protocol');
    expect(readStageConfig('dev', {}).alertsTopicMessages).toBe('json');
    expect(() => readStageConfig('dev', {}, { alertsTopicMessages: 'html' })).toThrow('alertsTopicMessages must be "json" or "per-protocol"');
  });
});
