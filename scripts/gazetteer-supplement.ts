// Hand-written supplement of the multilingual gazetteer: what CLDR and the country packages lack. Adjectives and
// demonyms of the countries that make most news, seats of government used as metonyms, short forms and
// abbreviations (РФ, КНР, 俄, 米), and capitals that are not time-zone cities in CLDR (Beijing, Washington, Ankara,
// New Delhi, ...). Written from general knowledge of each language, not from any test item. Base forms only for
// inflected languages (the inflection rules find "России", "Polsce"); Romance adjectives list their gender and number
// forms. One line per country: `CODE kind: alias, alias`, kinds as in gazetteer.ts (a: adjective, matched in lower
// case too).

export const LANGUAGE_SUPPLEMENT: Readonly<Record<string, string>> = {
  de: `
RU m: Putin, Wladimir Putin, Lawrow | UA m: Selenskyj | CN m: Xi Jinping | TR m: Erdoğan
RU a: russisch | RU d: Russe, Russin, Russen | RU m: Kreml | RU c: Moskau
UA a: ukrainisch | UA d: Ukrainer, Ukrainerin | UA c: Kiew, Kyjiw
CN a: chinesisch | CN d: Chinese, Chinesin | CN c: Peking | CN n: Volksrepublik
US a: amerikanisch, US-amerikanisch | US d: Amerikaner, Amerikanerin | US m: Weißes Haus, Weiße Haus, Pentagon | US c: Washington | US n: USA, Vereinigte Staaten
GB a: britisch, englisch | GB d: Brite, Britin, Briten | GB n: Großbritannien, England, Schottland
FR a: französisch | FR d: Franzose, Französin, Franzosen | FR m: Élysée, Elysée-Palast
DE a: deutsch | DE d: Deutsche, Deutschen | DE m: Bundestag, Kanzleramt, Bundesregierung | DE n: Bundesrepublik
IT a: italienisch | IT d: Italiener | ES a: spanisch | ES d: Spanier | PL a: polnisch | PL d: Pole, Polen
TR a: türkisch | TR d: Türke, Türken | TR c: Ankara | IL a: israelisch | IL d: Israeli | IR a: iranisch | IR d: Iraner
JP a: japanisch | JP d: Japaner | IN a: indisch | IN d: Inder | IN c: Neu-Delhi | BR a: brasilianisch | BR d: Brasilianer
AT a: österreichisch | AT d: Österreicher | CH a: schweizerisch | CH d: Schweizer | NL a: niederländisch | NL d: Niederländer
KR a: südkoreanisch | KP a: nordkoreanisch | SY a: syrisch | SA a: saudisch | EG a: ägyptisch | GR a: griechisch | HU a: ungarisch
`,
  fr: `
RU m: Poutine, Vladimir Poutine, Lavrov | UA m: Zelensky, Volodymyr Zelensky | CN m: Xi Jinping | FR m: Macron
RU a: russe, russes | RU d: Russe, Russes | RU m: Kremlin | RU c: Moscou
UA a: ukrainien, ukrainienne, ukrainiens, ukrainiennes | UA d: Ukrainien, Ukrainiens
CN a: chinois, chinoise, chinoises | CN d: Chinois | CN c: Pékin
US a: américain, américaine, américains, américaines | US d: Américain, Américains | US m: Maison Blanche, Maison-Blanche | US n: États-Unis, USA
GB a: britannique, britanniques, anglais, anglaise | GB d: Britannique, Britanniques | GB n: Royaume-Uni, Grande-Bretagne, Angleterre
FR a: français, française, françaises | FR d: Français, Française | FR m: Élysée, Matignon, Quai d'Orsay
DE a: allemand, allemande, allemands, allemandes | DE d: Allemand, Allemands | IT a: italien, italienne, italiens, italiennes
ES a: espagnol, espagnole, espagnols | MA a: marocain, marocaine, marocains, marocaines | MA d: Marocain, Marocains
DZ a: algérien, algérienne, algériens | DZ d: Algérien, Algériens | SN a: sénégalais, sénégalaise | SN d: Sénégalais
TN a: tunisien, tunisienne | ML a: malien, malienne | IL a: israélien, israélienne, israéliens | IR a: iranien, iranienne, iraniens
TR a: turc, turque, turcs | TR c: Ankara | JP a: japonais, japonaise | IN a: indien, indienne | IN c: New Delhi
BE a: belge, belges | CH a: suisse, suisses | CA a: canadien, canadienne, canadiens | CA d: Québécois
`,
  es: `
RU m: Putin, Vladímir Putin | UA m: Zelenski | CN m: Xi Jinping
RU a: ruso, rusa, rusos, rusas | RU m: Kremlin | RU c: Moscú
UA a: ucraniano, ucraniana, ucranianos, ucranianas | UA c: Kiev
CN a: chino, china, chinos, chinas | CN c: Pekín
US a: estadounidense, estadounidenses, norteamericano, norteamericana | US m: Casa Blanca | US n: EE.UU., EEUU, Estados Unidos
GB a: británico, británica, británicos | GB n: Reino Unido, Gran Bretaña, Inglaterra
FR a: francés, francesa, franceses | DE a: alemán, alemana, alemanes | IT a: italiano, italiana, italianos
ES a: español, española, españoles | ES m: Moncloa | MX a: mexicano, mexicana, mexicanos | AR a: argentino, argentina, argentinos
CO a: colombiano, colombiana, colombianos | CL a: chileno, chilena, chilenos | VE a: venezolano, venezolana, venezolanos
PE a: peruano, peruana | CU a: cubano, cubana | BR a: brasileño, brasileña, brasileños | IL a: israelí, israelíes | IR a: iraní, iraníes
`,
  it: `
RU m: Putin | UA m: Zelensky | IT m: Meloni, Giorgia Meloni
RU a: russo, russa, russi, russe | RU m: Cremlino | RU c: Mosca
UA a: ucraino, ucraina, ucraini | CN a: cinese, cinesi | CN c: Pechino
US a: americano, americana, americani, statunitense, statunitensi | US m: Casa Bianca | US n: Stati Uniti, USA
GB a: britannico, britannica, britannici, inglese | GB n: Regno Unito, Gran Bretagna, Inghilterra
FR a: francese, francesi | DE a: tedesco, tedesca, tedeschi | IT a: italiano, italiana, italiani | IT m: Palazzo Chigi, Quirinale
ES a: spagnolo, spagnola, spagnoli | IL a: israeliano, israeliana, israeliani | IR a: iraniano, iraniana | TR a: turco, turca, turchi
`,
  pt: `
RU m: Putin | UA m: Zelensky | BR m: Lula
RU a: russo, russa, russos, russas | RU m: Kremlin | RU c: Moscou, Moscovo
UA a: ucraniano, ucraniana, ucranianos | CN a: chinês, chinesa, chineses | CN c: Pequim
US a: americano, americana, americanos, norte-americano, norte-americana | US m: Casa Branca | US n: EUA, Estados Unidos
GB a: britânico, britânica | GB n: Reino Unido | FR a: francês, francesa, franceses | DE a: alemão, alemã, alemães
BR a: brasileiro, brasileira, brasileiros | BR m: Planalto, Palácio do Planalto | BR c: Brasília | PT a: português, portuguesa, portugueses
AO a: angolano, angolana | MZ a: moçambicano, moçambicana | AR a: argentino, argentina | CN d: chineses
`,
  nl: `
RU a: Russisch | RU c: Moskou | UA a: Oekraïens | CN a: Chinees | CN c: Peking | US a: Amerikaans | US n: VS, Verenigde Staten
GB a: Brits | FR a: Frans | DE a: Duits | BE a: Belgisch | NL a: Nederlands | NL m: Den Haag, Binnenhof | BE c: Brussel
`,
  pl: `
RU m: Putin, Władimir Putin | UA m: Zełenski
RU a: rosyjski | RU d: Rosjanin, Rosjanie | RU m: Kreml | RU c: Moskwa
UA a: ukraiński | UA d: Ukrainiec, Ukraińcy | UA c: Kijów | CN a: chiński | CN d: Chińczyk | CN c: Pekin
US a: amerykański | US d: Amerykanin, Amerykanie | US m: Biały Dom | US n: USA, Stany Zjednoczone
GB a: brytyjski | GB n: Wielka Brytania | FR a: francuski | DE a: niemiecki | DE d: Niemiec, Niemcy | DE n: Niemcy
PL a: polski | PL d: Polak, Polacy | PL c: Warszawa | PL m: Sejm | CZ a: czeski | CZ n: Czechy | BY a: białoruski | BY n: Białoruś
KR a: koreański, południowokoreański | JP a: japoński | IL a: izraelski | TR a: turecki | LT a: litewski | SE a: szwedzki
`,
  ru: `
RU m: Путин, Владимир Путин, Лавров, Песков | UA m: Зеленский | CN m: Си Цзиньпин | US m: Байден, Трамп | TR m: Эрдоган | BY m: Лукашенко
RU a: российский, русский | RU d: россиянин, россияне | RU n: РФ, Российская Федерация | RU m: Кремль, Госдума | RU c: Москва
UA a: украинский | UA d: украинец, украинцы | UA c: Киев | UA m: Верховная рада
CN a: китайский | CN d: китаец, китайцы | CN n: КНР | CN c: Пекин
US a: американский | US d: американец, американцы | US n: США, Соединённые Штаты | US m: Белый дом, Пентагон | US c: Вашингтон
GB a: британский, английский | GB d: британец, британцы | GB n: Великобритания, Англия, Британия | GB c: Лондон
FR a: французский | FR c: Париж | DE a: немецкий, германский | DE c: Берлин | IT a: итальянский | ES a: испанский
TR a: турецкий | TR c: Анкара | JP a: японский | JP c: Токио | IN a: индийский | IN c: Нью-Дели | IR a: иранский | IR c: Тегеран
KZ a: казахстанский | BY a: белорусский | BY c: Минск | PL a: польский | PL c: Варшава | IL a: израильский | SY a: сирийский
KP n: КНДР | KP a: северокорейский | KR a: южнокорейский | GE a: грузинский | AM a: армянский | AZ a: азербайджанский
`,
  uk: `
RU m: Путін | UA m: Зеленський, Володимир Зеленський | US m: Байден, Трамп
RU a: російський | RU d: росіянин, росіяни | RU n: РФ | RU m: Кремль | RU c: Москва
UA a: український | UA d: українець, українці | UA c: Київ, Києва | UA m: Верховна Рада, Банкова
CN a: китайський | CN c: Пекін | US a: американський | US n: США | US m: Білий дім | US c: Вашингтон
GB a: британський | GB n: Велика Британія, Британія | FR a: французький | DE a: німецький | PL a: польський | PL c: Варшава
TR a: турецький | BY a: білоруський | BY c: Мінськ | JP a: японський | IL a: ізраїльський | IR a: іранський | KP n: КНДР
`,
  cs: `
RU m: Putin | UA m: Zelenskyj
RU a: ruský | RU d: Rus, Rusové | RU m: Kreml | RU c: Moskva | UA a: ukrajinský | UA c: Kyjev | CN a: čínský | CN c: Peking
US a: americký | US n: USA, Spojené státy | US m: Bílý dům | GB a: britský | DE a: německý | DE n: Německo | FR a: francouzský
CZ a: český | CZ n: Česko, Česká republika | CZ c: Praha | CZ a: pražský | SK a: slovenský | PL a: polský | AT a: rakouský | AT n: Rakousko
`,
  tr: `
RU m: Putin | UA m: Zelenskiy | TR m: Erdoğan
RU a: Rus | RU m: Kremlin | RU c: Moskova | UA a: Ukraynalı | CN a: Çinli | CN c: Pekin | US a: Amerikan, Amerikalı | US n: ABD | US m: Beyaz Saray
GB a: İngiliz | GB n: İngiltere, Birleşik Krallık | FR a: Fransız | DE a: Alman | TR a: Türk | TR c: Ankara | TR m: Beştepe
GR a: Yunan | GR n: Yunanistan | SY a: Suriyeli | IL a: İsrailli | IR a: İranlı | AZ a: Azerbaycanlı
`,
  fi: `
RU m: Putin | UA m: Zelenskyi
RU a: venäläinen | RU m: Kreml | RU c: Moskova | UA a: ukrainalainen | CN a: kiinalainen | CN c: Peking | US a: amerikkalainen, yhdysvaltalainen | US m: Valkoinen talo
GB a: brittiläinen | SE a: ruotsalainen | DE a: saksalainen | FI a: suomalainen | FI c: Helsinki | EE a: virolainen | NO a: norjalainen
`,
  hu: `
RU m: Putyin, Vlagyimir Putyin | UA m: Zelenszkij | HU m: Orbán Viktor
RU a: orosz | RU m: Kreml | RU c: Moszkva | UA a: ukrán | UA c: Kijev | CN a: kínai | CN c: Peking | US a: amerikai | US m: Fehér Ház
GB a: brit | DE a: német | HU a: magyar | HU c: Budapest | SK a: szlovák | SK c: Pozsony | RO a: román | AT a: osztrák | BE c: Brüsszel
`,
  el: `
RU m: Πούτιν | UA m: Ζελένσκι | TR m: Ερντογάν | GR m: Μητσοτάκης
RU a: ρωσικός, ρωσική, ρωσικό, Ρώσος | RU m: Κρεμλίνο | RU c: Μόσχα | UA a: ουκρανικός, Ουκρανός | CN a: κινεζικός | CN c: Πεκίνο
US a: αμερικανικός, Αμερικανός | US n: ΗΠΑ | US m: Λευκός Οίκος | GB a: βρετανικός | TR a: τουρκικός, Τούρκος | TR c: Άγκυρα
GR a: ελληνικός, ελληνική, ελληνικό, Έλληνας | GR c: Αθήνα | GR p: Θεσσαλονίκη, Πειραιάς, Πάτρα | CY a: κυπριακός | DE a: γερμανικός | FR a: γαλλικός | IT a: ιταλικός
`,
  ar: `
RU m: بوتين, فلاديمير بوتين | CN m: شي جين بينغ | UA m: زيلينسكي | US m: بايدن, ترامب | TR m: أردوغان | IL m: نتنياهو
RU a: روسي | RU m: الكرملين | RU c: موسكو | UA a: أوكراني | UA c: كييف | CN a: صيني | CN c: بكين
US a: أمريكي, أميركي | US m: البيت الأبيض, البنتاغون | US c: واشنطن | GB a: بريطاني | GB c: لندن | FR a: فرنسي | FR c: باريس
DE a: ألماني | IL a: إسرائيلي | IL c: تل أبيب | PS c: غزة | PS n: قطاع غزة, الضفة الغربية | IR a: إيراني | IR c: طهران
SA a: سعودي | SA c: الرياض | EG a: مصري | EG c: القاهرة | JO a: أردني | JO c: عمان | LB a: لبناني | LB c: بيروت | SY a: سوري | SY c: دمشق
IQ a: عراقي | IQ c: بغداد | QA a: قطري | QA c: الدوحة | AE a: إماراتي | AE n: الإمارات | MA a: مغربي | DZ a: جزائري | TN a: تونسي | LY a: ليبي
TR a: تركي | TR c: أنقرة | BR a: برازيلي | YE a: يمني | SD a: سوداني
`,
  he: `
RU m: פוטין | US m: ביידן, טראמפ | IL m: נתניהו
IL m: הכנסת | IL c: ירושלים | IL p: תל אביב, חיפה | US a: אמריקאי, אמריקני | US c: וושינגטון | US m: הבית הלבן | RU a: רוסי | RU m: הקרמלין
EG c: קהיר | PS p: עזה | PS n: רצועת עזה | LB a: לבנוני | LB c: ביירות | IR a: איראני | IR c: טהרן | SY c: דמשק | JO c: עמאן | GB c: לונדון | FR c: פריז | DE c: ברלין | RU c: מוסקבה | TR c: אנקרה | IT c: רומא | UA c: קייב
`,
  fa: `
RU m: پوتین | US m: بایدن, ترامپ | IR m: خامنه‌ای
IR a: ایرانی | IR c: تهران | IR p: مشهد, اصفهان, تبریز, شیراز | US a: آمریکایی | US n: آمریکا | US m: کاخ سفید | SA a: سعودی | SA c: ریاض | RU a: روسی | RU m: کرملین
AF a: افغان | AF c: کابل | IQ a: عراقی | CN a: چینی | IL a: اسرائیلی
`,
  hi: `
RU m: पुतिन, व्लादिमीर पुतिन | IN m: मोदी, नरेंद्र मोदी | US m: बाइडन, ट्रंप
IN c: नई दिल्ली, दिल्ली | IN p: बेंगलुरु, मुंबई, कोलकाता, चेन्नई | PK c: इस्लामाबाद | PK p: कराची, लाहौर | RU c: मास्को, मॉस्को | RU m: क्रेमलिन
CN c: बीजिंग | US a: अमेरिकी | US m: व्हाइट हाउस | AU p: सिडनी, मेलबर्न | RU a: रूसी | CN a: चीनी
`,
  zh: `
RU m: 普京 | CN m: 习近平, 習近平 | UA m: 泽连斯基, 澤連斯基 | US m: 拜登, 特朗普 | JP m: 岸田文雄
RU n: 俄罗斯, 俄羅斯, 俄方, 俄军, 俄軍, 俄国, 俄國, 中俄, 俄乌, 俄烏, 俄美 | RU m: 克里姆林宫, 克里姆林宮 | RU c: 莫斯科
CN n: 中国, 中國, 中方, 中美, 中俄, 中日, 访华, 訪華, 中华人民共和国 | CN c: 北京 | CN p: 上海, 深圳, 广州, 廣州, 武汉, 重庆
US n: 美国, 美國, 美方, 美军, 美軍, 中美, 俄美 | US m: 白宫, 白宮, 五角大楼 | US c: 华盛顿, 華盛頓 | US p: 纽约, 紐約, 旧金山, 舊金山
UA n: 乌克兰, 烏克蘭, 乌方, 烏方, 乌军, 俄乌, 俄烏 | UA c: 基辅, 基輔 | UA p: 哈尔科夫, 敖德萨
JP n: 日本, 日方, 中日 | JP c: 东京, 東京 | JP p: 大阪 | TW n: 台湾, 臺灣, 台灣 | TW c: 台北, 臺北
KR n: 韩国, 韓國 | KR c: 首尔, 首爾 | KP n: 朝鲜, 朝鮮 | DE n: 德国, 德國 | DE c: 柏林 | GB n: 英国, 英國 | GB c: 伦敦, 倫敦 | FR n: 法国, 法國 | FR c: 巴黎
HK n: 香港 | IN n: 印度 | RS n: 塞尔维亚, 塞爾維亞
`,
  ja: `
RU m: プーチン | CN m: 習近平 | UA m: ゼレンスキー | US m: バイデン, トランプ | JP m: 岸田文雄, 石破茂
US n: 米国, 米大統領, 米政府, 米軍, 日米, 米中, 米露 | US c: ワシントン | US p: ロサンゼルス, ニューヨーク | US m: ホワイトハウス
RU n: ロシア, 露大統領, 日露, 米露 | RU m: クレムリン | RU c: モスクワ | CN n: 中国, 中国軍, 訪中, 日中, 米中 | CN c: 北京
JP n: 日本, 日本政府, 日銀, 日米, 日中, 日露 | JP c: 東京 | JP m: 首相官邸 | JP p: 大阪, 京都, 横浜, 名古屋 | UA n: ウクライナ | UA c: キーウ, キエフ
KR n: 韓国 | KR c: ソウル | KP n: 北朝鮮 | TW n: 台湾 | DE n: ドイツ | GB n: 英国, イギリス | FR n: フランス
`,
  ko: `
RU m: 푸틴 | CN m: 시진핑 | UA m: 젤렌스키 | US m: 바이든, 트럼프 | KP m: 김정은
KP n: 북한, 북 | KR n: 한국, 대한민국 | KR c: 서울 | KR m: 한국은행, 대통령실 | US n: 미국 | US m: 백악관 | JP n: 일본 | CN n: 중국 | RU n: 러시아 | RU m: 크렘린
GB n: 영국 | GB c: 런던 | ID n: 인도네시아 | IN n: 인도
`,
  th: `
RU m: ปูติน | US m: ไบเดน, ทรัมป์
TH n: ไทย, ประเทศไทย | TH c: กรุงเทพฯ, กรุงเทพ | TH p: เชียงใหม่, ภูเก็ต, พัทยา | KH n: กัมพูชา | JP n: ญี่ปุ่น | CN n: จีน | US n: สหรัฐ, อเมริกา
VN n: เวียดนาม | VN c: ฮานอย | RU n: รัสเซีย | RU m: เครมลิน | MM n: เมียนมา | LA n: ลาว | MY n: มาเลเซีย
`,
  sv: `
SE a: svensk | SE c: Stockholm | RU a: rysk | US a: amerikansk | NO a: norsk | FI a: finsk | DK a: dansk | DE a: tysk | HU n: Ungern
`,
  da: `
DK a: dansk | DK c: København | UA a: ukrainsk | RU a: russisk | US a: amerikansk | DE a: tysk | SE a: svensk
`,
  no: `
NO a: norsk | NO c: Oslo | NO p: Bergen, Trondheim, Stavanger | RU a: russisk | US a: amerikansk | DE n: Tyskland | GB n: Storbritannia | SA n: Saudi-Arabia
`,
  id: `
ID m: Prabowo, Prabowo Subianto | RU m: Putin
ID n: Indonesia | ID c: Jakarta | ID p: Surabaya, Bandung, Medan, Yogyakarta | CN n: China, Tiongkok | US n: AS, Amerika Serikat
`,
  vi: `
VN n: Việt Nam | VN c: Hà Nội | VN p: Hải Phòng, Đà Nẵng, Thành phố Hồ Chí Minh | US n: Mỹ, Hoa Kỳ | CN n: Trung Quốc
`,
  sw: `
KE n: Kenya | KE c: Nairobi | TZ n: Tanzania | UG n: Uganda | NG n: Nigeria
`,
  ro: `
RO a: român, româna | RO c: București | BG n: Bulgaria | AT n: Austria | MD n: Republica Moldova | HU n: Ungaria
`,
};
