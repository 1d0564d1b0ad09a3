// A default catalogue of real public news feeds (`newsalert serve --catalogue`). Feed URLs are facts; several are
// listed in the awesome-rss-feeds OPML catalogue (CC0). Without network they fail with a precise reason in their
// health (`GET /feeds`), and nothing else is affected.

export interface CatalogueEntry {
  name: string;
  url: string;
  /** The publisher's country, ISO 3166-1 alpha-2. */
  country: string;
  language: string;
}

export const DEFAULT_CATALOGUE: CatalogueEntry[] = [
  { name: 'BBC News - World', url: 'https://feeds.bbci.co.uk/news/world/rss.xml', country: 'GB', language: 'en' },
  { name: 'The Guardian - World', url: 'https://www.theguardian.com/world/rss', country: 'GB', language: 'en' },
  { name: 'The New York Times - World', url: 'https://rss.nytimes.com/services/xml/rss/nyt/World.xml', country: 'US', language: 'en' },
  { name: 'The Washington Post - World', url: 'https://feeds.washingtonpost.com/rss/world', country: 'US', language: 'en' },
  { name: 'CNBC - World', url: 'https://www.cnbc.com/id/100727362/device/rss/rss.html', country: 'US', language: 'en' },
  { name: 'NDTV - World', url: 'https://feeds.feedburner.com/ndtvnews-world-news', country: 'IN', language: 'en' },
  { name: 'Times of India - World', url: 'https://timesofindia.indiatimes.com/rssfeeds/296589292.cms', country: 'IN', language: 'en' },
  { name: 'DER SPIEGEL - Schlagzeilen', url: 'https://www.spiegel.de/schlagzeilen/index.rss', country: 'DE', language: 'de' },
  { name: 'Le Monde - À la une', url: 'https://www.lemonde.fr/rss/une.xml', country: 'FR', language: 'fr' },
  { name: 'ABC News (Australia)', url: 'https://www.abc.net.au/news/feed/51120/rss.xml', country: 'AU', language: 'en' },
];
