// What the alerts topic's readers get: the alert JSON for machines, a plain-text email and a one-line SMS for people,
// and attributes whose `topic` carries ancestors so a filter policy on a parent topic matches its children.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createAlertSender } from '#adapters/alert-senders/index.js';
import { alertAttributes } from '#adapters/alert-senders/sns.js';
import { EMAIL_MAX_STORIES, SNS_MAX_PUBLISH_BYTES, composeSnsAlertMessage, emailSubjectFor, emailTextFor, smsTextFor } from '#adapters/sns-alert-messages.js';
import { DeliveryError } from '#domain/errors.js';
import type { AlertPayload, DigestPayload, Subscription } from '#domain/types.js';

const ALERTS_ARN = 'arn:aws:sns:eu-west-1:123456789012:alerts';
const DIPLOMACY = 'medtop:20000621';
const POLITICS = 'medtop:11000000';
const UNSUBSCRIBE = 'https://api.example.com/unsubscribe/sub_1?token=abc.def';

const snsMock = mockClient(SNSClient);

beforeEach(() => {
  snsMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

afterEach(() => {
  snsMock.reset();
});

function alertWith(overrides: Partial<AlertPayload['article']> = {}, extra: Partial<AlertPayload> = {}): AlertPayload {
  return {
    type: 'alert.created',
    version: '1',
    id: 'dlv_abc',
    timestamp: '2025-03-01T10:06:00.000Z',
    subscriptionId: 'sub_1',
    article: {
      articleId: 'art_1',
      storyId: 'art_1',
      url: 'https://news.example.com/world/2025/03/01/putin-xi-meet',
      title: 'Putin and Xi meet in Moscow',
      summary: 'The two leaders discussed trade and security.',
      publishedAt: '2025-03-01T10:00:00.000Z',
      sourceName: 'Example News',
      language: 'en',
      ...overrides,
    },
    classification: {
      topics: [{ code: DIPLOMACY, label: 'diplomacy', score: 0.8, evidence: [] }],
      countries: [
        { code: 'RU', role: 'primary', score: 0.9, evidence: [] },
        { code: 'CN', role: 'mentioned', score: 0.6, evidence: [] },
      ],
      classifierVersion: 'v1',
    },
    reasons: { topics: [{ code: DIPLOMACY, score: 0.8 }], countries: [{ code: 'RU', role: 'primary', score: 0.9 }], keywords: ['summit'] },
    unsubscribeUrl: UNSUBSCRIBE,
    ...extra,
  };
}

function digestOf(storyCount: number): DigestPayload {
  const stories = Array.from({ length: storyCount }, (_, i) => {
    const base = alertWith({ articleId: `art_${i}`, storyId: `story_${i}`, url: `https://news.example.com/story-${i}`, title: `Story number ${i}` });
    const entry = { type: base.type, article: base.article, reasons: base.reasons };
    return { storyId: `story_${i}`, alerts: i === 0 ? [entry, { ...entry, article: { ...entry.article, articleId: 'art_0b', language: 'fr' } }] : [entry] };
  });
  const last = stories.at(-1)?.alerts[0];
  if (last) last.reasons = { topics: [{ code: 'medtop:15000000', score: 0.7 }], countries: [{ code: 'FR', role: 'mentioned', score: 0.8 }], keywords: [] };
  return {
    type: 'digest.created',
    version: '1',
    id: 'dlv_digest',
    timestamp: '2025-03-02T08:00:00.000Z',
    subscriptionId: 'sub_1',
    reason: 'daily',
    period: { start: '2025-03-01T08:00:00.000Z', end: '2025-03-02T08:00:00.000Z' },
    stories,
    unsubscribeUrl: UNSUBSCRIBE,
  };
}

function snsSubscription(): Subscription {
  return { subscriptionId: 'sub_1', owner: 'alice', topics: [], countries: ['RU'], keywords: [], channel: { type: 'sns' }, status: 'active', createdAt: '2025-01-01T00:00:00.000Z' };
}

// The per-protocol format is opt-in; the default (plain alert JSON) is checked in aws-messaging.test.ts and below.
const sender = createAlertSender({
  policy: { allowLoopback: false },
  sqs: new SQSClient({}),
  sns: new SNSClient({}),
  alertsTopicArn: ALERTS_ARN,
  alertsTopicMessages: 'per-protocol',
  now: () => new Date(),
});

async function publishedInput(alert: AlertPayload | DigestPayload): Promise<PublishCommandInput> {
  await sender.send(snsSubscription(), alert);
  const input = snsMock.commandCalls(PublishCommand)[0]?.args[0].input;
  if (!input) throw new Error('nothing was published');
  return input;
}

function protocolMessages(input: PublishCommandInput): { default: string; email: string; sms: string } {
  return JSON.parse(input.Message ?? 'null') as { default: string; email: string; sms: string };
}

function topicAttribute(attributes: PublishCommandInput['MessageAttributes']): string[] {
  return JSON.parse(attributes?.topic?.StringValue ?? '[]') as string[];
}

describe('alerts topic message per protocol', () => {
  it('publishes a json-structured message whose default is exactly the alert JSON', async () => {
    // Prepare
    const alert = alertWith();

    // Act
    const input = await publishedInput(alert);

    // Assess
    expect(input.TopicArn).toBe(ALERTS_ARN);
    expect(input.MessageStructure).toBe('json');
    expect(protocolMessages(input).default).toBe(JSON.stringify(alert));
    expect(Object.keys(protocolMessages(input)).sort()).toEqual(['default', 'email', 'sms']);
    expect(input.Subject).toBe('Putin and Xi meet in Moscow');
  });

  it('gives email readers plain text with the title, source, time, summary, link and reasons, but not the subscription\'s unsubscribe link', async () => {
    // Act
    const { email } = protocolMessages(await publishedInput(alertWith()));

    // Assess
    expect(email.split('\n')[0]).toBe('Putin and Xi meet in Moscow');
    expect(email).toContain('Example News · 2025-03-01 10:00 UTC');
    expect(email).toContain('The two leaders discussed trade and security.');
    expect(email).toContain('https://news.example.com/world/2025/03/01/putin-xi-meet');
    expect(email).toContain('Matched: topic diplomacy (0.80), RU primary (0.90), “summit”');
    // The topic is shared: the link would stop the publishing subscription for every reader (SNS adds its own).
    expect(email).not.toContain(UNSUBSCRIBE);
    expect(email).not.toMatch(/[{}]/);
    expect(email).not.toContain('"articleId"');
  });

  it('marks an update in the email headline', () => {
    // Prepare
    const { unsubscribeUrl: _dropped, ...rest } = alertWith();
    const update: AlertPayload = { ...rest, type: 'story.updated' };

    // Act
    const email = emailTextFor(update);

    // Assess
    expect(email.split('\n')[0]).toBe('Updated: Putin and Xi meet in Moscow');
    expect(email).not.toMatch(/unsubscribe/i);
  });

  it('gives SMS readers one line within 160 characters that holds the whole URL', async () => {
    // Act
    const { sms } = protocolMessages(await publishedInput(alertWith()));

    // Assess
    expect(sms).toBe('newsalert: Putin and Xi meet in Moscow https://news.example.com/world/2025/03/01/putin-xi-meet');
    expect(sms.length).toBeLessThanOrEqual(160);
  });

  it('clips a long title at a word, never the URL, to stay in one SMS', () => {
    // Prepare
    const url = 'https://news.example.com/world/2025/03/01/a-very-long-slug-for-a-story-about-the-summit-in-moscow';
    const alert = alertWith({ url, title: 'Leaders of Russia and China meet in Moscow for three days of talks on trade, energy, security and the war in Ukraine' });

    // Act
    const sms = smsTextFor(alert);

    // Assess
    expect(sms.length).toBeLessThanOrEqual(160);
    expect(sms.endsWith(` ${url}`)).toBe(true);
    expect(sms).toMatch(/^newsalert: Leaders of Russia and China meet .*\.\.\. https:/);
  });

  it('drops the title rather than cut a URL that leaves no room for it, and sends a URL longer than an SMS whole', () => {
    // Prepare
    const nearlyFull = `https://news.example.com/${'long-path-segment/'.repeat(6)}story`;
    const overFull = `https://news.example.com/${'long-path-segment/'.repeat(8)}story`;

    // Act
    const titleDropped = smsTextFor(alertWith({ url: nearlyFull }));
    const urlAlone = smsTextFor(alertWith({ url: overFull }));

    // Assess
    expect(titleDropped).toBe(`newsalert: ${nearlyFull}`);
    expect(titleDropped.length).toBeLessThanOrEqual(160);
    expect(urlAlone).toBe(overFull);
  });

  it('keeps an SMS in the 160-character alphabet by folding typographic quotes and dashes', () => {
    // Prepare
    const alert = alertWith({ url: 'https://news.example.com/a', title: '“Historic” talks — leaders’ summit in Moscow ends with a joint statement on trade and energy, and a promise of more meetings next year in Beijing' });

    // Act
    const sms = smsTextFor(alert);

    // Assess
    expect(sms).toMatch(/^newsalert: "Historic" talks - leaders' summit/);
    expect(sms.length).toBeLessThanOrEqual(160);
    expect(sms.length).toBeGreaterThan(70);
  });

  it('fits a title in another script within one 70-character UCS-2 SMS', () => {
    // Prepare
    const alert = alertWith({ url: 'https://news.example.ru/a', title: 'Путин и Си Цзиньпин провели переговоры в Москве о торговле и безопасности' });

    // Act
    const sms = smsTextFor(alert);

    // Assess
    expect(sms.length).toBeLessThanOrEqual(70);
    expect(sms).toMatch(/^newsalert: Путин и Си .*… https:\/\/news\.example\.ru\/a$/);
  });

  it('falls back to the alert JSON alone when the per-protocol message would pass the SNS size limit', async () => {
    // Prepare: quotes are escaped once in the alert JSON and twice inside the structured message.
    const alert = alertWith({ summary: '"'.repeat(90_000) });
    const json = JSON.stringify(alert);
    expect(Buffer.byteLength(json)).toBeLessThan(SNS_MAX_PUBLISH_BYTES);

    // Act
    const input = await publishedInput(alert);

    // Assess
    expect(input.MessageStructure).toBeUndefined();
    expect(input.Message).toBe(json);
    expect(input.Subject).toBe('Putin and Xi meet in Moscow');
    expect(topicAttribute(input.MessageAttributes)).toContain(POLITICS);
  });

  it('counts the attributes toward the size limit', () => {
    // Prepare: a message that fits alone but not with a large attribute.
    const alert = alertWith({ summary: 'x'.repeat(120_000) });
    const structuredBytes = Buffer.byteLength(composeSnsAlertMessage(alert, {}, 'per-protocol').Message);
    const filler = { DataType: 'String', StringValue: 'y'.repeat(SNS_MAX_PUBLISH_BYTES - structuredBytes) };

    // Act
    const alone = composeSnsAlertMessage(alert, {}, 'per-protocol');
    const withAttributes = composeSnsAlertMessage(alert, { filler }, 'per-protocol');

    // Assess
    expect(alone.MessageStructure).toBe('json');
    expect(withAttributes.MessageStructure).toBeUndefined();
  });

  it('keeps the delivery errors: a rejected message is permanent, throttling is retried', async () => {
    // Prepare
    snsMock.reset();
    snsMock
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('bad'), { name: 'InvalidParameterException' }))
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'Throttling' }));

    // Act
    const rejected = await sender.send(snsSubscription(), alertWith()).catch((e: unknown) => e);
    const throttled = await sender.send(snsSubscription(), alertWith()).catch((e: unknown) => e);

    // Assess
    expect(rejected).toBeInstanceOf(DeliveryError);
    expect((rejected as DeliveryError).permanent).toBe(true);
    expect(throttled).toBeInstanceOf(DeliveryError);
    expect((throttled as DeliveryError).permanent).toBe(false);
  });
});

