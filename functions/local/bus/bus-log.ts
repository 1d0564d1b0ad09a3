// How the bus reports what a console would otherwise show: handler failures, dead-lettered and dropped messages,
// filtered notifications. The local runtime routes these to its logger; tests collect them.
import { NewsalertError } from '#domain/errors.js';

export type BusLogLevel = 'debug' | 'info' | 'warn' | 'error';

export type BusLogEvent =
  | 'handler-failed'
  | 'batch-response-invalid'
  | 'batch-partially-failed'
  | 'message-dead-lettered'
  | 'message-dropped'
  | 'notification-filtered'
  | 'notification-undeliverable'
  | 'stopped-in-flight'
  | 'store-write-failed';

export interface BusLogEntry {
  level: BusLogLevel;
  event: BusLogEvent;
  /** One line, human readable. */
  message: string;
  queue?: string;
  topic?: string;
  messageIds?: string[];
  error?: unknown;
}

export type BusLog = (entry: BusLogEntry) => void;

/** Misuse of the bus itself (consuming a queue twice, a drain that timed out, an unknown queue name). */
export class BusError extends NewsalertError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BusError';
  }
}

/** Quiet by default: only failures reach stderr, one line each, so a demo run stays readable. */
export const logToConsole: BusLog = (entry) => {
  if (entry.level !== 'warn' && entry.level !== 'error') return;
  const cause = entry.error instanceof Error ? `: ${entry.error.message}` : '';
  console.warn(`[bus] ${entry.message}${cause}`);
};

/** A log hook that throws must not stop a consumer loop. */
export function writeLog(log: BusLog, entry: BusLogEntry): void {
  try {
    log(entry);
  } catch (error: unknown) {
    console.error('[bus] log hook failed', error instanceof Error ? error.message : String(error));
  }
}
