// The ingest core's dependencies, composed once for both functions that ingest (the poller and the WebSub
// callback): the same article store, story index, classifier and articles topic with its IPTC ancestors, so a
// pushed article joins the story of a polled one and carries the same topics attribute.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TopicArticleEventPublisher, type MessageTopic } from '#adapters/aws-messaging.js';
// The classifier, with the reader of its model and gazetteer files (installed on import, read on first use).
import { classify } from '#adapters/classifier.js';
import { DynamoArticleRepository } from '#adapters/dynamo/articles-repository.js';
import { DynamoStoryIndex } from '#adapters/dynamo/stories-repository.js';
import { topicParentOf } from '#domain/topic-tree.js';
import type { PipelineSettings } from '#handlers/deps.js';
import type { IngestDeps } from '#handlers/ingest.js';

export interface IngestParts {
  doc: DynamoDBDocumentClient;
  articlesTable: string;
  ingestTable: string;
  articlesTopic: MessageTopic;
  settings: PipelineSettings;
}

export function composeIngest(parts: IngestParts): IngestDeps {
  return {
    articles: new DynamoArticleRepository(parts.doc, parts.articlesTable),
    stories: new DynamoStoryIndex(parts.doc, parts.ingestTable),
    articleEvents: new TopicArticleEventPublisher(parts.articlesTopic, topicParentOf),
    classify,
    settings: parts.settings,
  };
}