describe('alerts topic message by default', () => {
  it('publishes the alert JSON as a plain message with an ASCII subject', () => {
    // Prepare
    const alert = alertWith();

    // Act
    const message = composeSnsAlertMessage(alert);

    // Assess
    expect(message).toEqual({ Message: JSON.stringify(alert), Subject: 'Putin and Xi meet in Moscow' });
  });

  it('folds accents and typographic marks out of the subject, and gives a title with no Latin letters a generic one', () => {
    // Prepare
    const accented = alertWith({ title: 'Zürich’s “Élan” — São Paulo' });
    const chinese = alertWith({ title: '普京计划五月访问中国' });

    // Act
    const accentedSubject = emailSubjectFor(accented);
    const chineseSubject = emailSubjectFor(chinese);

    // Assess
    expect(accentedSubject).toBe('Zurich\'s "Elan" - Sao Paulo');
    expect(chineseSubject).toBe('newsalert: new story');
    for (const subject of [accentedSubject, chineseSubject]) expect(subject).toMatch(/^[\x20-\x7E]{1,99}$/);
  });
});

describe('alerts topic attributes', () => {
  it('adds the politics parent to an article classified only under diplomacy', async () => {
    // Act
    const input = await publishedInput(alertWith());

    // Assess
    expect(topicAttribute(input.MessageAttributes)).toEqual([POLITICS, DIPLOMACY]);
    expect(input.MessageAttributes?.country?.StringValue).toBe('["RU","CN"]');
    expect(input.MessageAttributes?.language).toEqual({ DataType: 'String', StringValue: 'en' });
  });

  it('follows a given hierarchy, broadest code first and each code once', () => {
    // Prepare
    const parents: Record<string, string> = { 'medtop:3': 'medtop:2', 'medtop:2': 'medtop:1', 'medtop:9': 'medtop:1' };
    const alert = alertWith();
    alert.classification.topics = [
      { code: 'medtop:3', label: 'leaf', score: 0.9, evidence: [] },
      { code: 'medtop:9', label: 'other', score: 0.5, evidence: [] },
    ];

    // Act
    const attributes = alertAttributes(alert, (code) => parents[code]);

    // Assess
    expect(topicAttribute(attributes)).toEqual(['medtop:1', 'medtop:2', 'medtop:9', 'medtop:3']);
  });

  it('gives a digest the union of its entries’ reasons with ancestors, and every language', () => {
    // Act
    const attributes = alertAttributes(digestOf(3));

    // Assess
    expect(topicAttribute(attributes)).toEqual([POLITICS, 'medtop:15000000', DIPLOMACY]);
    expect(JSON.parse(attributes.country?.StringValue ?? '[]')).toEqual(['RU', 'FR']);
    expect(attributes.language).toEqual({ DataType: 'String.Array', StringValue: '["en","fr"]' });
    expect(attributes.type?.StringValue).toBe('digest.created');
  });
});

