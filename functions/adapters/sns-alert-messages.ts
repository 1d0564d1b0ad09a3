// What the alerts topic's readers receive. By default one plain message, the alert JSON, with a Subject for email
// readers: message attributes are delivered with it, and SNS documents attribute delivery only for plain (String)
// messages. Opt in to "per-protocol" (MessageStructure "json") and email readers get plain text and SMS readers one
// line, while `default` keeps the alert JSON for machines (https, sqs, lambda, email-json): check first, in your
// account, that your endpoints' filter policies still match and that no reader needs the attributes delivered.
// Pure functions: no SDK, no clock.
import type { AlertPayload, MatchReasons, OutboundAlert } from '#domain/types.js';

/** SNS's limit for one publish: message, subject and every attribute's name, type and value together. */
export const SNS_MAX_PUBLISH_BYTES = 256 * 1024;
/** An email lists at most this many stories of a digest and says how many more there were. */
export const EMAIL_MAX_STORIES = 20;
const EMAIL_SUMMARY_CHARS = 2000;
const EMAIL_DIGEST_SUMMARY_CHARS = 300;
/** SNS refuses a Subject of 100 characters or more. */
const SUBJECT_MAX_CHARS = 99;
const SMS_PREFIX = 'newsalert: ';
/** One SMS segment: 160 characters of the GSM 03.38 alphabet, or 70 UCS-2 code units once any character is outside it. */
const SMS_GSM_CHARS = 160;
const SMS_UCS2_CHARS = 70;
/** Below this the title says too little to be worth a second SMS segment: the URL goes alone. */
const SMS_MIN_TITLE_CHARS = 12;

