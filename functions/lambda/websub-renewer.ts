// Lambda entry: wiring only. Renews WebSub leases before they lapse and retries subscriptions hubs never verified;
// runs on its own schedule. The subscriber side only (functions/handlers/websub-subscriber.ts): no feed parser.
import { awsFunction } from '#compose/aws.js';
import { FUNCTION_RESOURCES } from '#compose/resources.js';
import { composeWebSubRenewer } from '#compose/websub-renewer.js';
import { createWebSubRenewerHandler } from '#handlers/websub-subscriber.js';

// Top-level await: the tracer loads during the init phase, and only in Lambda with tracing on.
const aws = await awsFunction('websub-renewer', FUNCTION_RESOURCES['websub-renewer']);

export const handler = createWebSubRenewerHandler(composeWebSubRenewer(aws.platform, aws.observability));
