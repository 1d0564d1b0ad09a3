// The articles topic in memory: keeps what was published, in order. `newsalert inspect`, the ingest benchmark and
// handler tests read what the ingest core announced from it.
import type { ArticleEventPublisher } from '#domain/ports.js';
import type { ArticleEvent } from '#domain/types.js';

export class MemoryArticleEvents implements ArticleEventPublisher {
  readonly published: ArticleEvent[] = [];

  async publish(event: ArticleEvent): Promise<void> {
    this.published.push(event);
  }
}
