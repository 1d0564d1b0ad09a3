// Hand-written English vocabulary for the 17 top-level IPTC Media Topics (labels as published by IPTC,
// NewsCodes MediaTopic 2023-10-24). Terms are matched on normalised tokens after a crude singular form, so
// "elections" finds "election". Tiers: strong terms name the topic almost alone; medium ones lean to it;
// weak ones only add to other evidence.

export const TOPIC_LABELS: Readonly<Record<string, string>> = {
  'medtop:01000000': 'arts, culture, entertainment and media',
  'medtop:02000000': 'crime, law and justice',
  'medtop:03000000': 'disaster, accident and emergency incident',
  'medtop:04000000': 'economy, business and finance',
  'medtop:05000000': 'education',
  'medtop:06000000': 'environment',
  'medtop:07000000': 'health',
  'medtop:08000000': 'human interest',
  'medtop:09000000': 'labour',
  'medtop:10000000': 'lifestyle and leisure',
  'medtop:11000000': 'politics',
  'medtop:12000000': 'religion',
  'medtop:13000000': 'science and technology',
  'medtop:14000000': 'society',
  'medtop:15000000': 'sport',
  'medtop:16000000': 'conflict, war and peace',
  'medtop:17000000': 'weather',
};

export const TIER_WEIGHT = { strong: 1, medium: 0.6, weak: 0.3 } as const;

export interface TopicTerms {
  strong: readonly string[];
  medium: readonly string[];
  weak: readonly string[];
}

