// Powertools Logger, one per function, created at module scope by each entry (never per invocation).
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

/**
 * Keys whose values never reach a log line, compared without case, `-` or `_` (so `x-api-key`, `X_API_KEY` and
 * `xApiKey` are one key): webhook secrets, API keys, signatures, credentials and cookies.
 */
const REDACTED_KEYS = new Set(
  [
    'secret',
    'webhookSecret',
    'clientSecret',
    'authorization',
    'x-api-key',
    'apiKey',
    'apiKeyHash',
    'webhook-signature',
    'signature',
    'password',
    'token',
    'accessToken',
    'sessionToken',
    'x-amz-security-token',
    'cookie',
    'set-cookie',
  ].map(normaliseKey),
);

/**
 * Secrets that can hide inside any string (an error message, a URL, a header dump): Standard Webhooks secrets,
 * bearer tokens, and credentials passed as query parameters.
 */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/whsec_[A-Za-z0-9+/=_-]+/g, 'whsec_[redacted]'],
  // API keys are "na_<id>_<secret>": the id may be logged, the secret never.
  [/\b(na_[A-Za-z0-9]+_)[A-Za-z0-9_-]+/g, '$1[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/([?&](?:api[-_]?key|key|token|access[-_]?token|signature|secret|X-Amz-Signature|X-Amz-Security-Token)=)[^&#\s"]+/gi, '$1[redacted]'],
];

export const REDACTED = '[redacted]';

function normaliseKey(key: string): string {
  return key.replaceAll(/[-_]/g, '').toLowerCase();
}

/** The replacer every logger applies to every value it serialises (exported for tests). */
export function redactSecrets(key: string, value: unknown): unknown {
  if (key !== '' && REDACTED_KEYS.has(normaliseKey(key)) && value !== undefined && value !== null) return REDACTED;
  if (typeof value !== 'string') return value;
  let redacted = value;
  for (const [pattern, replacement] of SECRET_PATTERNS) redacted = redacted.replace(pattern, replacement);
  return redacted;
}

export function createLogger(serviceName: string, logLevel?: LogLevel): Logger {
  return new Logger({
    serviceName,
    ...(logLevel ? { logLevel } : {}),
    // Secrets must never be logged, whatever object a caller passes in.
    jsonReplacerFn: redactSecrets,
  });
}

export type { Logger };
