import { FeedError, ValidationError } from '#domain/errors.js';
import type { ApiDeps } from './deps.js';

/** Refuses a user-supplied URL that the SSRF guard blocks, naming the field. */
export async function checkUrl(deps: Pick<ApiDeps, 'assertUrlAllowed'>, url: string, field: string): Promise<void> {
  try {
    await deps.assertUrlAllowed(url);
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    // A name that does not resolve now is not a security problem (the guard runs again on every connection);
    // the feed's health or the delivery log will say so. A blocked or malformed address is refused here.
    if (error.reason !== 'dns') {
      throw new ValidationError('URL not allowed', [{ path: field, message: `${error.reason}: ${error.message}` }]);
    }
  }
}
