// SNS-native endpoints of the alerts topic (email, SMS, HTTPS), declared in the stage config and subscribed at deploy,
// each with a filter policy on the alerts' message attributes (`topic`, `country`, `language`, `type`: see
// alertAttributes in functions/adapters/alert-senders/sns.ts). Routing is by attribute, so a handful of endpoints serve
// any number of readers; SNS allows 200 filter policies per topic by default, checked here at synth, as are the
// policy limits (five keys, 150 combinations of values), so a bad config fails `cdk synth`, not a deploy.
import { createHash } from 'node:crypto';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { isCountryCode } from '#domain/subscription-input.js';
import { isSubscribableTopic } from '#domain/topic-tree.js';

export const ALERT_ENDPOINT_PROTOCOLS = ['email', 'email-json', 'sms', 'https'] as const;
export type AlertEndpointProtocol = (typeof ALERT_ENDPOINT_PROTOCOLS)[number];
export const ALERT_TYPES = ['alert.created', 'story.updated', 'digest.created'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** One reader of the alerts topic and what it wants: any of the values within a field, all of the fields set. */
export interface AlertEndpoint {
  readonly protocol: AlertEndpointProtocol;
  /** An email address, an E.164 phone number (+15555550100) or an https:// URL, by protocol. */
  readonly endpoint: string;
  /** IPTC Media Topic codes; a parent matches its children (the `topic` attribute carries ancestors). */
  readonly topics?: readonly string[];
  /** ISO 3166-1 alpha-2 codes of countries the article is about. */
  readonly countries?: readonly string[];
  /** Lower-case language codes (BCP 47 primary subtags: en, fr, de...). */
  readonly languages?: readonly string[];
  /** Which alerts: @default every type */
  readonly types?: readonly AlertType[];
}

/** SNS's default quota of filter policies per topic. */
export const MAX_FILTER_POLICIES_PER_TOPIC = 200;
/** SNS: the product of the number of values of each key of a policy. */
export const MAX_FILTER_COMBINATIONS = 150;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const LANGUAGE = /^[a-z]{2,3}$/;

type Check = (value: string) => string | undefined;

const ENDPOINT_CHECKS: Record<AlertEndpointProtocol, Check> = {
  email: (value) => (EMAIL.test(value) ? undefined : 'must be an email address'),
  'email-json': (value) => (EMAIL.test(value) ? undefined : 'must be an email address'),
  sms: (value) => (E164.test(value) ? undefined : 'must be a phone number in E.164 form, e.g. +15555550100'),
  https: (value) => {
    try {
      return new URL(value).protocol === 'https:' ? undefined : 'must be an https:// URL';
    } catch {
      return 'must be an https:// URL';
    }
  },
};

function readList(entry: Record<string, unknown>, key: string, where: string, check: Check): string[] | undefined {
  const value = entry[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${where}.${key} must be a non-empty array of strings`);
  return value.map((item, i) => {
    if (typeof item !== 'string') throw new Error(`${where}.${key}[${i}] must be a string`);
    const problem = check(item);
    if (problem) throw new Error(`${where}.${key}[${i}] ${JSON.stringify(item)} ${problem}`);
    return item;
  });
}

/**
 * The alert endpoints of the `alertEndpoints` context value: an array (in cdk.json) or its JSON text (`-c
 * alertEndpoints='[...]'`). @throws Error naming the entry and field of the first problem.
 */
export function parseAlertEndpoints(value: unknown): AlertEndpoint[] {
  if (value === undefined || value === '') return [];
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      throw new Error('alertEndpoints must be a JSON array of endpoints, e.g. [{"protocol":"email","endpoint":"desk@example.com","countries":["FR"]}]');
    }
  }
  if (!Array.isArray(list)) throw new Error('alertEndpoints must be an array of endpoints');
  const seen = new Set<string>();
  const endpoints = list.map((raw: unknown, i): AlertEndpoint => {
    const where = `alertEndpoints[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${where} must be an object`);
    const entry = raw as Record<string, unknown>;
    const unknownKey = Object.keys(entry).find((key) => !['protocol', 'endpoint', 'topics', 'countries', 'languages', 'types'].includes(key));
    if (unknownKey) throw new Error(`${where}.${unknownKey} is not a field of an endpoint (protocol, endpoint, topics, countries, languages, types)`);
    const protocol = entry.protocol;
    if (typeof protocol !== 'string' || !(ALERT_ENDPOINT_PROTOCOLS as readonly string[]).includes(protocol)) {
      throw new Error(`${where}.protocol must be one of ${ALERT_ENDPOINT_PROTOCOLS.join(', ')}`);
    }
    const endpoint = entry.endpoint;
    if (typeof endpoint !== 'string') throw new Error(`${where}.endpoint must be a string`);
    const problem = ENDPOINT_CHECKS[protocol as AlertEndpointProtocol](endpoint);
    if (problem) throw new Error(`${where}.endpoint ${JSON.stringify(endpoint)} ${problem}`);
    const identity = `${protocol} ${endpoint}`;
    if (seen.has(identity)) throw new Error(`${where} repeats ${identity}: an endpoint is subscribed once; list all it wants in one entry`);
    seen.add(identity);
    const topics = readList(entry, 'topics', where, (code) => (isSubscribableTopic(code) ? undefined : 'is not a current IPTC Media Topic code'));
    const countries = readList(entry, 'countries', where, (code) => (isCountryCode(code) ? undefined : 'is not an ISO 3166-1 alpha-2 code'));
    const languages = readList(entry, 'languages', where, (code) => (LANGUAGE.test(code) ? undefined : 'is not a lower-case language code'));
    const types = readList(entry, 'types', where, (type) => ((ALERT_TYPES as readonly string[]).includes(type) ? undefined : `is not one of ${ALERT_TYPES.join(', ')}`));
    const parsed: AlertEndpoint = {
      protocol: protocol as AlertEndpointProtocol,
      endpoint,
      ...(topics ? { topics } : {}),
      ...(countries ? { countries } : {}),
      ...(languages ? { languages } : {}),
      ...(types ? { types: types as AlertType[] } : {}),
    };
    const combinations = [topics, countries, languages, types].reduce((product, values) => product * (values?.length ?? 1), 1);
    if (combinations > MAX_FILTER_COMBINATIONS) {
      throw new Error(
        `${where} asks for ${combinations} combinations of values; SNS allows ${MAX_FILTER_COMBINATIONS} per filter policy (the product of the number of values of each field): split it into several endpoints or ask for fewer values`,
      );
    }
    return parsed;
  });
  const filtered = endpoints.filter((endpoint) => filterPolicyOf(endpoint) !== undefined).length;
  if (filtered > MAX_FILTER_POLICIES_PER_TOPIC) {
    throw new Error(`alertEndpoints has ${filtered} filter policies; SNS allows ${MAX_FILTER_POLICIES_PER_TOPIC} per topic by default (raise the quota first)`);
  }
  return endpoints;
}

/** The filter policy of an endpoint on the alert attributes, or undefined when it wants every alert. */
export function filterPolicyOf(endpoint: AlertEndpoint): Record<string, sns.SubscriptionFilter> | undefined {
  const policy: Record<string, sns.SubscriptionFilter> = {};
  const allow = (key: string, values: readonly string[] | undefined): void => {
    if (values) policy[key] = sns.SubscriptionFilter.stringFilter({ allowlist: [...values] });
  };
  allow('topic', endpoint.topics);
  allow('country', endpoint.countries);
  allow('language', endpoint.languages);
  allow('type', endpoint.types);
  return Object.keys(policy).length === 0 ? undefined : policy;
}

const PROTOCOLS: Record<AlertEndpointProtocol, sns.SubscriptionProtocol> = {
  email: sns.SubscriptionProtocol.EMAIL,
  'email-json': sns.SubscriptionProtocol.EMAIL_JSON,
  sms: sns.SubscriptionProtocol.SMS,
  https: sns.SubscriptionProtocol.HTTPS,
};

export interface AlertEndpointsProps {
  readonly topic: sns.ITopic;
  readonly endpoints: readonly AlertEndpoint[];
}

export class AlertEndpoints extends Construct {
  constructor(scope: Construct, id: string, props: AlertEndpointsProps) {
    super(scope, id);
    for (const endpoint of props.endpoints) {
      // Named after what it is, not its place in the list: reordering the config must not replace subscriptions
      // (an email endpoint would have to confirm again).
      const name = createHash('sha256').update(`${endpoint.protocol} ${endpoint.endpoint}`).digest('hex').slice(0, 12);
      const filterPolicy = filterPolicyOf(endpoint);
      new sns.Subscription(this, `Endpoint${name}`, {
        topic: props.topic,
        protocol: PROTOCOLS[endpoint.protocol],
        endpoint: endpoint.endpoint,
        ...(filterPolicy ? { filterPolicy } : {}),
      });
    }
  }
}
