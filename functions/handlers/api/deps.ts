import type { PipelineDeps } from '../deps.js';

export type ApiDeps = Pick<
  PipelineDeps,
  'feeds' | 'subscriptions' | 'deliveries' | 'articles' | 'assertUrlAllowed' | 'clock' | 'newId' | 'randomBytes' | 'logger'
>;
