// The built-in demo: three small feeds of news-like items written for this project (in its own words), and a few
// subscriptions that should and should not match them. Article links point at a reserved domain (.invalid), so
// their ids stay the same whatever port the local runtime serves the feeds on.

export interface DemoItem {
  slug: string;
  title: string;
  summary: string;
  /** How long before the runtime started the item was "published". */
  minutesAgo: number;
}

export interface DemoFeed {
  feedId: string;
  path: string;
  format: 'rss' | 'atom';
  title: string;
  language: string;
  sourceCountry: string;
  items: DemoItem[];
}

export interface DemoSubscription {
  subscriptionId: string;
  name: string;
  topics: string[];
  countries: string[];
  keywords: string[];
}

export const DEMO_ARTICLE_BASE = 'https://demo.newsalert.invalid/';

export const DEMO_FEEDS: DemoFeed[] = [
  {
    feedId: 'demo-world',
    path: '/demo/feeds/world.xml',
    format: 'rss',
    title: 'Demo World Wire',
    language: 'en',
    sourceCountry: 'GB',
    items: [
      {
        slug: 'world/putin-china-visit',
        title: "Russia's Putin plans to visit China in May",
        summary:
          'MOSCOW - President Vladimir Putin intends to travel to Beijing in May for talks with Xi Jinping, the Kremlin said on Tuesday. ' +
          'The trip follows months of diplomacy between Moscow and Beijing over the war in Ukraine, which Washington and its NATO allies are watching closely.',
        minutesAgo: 12,
      },
      {
        slug: 'world/brazil-argentina-border-trade',
        title: 'Brazil and Argentina agree to ease border trade',
        summary:
          'The presidents of Brazil and Argentina signed an agreement in Brasilia to cut customs checks at their shared border, ' +
          'a step officials said would speed up trade in grain, cars and machinery.',
        minutesAgo: 40,
      },
      {
        slug: 'world/bangladesh-flooding',
        title: 'Flooding forces thousands from their homes in Bangladesh',
        summary:
          'Heavy monsoon rain has flooded large parts of northern Bangladesh, and rescue teams are evacuating families from villages near the Brahmaputra river, the disaster management ministry in Dhaka said.',
        minutesAgo: 65,
      },
      {
        slug: 'world/japan-defence-budget',
        title: 'Japanese parliament approves record defence budget',
        summary:
          "Lawmakers in Tokyo passed the government's budget, which raises military spending for the fifth year in a row. The opposition voted against the bill.",
        minutesAgo: 90,
      },
    ],
  },
  {
    feedId: 'demo-business',
    path: '/demo/feeds/business.atom',
    format: 'atom',
    title: 'Demo Business Daily',
    language: 'en',
    sourceCountry: 'US',
    items: [
      {
        slug: 'business/german-factory-orders',
        title: 'German factory orders fall for a third month',
        summary:
          'Orders at factories in Germany dropped again in March as demand for machinery from abroad weakened, the statistics office in Berlin reported. Economists had expected a small rise.',
        minutesAgo: 25,
      },
      {
        slug: 'business/oil-prices-opec',
        title: 'Oil prices climb after producers agree to cut output',
        summary:
          'Crude oil prices rose on Monday after Saudi Arabia and other OPEC members said they would pump less from June, lifting shares of energy companies on stock markets.',
        minutesAgo: 55,
      },
      {
        slug: 'business/indian-tech-hiring',
        title: 'Indian software firms step up hiring of engineers',
        summary:
          'Large technology companies in Bangalore and Hyderabad plan to hire more software engineers this year as clients increase spending on cloud computing and artificial intelligence.',
        minutesAgo: 120,
      },
    ],
  },
  {
    feedId: 'demo-sport',
    path: '/demo/feeds/sport.xml',
    format: 'rss',
    title: 'Demo Sports Desk',
    language: 'en',
    sourceCountry: 'AU',
    items: [
      {
        slug: 'sport/kenyan-marathon-record',
        title: 'Kenyan runner breaks the Berlin marathon record',
        summary:
          'A Kenyan athlete won the Berlin marathon in a course record time on Sunday, finishing more than a minute ahead of the defending champion in the race.',
        minutesAgo: 30,
      },
      {
        slug: 'sport/france-italy-rugby',
        title: 'France beat Italy in a Six Nations rugby thriller',
        summary:
          'France scored a late try to beat Italy 27-24 in Paris, keeping their hopes of winning the championship alive before the final match of the tournament.',
        minutesAgo: 75,
      },
    ],
  },
];

export const DEMO_SUBSCRIPTIONS: DemoSubscription[] = [
  { subscriptionId: 'demo-russia', name: 'Russia', topics: [], countries: ['RU'], keywords: [] },
  { subscriptionId: 'demo-china', name: 'China', topics: [], countries: ['CN'], keywords: [] },
  { subscriptionId: 'demo-diplomacy', name: 'Diplomacy', topics: [], countries: [], keywords: ['diplomacy'] },
  { subscriptionId: 'demo-kenya-sport', name: 'Sport in Kenya', topics: ['medtop:15000000'], countries: ['KE'], keywords: [] },
  { subscriptionId: 'demo-new-zealand', name: 'New Zealand', topics: [], countries: ['NZ'], keywords: [] },
];

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** Renders a demo feed with dates relative to `epoch` (the runtime's first start), so they look fresh. */
export function renderDemoFeed(feed: DemoFeed, origin: string, epoch: Date): string {
  const dated = feed.items.map((item) => ({
    ...item,
    url: DEMO_ARTICLE_BASE + item.slug,
    date: new Date(epoch.getTime() - item.minutesAgo * 60_000),
  }));
  if (feed.format === 'atom') {
    const entries = dated
      .map(
        (item) => `  <entry>
    <id>${escapeXml(item.url)}</id>
    <title>${escapeXml(item.title)}</title>
    <link href="${escapeXml(item.url)}"/>
    <updated>${item.date.toISOString()}</updated>
    <summary>${escapeXml(item.summary)}</summary>
  </entry>`,
      )
      .join('\n');
    return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${feed.language}">
  <title>${escapeXml(feed.title)}</title>
  <id>${escapeXml(origin + feed.path)}</id>
  <link href="${escapeXml(DEMO_ARTICLE_BASE)}"/>
  <updated>${epoch.toISOString()}</updated>
${entries}
</feed>
`;
  }
  const items = dated
    .map(
      (item) => `    <item>
      <title>${escapeXml(item.title)}</title>
      <link>${escapeXml(item.url)}</link>
      <guid isPermaLink="true">${escapeXml(item.url)}</guid>
      <pubDate>${item.date.toUTCString()}</pubDate>
      <description>${escapeXml(item.summary)}</description>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>${escapeXml(feed.title)}</title>
    <link>${escapeXml(DEMO_ARTICLE_BASE)}</link>
    <description>Sample news written for the newsalert demo.</description>
    <language>${feed.language}</language>
${items}
  </channel>
</rss>
`;
}
