// Lambda configuration, read once at cold start, typed, failing fast with the names of what is missing.
import { z } from 'zod';

const EnvSchema = z.object({
  FEEDS_TABLE: z.string().min(1).optional(),
  ARTICLES_TABLE: z.string().min(1).optional(),
  SUBSCRIPTIONS_TABLE: z.string().min(1).optional(),
  DELIVERIES_TABLE: z.string().min(1).optional(),
  POLL_QUEUE_URL: z.string().url().optional(),
  DELIVERY_QUEUE_URL: z.string().url().optional(),
  ARTICLES_TOPIC_ARN: z.string().startsWith('arn:').optional(),
  ALERTS_TOPIC_ARN: z.string().startsWith('arn:').optional(),
  ARTICLE_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
});

export type Env = z.infer<typeof EnvSchema>;
type RequiredKey = Exclude<keyof Env, 'ARTICLE_RETENTION_DAYS'>;

/** Reads and checks the variables `required`; throws one error naming every missing or malformed one. */
export function readEnv<K extends RequiredKey>(
  required: readonly K[],
  source: NodeJS.ProcessEnv = process.env,
): Env & Required<Pick<Env, K>> {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid Lambda environment: ${details}`);
  }
  const missing = required.filter((key) => parsed.data[key] === undefined);
  if (missing.length > 0) throw new Error(`Missing Lambda environment variables: ${missing.join(', ')}`);
  return parsed.data as Env & Required<Pick<Env, K>>;
}
