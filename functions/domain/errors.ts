// One error hierarchy for the domain. Adapters translate SDK and network errors into these.

export class NewsalertError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NewsalertError';
  }
}

/** Input that a caller must fix: maps to HTTP 400 / a CLI message, never retried. */
export class ValidationError extends NewsalertError {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends NewsalertError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends NewsalertError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConflictError';
  }
}

/** A feed could not be fetched or parsed. `reason` is a stable category for health, metrics and the CLI. */
export class FeedError extends NewsalertError {
  constructor(
    readonly reason: string,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number; httpStatus?: number },
  ) {
    super(message, options);
    this.name = 'FeedError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.httpStatus = options?.httpStatus;
  }
  readonly retryAfterSeconds: number | undefined;
  readonly httpStatus: number | undefined;
}

/** An alert could not be delivered. `permanent` = retrying cannot help (e.g. 4xx other than 408/429). */
export class DeliveryError extends NewsalertError {
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown; httpStatus?: number; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
    this.httpStatus = options?.httpStatus;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  readonly httpStatus: number | undefined;
  /** The receiver's Retry-After (429, 503), in seconds. */
  readonly retryAfterSeconds: number | undefined;
}
