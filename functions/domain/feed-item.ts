// What the feed parser hands to the domain: the parts of an RSS/Atom/RDF item we use, independent of the parser
// library. Values are as found in the feed (HTML kept, dates unparsed); toArticle normalises them.

export interface FeedItem {
  guid?: string;
  link?: string;
  title?: string;
  summaryHtml?: string;
  contentHtml?: string;
  /** The date as written: RFC 822 for RSS, ISO 8601 for Atom and dc:date. */
  published?: string;
  author?: string;
  categories?: string[];
  imageUrl?: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'unknown';
  title?: string;
  link?: string;
  language?: string;
  items: FeedItem[];
}
