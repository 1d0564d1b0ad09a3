// Lambda entry: wiring only. Logic lives in functions/handlers/websub.ts. Renews WebSub leases before they lapse
// and retries subscriptions hubs never verified; runs on its own schedule. Without API_BASE_URL it does nothing.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { createWebSubConfig } from '#adapters/websub-hub-client.js';
import { renewDueWebSubLeases } from '#handlers/websub.js';
import { createDocumentClient, systemClock } from '#shared/clients.js';
import { readEnv } from '#shared/env.js';
import { createLogger } from '#shared/logger.js';
import { withObservability } from '#shared/middleware.js';

const env = readEnv(['FEEDS_TABLE']);
const doc = createDocumentClient();
const logger = createLogger('websub-renewer');
const deps = {
  feeds: new DynamoFeedRepository(doc, env.FEEDS_TABLE),
  clock: systemClock,
  logger,
  randomBytes: (size: number) => randomBytes(size),
  ...(env.API_BASE_URL !== undefined ? { websub: createWebSubConfig(env.API_BASE_URL, { allowLoopback: false }) } : {}),
};

export const handler = withObservability(logger, async (_event: ScheduledEvent, _context: Context) => renewDueWebSubLeases(deps));