describe('digest on the alerts topic', () => {
  it('lists the stories in the email with why each matched', async () => {
    // Act
    const input = await publishedInput(digestOf(3));
    const { email, sms } = protocolMessages(input);

    // Assess
    expect(input.Subject).toBe('newsalert: 3 stories for you');
    expect(email.split('\n').slice(0, 2)).toEqual(['3 stories for you', 'Your daily digest, 2025-03-01 08:00 UTC to 2025-03-02 08:00 UTC.']);
    expect(email).toContain('1. Story number 0');
    expect(email).toContain('   https://news.example.com/story-0');
    expect(email).toContain('   (+1 more article on this story)');
    expect(email).toContain('3. Story number 2');
    expect(email).toContain('   Matched: topic medtop:15000000 (0.70), FR mentioned (0.80).');
    expect(email).not.toContain(UNSUBSCRIBE);
    expect(email).not.toMatch(/[{}]/);
    expect(sms).toBe('newsalert: 3 stories: Story number 0 https://news.example.com/story-0');
  });

  it('caps the stories an email lists and says how many more there were', () => {
    // Act
    const email = emailTextFor(digestOf(EMAIL_MAX_STORIES + 7));

    // Assess
    expect(email).toContain(`${EMAIL_MAX_STORIES}. Story number ${EMAIL_MAX_STORIES - 1}`);
    expect(email).not.toContain(`Story number ${EMAIL_MAX_STORIES}\n`);
    expect(email).toContain('and 7 more');
  });
});