/** The match reasons in words (shared by Slack and email); topic codes read as their labels when the alert has them. */
export function reasonsLine(reasons: MatchReasons, topicLabels?: ReadonlyMap<string, string>): string {
  const parts = [
    ...reasons.topics.map((t) => `topic ${topicLabels?.get(t.code) ?? t.code} (${t.score.toFixed(2)})`),
    ...reasons.countries.map((c) => `${c.code} ${c.role} (${c.score.toFixed(2)})`),
    ...reasons.keywords.map((k) => `“${k}”`),
  ];
  return parts.length === 0 ? 'matched your subscription' : `matched: ${parts.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Email

/** Line breaks and control characters out (SNS refuses them in a Subject); invisible format characters dropped. */
function oneLine(text: string): string {
  return text.replace(/\p{Cf}/gu, '').replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
}

/** Clips to `limit` code units without splitting a surrogate pair, ending with an ellipsis when clipped. */
function clipText(text: string, limit: number, ellipsis = '…'): string {
  if (text.length <= limit) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > limit - ellipsis.length) break;
    out += char;
  }
  return `${out.trimEnd()}${ellipsis}`;
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  // Feeds' dates are normalised upstream; a value that still does not parse is shown as it came rather than dropped.
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function headlineOf(alert: AlertPayload | Pick<AlertPayload, 'type' | 'article'>): string {
  const title = oneLine(alert.article.title) || alert.article.url;
  return alert.type === 'story.updated' ? `Updated: ${title}` : title;
}

function storyCount(count: number): string {
  return `${count} ${count === 1 ? 'story' : 'stories'}`;
}

const DIGEST_REASONS: Record<Extract<OutboundAlert, { type: 'digest.created' }>['reason'], string> = {
  hourly: 'Your hourly digest',
  daily: 'Your daily digest',
  'quiet-hours': 'Held during your quiet hours',
  'rate-cap': 'Held back by your hourly alert limit',
};

/**
 * The email Subject: the headline (or the digest's story count), one line, short enough for SNS, and ASCII: SNS
 * refuses a subject with other characters, and a refused publish is a lost alert. Accents are folded; a headline
 * with nothing left (Chinese, Cyrillic...) gives a generic subject, the message carries the title.
 */
export function emailSubjectFor(alert: OutboundAlert): string {
  const subject = alert.type === 'digest.created' ? `newsalert: ${storyCount(alert.stories.length)} for you` : headlineOf(alert);
  const ascii = oneLine(
    subject
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/[‘’]/g, "'")
      .replace(/[“”]/g, '"')
      .replace(/[–—]/g, '-')
      .replace(/[^\x20-\x7E]+/g, ' '),
  );
  // A subject must begin with a letter, number or punctuation mark, and say something.
  if (!/[A-Za-z0-9]/.test(ascii)) return alert.type === 'story.updated' ? 'newsalert: story updated' : 'newsalert: new story';
  return clipText(ascii, SUBJECT_MAX_CHARS);
}

/** A plain-text email: headline, source and time, summary, link and why it matched. */
export function emailTextFor(alert: OutboundAlert): string {
  const lines: string[] = [];
  if (alert.type !== 'digest.created') {
    const { article } = alert;
    const labels = new Map(alert.classification.topics.map((t) => [t.code, t.label] as const));
    lines.push(headlineOf(alert), `${oneLine(article.sourceName)} · ${formatTime(article.publishedAt)}`, '');
    const summary = clipText(article.summary.trim(), EMAIL_SUMMARY_CHARS);
    if (summary !== '') lines.push(summary, '');
    lines.push(`Read it: ${article.url}`, '', `${capitalise(reasonsLine(alert.reasons, labels))}.`);
  } else {
    const count = alert.stories.length;
    lines.push(
      `${storyCount(count)} for you`,
      `${DIGEST_REASONS[alert.reason]}, ${formatTime(alert.period.start)} to ${formatTime(alert.period.end)}.`,
    );
    const shown = alert.stories.slice(0, EMAIL_MAX_STORIES);
    shown.forEach((story, index) => {
      const first = story.alerts[0];
      if (first === undefined) return;
      const { article } = first;
      const indent = ' '.repeat(`${index + 1}. `.length);
      lines.push('', `${index + 1}. ${headlineOf(first)}`, `${indent}${oneLine(article.sourceName)} · ${formatTime(article.publishedAt)}`);
      const summary = clipText(oneLine(article.summary), EMAIL_DIGEST_SUMMARY_CHARS);
      if (summary !== '') lines.push(`${indent}${summary}`);
      lines.push(`${indent}${article.url}`, `${indent}${capitalise(reasonsLine(first.reasons))}.`);
      const others = story.alerts.length - 1;
      if (others > 0) lines.push(`${indent}(+${others} more ${others === 1 ? 'article' : 'articles'} on this story)`);
    });
    if (count > shown.length) lines.push('', `and ${count - shown.length} more`);
  }
  // No newsalert unsubscribe link: the topic is shared, and the alert's link would stop the sns subscription that
  // published it for every reader. SNS ends each email with its own link, which unsubscribes this reader only.
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// SMS

// GSM 03.38: the basic set costs one character of a segment, the extension set two (escape + character).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('^{}\\[~]|€');
// Typography that would switch the whole SMS to UCS-2 (70 characters) for no gain in meaning.
const GSM_SUBSTITUTES: Record<string, string> = { '‘': "'", '’': "'", '‚': "'", '“': '"', '”': '"', '„': '"', '–': '-', '—': '-', '…': '...', '\u00a0': ' ' };

function isGsm(text: string): boolean {
  for (const char of text) if (!GSM_BASIC.has(char) && !GSM_EXTENSION.has(char)) return false;
  return true;
}

/** Each character as GSM 03.38 where a close one exists (curly quotes, dashes, accents GSM lacks), else unchanged. */
function foldToGsm(text: string): string {
  let out = '';
  for (const char of text) {
    if (GSM_BASIC.has(char) || GSM_EXTENSION.has(char)) out += char;
    else if (GSM_SUBSTITUTES[char] !== undefined) out += GSM_SUBSTITUTES[char];
    else {
      const bare = char.normalize('NFD').replace(/\p{M}/gu, '');
      out += bare !== '' && isGsm(bare) ? bare : char;
    }
  }
  return out;
}

/** How much of a segment `char` uses in the encoding the message will go in. */
function smsCost(char: string, gsm: boolean): number {
  return gsm ? (GSM_EXTENSION.has(char) ? 2 : 1) : char.length;
}

function smsLength(text: string, gsm: boolean): number {
  let length = 0;
  for (const char of text) length += smsCost(char, gsm);
  return length;
}

/** Clips at a word boundary where one is near, so the title stays readable. */
function clipSmsTitle(title: string, room: number, gsm: boolean): string {
  if (smsLength(title, gsm) <= room) return title;
  const ellipsis = gsm ? '...' : '…';
  const budget = room - smsLength(ellipsis, gsm);
  let out = '';
  let used = 0;
  for (const char of title) {
    const cost = smsCost(char, gsm);
    if (used + cost > budget) break;
    out += char;
    used += cost;
  }
  const space = out.lastIndexOf(' ');
  if (space >= out.length / 2) out = out.slice(0, space);
  return `${out.trimEnd()}${ellipsis}`;
}

/** One line that fits one SMS segment where possible: "newsalert: <title> <url>"; the URL is never cut. */
export function smsTextFor(alert: OutboundAlert): string {
  const first = alert.type === 'digest.created' ? alert.stories.find((s) => s.alerts.length > 0)?.alerts[0] : alert;
  if (first === undefined) return `${SMS_PREFIX}an empty digest`;
  const url = first.article.url;
  const headline = foldToGsm(headlineOf(first));
  const lead = alert.type === 'digest.created' ? `${storyCount(alert.stories.length)}: ${headline}` : headline;

  const gsm = isGsm(`${SMS_PREFIX}${lead} ${url}`);
  const room = (gsm ? SMS_GSM_CHARS : SMS_UCS2_CHARS) - smsLength(`${SMS_PREFIX} ${url}`, gsm);
  if (room >= SMS_MIN_TITLE_CHARS) return `${SMS_PREFIX}${clipSmsTitle(lead, room, gsm)} ${url}`;
  // No room for a title worth reading: the link alone, which also lets a non-GSM title's SMS fall back to 160 GSM
  // characters. A URL longer than a segment goes whole; SNS splits it over several.
  const bare = `${SMS_PREFIX}${url}`;
  return smsLength(bare, isGsm(bare)) <= (isGsm(bare) ? SMS_GSM_CHARS : SMS_UCS2_CHARS) ? bare : url;
}

// ---------------------------------------------------------------------------------------------------------------
// The Publish message

/** "json": the alert JSON for every protocol (the default); "per-protocol": text for email and SMS readers too. */
export type AlertsTopicMessageFormat = 'json' | 'per-protocol';

/** What PublishCommand takes for the message itself; attributes are the caller's. */
export interface SnsAlertMessage {
  Message: string;
  MessageStructure?: 'json';
  Subject: string;
}

interface SizedAttribute {
  DataType: string;
  StringValue?: string;
}

function attributeBytes(attributes: Record<string, SizedAttribute>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}

/**
 * The per-protocol message of an alert: `default` is exactly the alert JSON the other channels carry, so machine
 * readers (https, sqs, lambda, email-json) see what they always saw; `email` and `sms` are for people.
 *
 * The structured message holds the alert JSON escaped inside another JSON string plus the email text, so it is
 * larger than the alert alone. When it would pass SNS's 256 KiB (with `attributes` and the subject), the alert JSON
 * goes alone as a plain message: every protocol then gets the JSON, email and SMS readers included, which is worse
 * reading but loses nothing; an alert that big is a digest of many stories and a machine reader is its main audience.
 */
export function composeSnsAlertMessage(
  alert: OutboundAlert,
  attributes: Record<string, SizedAttribute> = {},
  format: AlertsTopicMessageFormat = 'json',
): SnsAlertMessage {
  const json = JSON.stringify(alert);
  const Subject = emailSubjectFor(alert);
  if (format === 'json') return { Message: json, Subject };
  const overhead = attributeBytes(attributes) + Buffer.byteLength(Subject);
  const structured = JSON.stringify({ default: json, email: emailTextFor(alert), sms: smsTextFor(alert) });
  if (Buffer.byteLength(structured) + overhead <= SNS_MAX_PUBLISH_BYTES) return { Message: structured, MessageStructure: 'json', Subject };
  return { Message: json, Subject };
}
