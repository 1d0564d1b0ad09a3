// Powertools Logger, one per function, created at module scope by each entry (never per invocation).
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';

/** Keys whose values must never reach a log line (webhook secrets, API keys, signatures). */
const REDACTED_KEYS = new Set(['secret', 'authorization', 'x-api-key', 'webhook-signature', 'apiKey']);

export function createLogger(serviceName: string, logLevel?: LogLevel): Logger {
  return new Logger({
    serviceName,
    ...(logLevel ? { logLevel } : {}),
    // Secrets must never be logged, whatever object a caller passes in.
    jsonReplacerFn: (key: string, value: unknown) => (REDACTED_KEYS.has(key) ? '[redacted]' : value),
  });
}

export type { Logger };