export const TOPIC_TERMS: Readonly<Record<string, TopicTerms>> = {
  'medtop:11000000': {
    strong: [
      'election', 'parliament', 'parliamentary', 'lawmaker', 'legislature', 'senate', 'senator', 'congress',
      'congressional', 'prime minister', 'foreign minister', 'foreign secretary', 'presidential', 'diplomacy',
      'diplomatic', 'diplomat', 'summit', 'sanction', 'treaty', 'referendum', 'ballot', 'voter', 'opposition party',
      'coalition government', 'cabinet', 'ruling party', 'political', 'politics', 'politician', 'kremlin',
      'white house', 'downing street', 'embassy', 'ambassador', 'bilateral', 'state visit', 'foreign policy',
      'geopolitical', 'european union', 'united nations', 'security council', 'g7', 'g20', 'bundestag', 'knesset',
      'impeachment', 'head of state', 'secretary of state', 'state department', 'foreign ministry', 'electoral',
      'inauguration', 'envoy', 'chancellor', 'elysee', 'state duma', 'mp', 'legislation', 'constitutional',
    ],
    medium: [
      'president', 'minister', 'government', 'vote', 'campaign', 'opposition', 'coalition', 'governor', 'mayor',
      'premier', 'regime', 'constitution', 'talks', 'negotiation', 'alliance', 'ministry', 'poll', 'candidate',
      'democrat', 'republican', 'nato', 'bloc', 'veto', 'lawmakers', 'party leader', 'spokesman', 'spokeswoman',
      'sworn in', 'policy', 'sovereignty', 'ally', 'allies',
    ],
    weak: ['visit', 'ties', 'bill', 'official', 'meeting', 'partnership', 'relation', 'agreement', 'deal', 'reform', 'leader'],
  },
  'medtop:16000000': {
    strong: [
      'war', 'military', 'troop', 'soldier', 'airstrike', 'air strike', 'missile', 'drone strike', 'shelling',
      'invasion', 'ceasefire', 'cease fire', 'truce', 'peace talks', 'peace deal', 'armed conflict', 'insurgent',
      'militant', 'rebel', 'terrorist', 'terrorism', 'bombing', 'frontline', 'front line', 'occupation forces',
      'hostage', 'guerrilla', 'combat', 'warplane', 'artillery', 'genocide', 'war crime', 'coup',
      'annexation', 'mobilisation', 'mobilization', 'conscription', 'peacekeeper', 'peacekeeping', 'hamas',
      'hezbollah', 'taliban', 'isis', 'islamic state', 'houthi', 'al qaeda', 'counteroffensive', 'ammunition',
      'armed forces', 'air defence', 'air defense', 'drone attack',
    ],
    medium: [
      'army', 'attack', 'bomb', 'casualty', 'offensive', 'weapon', 'arms', 'navy', 'pentagon', 'defence ministry',
      'defense ministry', 'nato', 'tank', 'drone', 'invade', 'invaded', 'occupied', 'conflict', 'fighting',
      'fighter', 'clashes', 'militia', 'siege', 'shell', 'defence', 'defense', 'security forces', 'warship', 'battle',
    ],
    weak: ['killed', 'peace', 'security', 'border', 'strike', 'forces', 'refugee'],
  },
  'medtop:04000000': {
    strong: [
      'economy', 'economic', 'economist', 'gdp', 'inflation', 'interest rate', 'central bank', 'federal reserve',
      'ecb', 'stock market', 'shares', 'investor', 'earnings', 'revenue', 'profit', 'quarterly', 'ceo',
      'chief executive', 'merger', 'acquisition', 'takeover', 'ipo', 'bankruptcy', 'tariff', 'export', 'import',
      'oil price', 'bond', 'currency', 'bitcoin', 'cryptocurrency', 'banking', 'financial', 'finance', 'deficit',
      'recession', 'nasdaq', 'dow jones', 'ftse', 'wall street', 'supply chain', 'opec', 'stock exchange',
      'trade war', 'market share', 'dividend', 'valuation', 'shareholder', 'business',
    ],
    medium: [
      'market', 'stock', 'investment', 'company', 'companies', 'trade', 'price', 'dollar', 'bank', 'budget', 'debt',
      'tax', 'retail', 'sales', 'consumer', 'manufacturing', 'industry', 'startup', 'barrel', 'crypto', 'loan',
      'yen', 'yuan', 'euro', 'fiscal', 'subsidy', 'exporter', 'mortgage', 'billion',
    ],
    weak: ['firm', 'growth', 'million', 'loss', 'deal', 'cost', 'sector', 'brand', 'customer'],
  },
  'medtop:02000000': {
    strong: [
      'police', 'arrest', 'arrested', 'court', 'judge', 'trial', 'lawsuit', 'sued', 'prosecutor', 'prosecution',
      'indictment', 'indicted', 'guilty', 'convicted', 'sentenced', 'prison', 'jail', 'murder', 'homicide',
      'robbery', 'theft', 'fraud', 'corruption', 'bribery', 'crime', 'criminal', 'supreme court', 'verdict',
      'smuggling', 'trafficking', 'cartel', 'stabbing', 'kidnapping', 'money laundering', 'extradition',
      'law enforcement', 'fbi', 'interpol', 'defendant', 'acquitted', 'plea', 'detained', 'custody',
    ],
    medium: [
      'charged', 'charge', 'suspect', 'investigation', 'detective', 'lawyer', 'attorney', 'appeal', 'gang',
      'shooting', 'legal', 'justice', 'illegal', 'offence', 'offense', 'victim', 'probe', 'allegation', 'alleged',
    ],
    weak: ['law', 'ruling', 'sentence', 'case', 'accused'],
  },
  'medtop:03000000': {
    strong: [
      'earthquake', 'quake', 'tsunami', 'flood', 'flooding', 'hurricane', 'typhoon', 'cyclone', 'tornado',
      'wildfire', 'bushfire', 'landslide', 'volcano', 'eruption', 'famine', 'disaster', 'catastrophe',
      'plane crash', 'derailment', 'derailed', 'explosion', 'firefighter', 'rescuer', 'evacuation', 'evacuated',
      'death toll', 'survivor', 'accident', 'shipwreck', 'capsized', 'avalanche', 'emergency services',
      'red cross', 'search and rescue', 'magnitude',
    ],
    medium: ['crash', 'collision', 'blast', 'fire', 'rescue', 'emergency', 'injured', 'collapse', 'collapsed', 'drought'],
    weak: ['killed', 'dead', 'victim', 'damage', 'destroyed', 'missing'],
  },
  'medtop:13000000': {
    strong: [
      'science', 'scientific', 'scientist', 'researcher', 'technology', 'artificial intelligence', 'ai',
      'machine learning', 'software', 'cyberattack', 'cyber attack', 'hacker', 'hacking', 'smartphone', 'iphone',
      'semiconductor', 'computing', 'quantum', 'robot', 'robotics', 'nasa', 'rocket', 'satellite', 'spacex',
      'astronaut', 'telescope', 'physics', 'chemistry', 'genome', 'dna', 'laboratory', 'algorithm', 'openai',
      'chatbot', 'nvidia', 'microsoft', 'google', 'blockchain', '5g', 'space agency', 'spacecraft',
    ],
    medium: [
      'research', 'tech', 'internet', 'cyber', 'chip', 'computer', 'space', 'innovation', 'biology',
      'digital', 'online', 'engineer', 'engineering', 'study', 'experiment', 'discovery',
    ],
    weak: ['app', 'device', 'platform', 'launch', 'data'],
  },
  'medtop:07000000': {
    strong: [
      'health', 'healthcare', 'hospital', 'patient', 'disease', 'virus', 'outbreak', 'pandemic', 'epidemic',
      'vaccine', 'vaccination', 'covid', 'coronavirus', 'cancer', 'diabetes', 'medical', 'medicine',
      'clinical trial', 'world health organization', 'infection', 'mental health', 'obesity', 'surgery',
      'public health', 'measles', 'malaria', 'ebola', 'cholera', 'hiv', 'influenza', 'mpox', 'pharmaceutical',
      'pharma', 'fda', 'nhs', 'dementia', 'alzheimer', 'symptom',
    ],
    medium: ['doctor', 'nurse', 'drug', 'treatment', 'flu', 'illness', 'therapy', 'clinic', 'diagnosis', 'dose'],
    weak: ['care', 'risk', 'study'],
  },
  'medtop:01000000': {
    strong: [
      'film', 'movie', 'cinema', 'actor', 'actress', 'music', 'album', 'song', 'singer', 'concert', 'artist',
      'exhibition', 'museum', 'gallery', 'theatre', 'theater', 'novel', 'literature', 'television', 'netflix',
      'hollywood', 'oscar', 'grammy', 'box office', 'journalism', 'journalist', 'newspaper', 'broadcaster',
      'opera', 'ballet', 'poet', 'poetry', 'premiere', 'documentary', 'bestseller', 'rapper', 'pop star',
    ],
    medium: [
      'festival', 'art', 'book', 'author', 'tv', 'media', 'streaming', 'culture', 'cultural', 'heritage', 'dance',
      'celebrity', 'band', 'press freedom', 'publisher', 'comedy',
    ],
    weak: ['series', 'award', 'director', 'star', 'fan', 'show'],
  },
  'medtop:06000000': {
    strong: [
      'climate change', 'global warming', 'emission', 'greenhouse gas', 'pollution', 'environmental',
      'environment', 'biodiversity', 'deforestation', 'conservation', 'wildlife', 'endangered', 'renewable energy',
      'renewable', 'fossil fuel', 'net zero', 'cop28', 'cop29', 'cop30', 'sustainability', 'recycling',
      'glacier', 'ice sheet', 'extinction', 'ecosystem', 'national park', 'environmentalist', 'greenpeace',
      'carbon dioxide', 'climate crisis',
    ],
    medium: ['climate', 'carbon', 'solar', 'wind power', 'coal', 'sustainable', 'plastic', 'ocean', 'species', 'habitat'],
    weak: ['drought', 'energy', 'forest', 'water'],
  },
  'medtop:05000000': {
    strong: [
      'education', 'educational', 'student', 'teacher', 'university', 'universities', 'college', 'campus',
      'classroom', 'pupil', 'curriculum', 'tuition', 'scholarship', 'kindergarten', 'literacy', 'higher education',
      'school',
    ],
    medium: ['exam', 'academic', 'graduate', 'professor', 'lecture', 'degree'],
    weak: ['learning', 'class'],
  },
  'medtop:09000000': {
    strong: [
      'trade union', 'labour', 'labor', 'wage', 'minimum wage', 'unemployment', 'jobless', 'layoff', 'laid off',
      'walkout', 'collective bargaining', 'workforce', 'payroll', 'working conditions', 'industrial action',
      'labour market', 'labor market', 'strikers',
    ],
    medium: ['worker', 'union', 'strike', 'employment', 'job', 'employee', 'employer', 'pension', 'retirement', 'hiring'],
    weak: ['staff', 'salary', 'work'],
  },
  'medtop:10000000': {
    strong: [
      'tourism', 'tourist', 'vacation', 'restaurant', 'recipe', 'fashion', 'hobby', 'leisure', 'fitness',
      'wellness', 'lifestyle', 'gardening', 'cuisine', 'chef', 'cruise', 'video game', 'gaming',
    ],
    medium: ['travel', 'holiday', 'food', 'cooking', 'shopping', 'wine', 'beer', 'hotel', 'dating', 'diet'],
    weak: ['game', 'trip', 'fun'],
  },
  'medtop:12000000': {
    strong: [
      'religion', 'religious', 'church', 'pope', 'catholic', 'christian', 'muslim', 'islam', 'mosque', 'jewish',
      'judaism', 'synagogue', 'hindu', 'buddhist', 'bishop', 'archbishop', 'priest', 'imam', 'rabbi', 'worship',
      'pilgrim', 'pilgrimage', 'ramadan', 'hajj', 'sermon', 'clergy', 'theology', 'evangelical', 'vatican',
    ],
    medium: ['faith', 'temple', 'easter', 'eid', 'holy', 'prayer', 'saint'],
    weak: ['christmas', 'islamic', 'god'],
  },
  'medtop:14000000': {
    strong: [
      'poverty', 'homeless', 'homelessness', 'inequality', 'discrimination', 'racism', 'human rights',
      'civil rights', 'lgbt', 'lgbtq', 'same sex marriage', 'immigration', 'immigrant', 'migrant', 'migration',
      'asylum', 'welfare', 'protester', 'demonstrator', 'activist', 'charity', 'census', 'abortion', 'disability',
      'gender equality', 'social welfare', 'social security', 'refugee',
    ],
    medium: [
      'society', 'social', 'community', 'communities', 'protest', 'demonstration', 'population', 'housing',
      'minority', 'minorities', 'diversity', 'volunteer', 'elderly', 'rights',
    ],
    weak: ['family', 'families', 'children', 'women', 'youth', 'people'],
  },
  'medtop:15000000': {
    strong: [
      'sport', 'football', 'soccer', 'basketball', 'baseball', 'tennis', 'cricket', 'rugby', 'golf', 'hockey',
      'olympics', 'olympic', 'world cup', 'championship', 'tournament', 'premier league', 'nba', 'nfl', 'fifa',
      'uefa', 'coach', 'scored', 'striker', 'midfielder', 'stadium', 'semifinal', 'semi final', 'quarterfinal',
      'quarter final', 'medal', 'athlete', 'marathon', 'formula one', 'grand prix', 'boxing', 'ufc', 'cycling',
      'tour de france', 'wimbledon', 'super bowl', 'champions league', 'goalkeeper', 'playoff', 'grand slam',
    ],
    medium: ['match', 'team', 'player', 'goal', 'league', 'champion', 'cup', 'squad', 'club'],
    weak: ['game', 'season', 'final', 'win', 'victory', 'defeat', 'transfer', 'title', 'race'],
  },
  'medtop:17000000': {
    strong: [
      'weather', 'forecast', 'forecaster', 'heatwave', 'heat wave', 'rainfall', 'snowfall', 'blizzard',
      'meteorological', 'met office', 'meteorologist', 'thunderstorm', 'celsius', 'fahrenheit',
      'national weather service', 'monsoon', 'cold snap', 'heavy rain',
    ],
    medium: ['temperature', 'storm', 'rain', 'snow', 'frost', 'humidity', 'hail', 'fog', 'gust', 'wind'],
    weak: ['sunny', 'cloudy', 'cold', 'hot', 'warm'],
  },
  'medtop:08000000': {
    strong: [
      'human interest', 'heartwarming', 'centenarian', 'royal family', 'guinness world record', 'lottery',
      'jackpot', 'reunited', 'quirky',
    ],
    medium: ['pet', 'dog', 'cat', 'zoo', 'birthday', 'anniversary', 'wedding', 'viral', 'oldest', 'twins'],
    weak: ['baby', 'animal', 'love'],
  },
};
