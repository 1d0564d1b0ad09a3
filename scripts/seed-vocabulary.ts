// Seed terms for the four top-level topics no labelled corpus covers (labour, conflict, disaster, weather), in the
// languages of the corpora and the feeds, written for this project from common news usage. They become pseudo-
// documents (topic-seeds.ts) beside the IPTC labels and definitions, which exist in 8 languages only.

const LABOUR = 'medtop:09000000';
const CONFLICT = 'medtop:16000000';
const DISASTER = 'medtop:03000000';
const WEATHER = 'medtop:17000000';

type Seeds = Readonly<Record<string, readonly string[]>>;

const seeds = (labour: string, conflict: string, disaster: string, weather: string): Seeds => ({
  [LABOUR]: labour.split('|'),
  [CONFLICT]: conflict.split('|'),
  [DISASTER]: disaster.split('|'),
  [WEATHER]: weather.split('|'),
});

/** Language (ISO 639-1) -> top-level code -> terms. */
export const SEED_TERMS: Readonly<Record<string, Seeds>> = {
  en: seeds(
    'strike|workers|trade union|unions|wages|minimum wage|pay rise|walkout|labour dispute|employees|unemployment|jobless|layoffs|job cuts|collective bargaining|pension|retirement age|workforce|working hours|employer',
    'war|troops|soldiers|army|military|airstrike|missile|shelling|invasion|ceasefire|rebels|militants|insurgents|front line|artillery|drone attack|peace talks|armed forces|killed in fighting|offensive',
    'earthquake|flood|floods|wildfire|hurricane|typhoon|cyclone|tornado|landslide|tsunami|volcano|eruption|explosion|train crash|plane crash|death toll|rescuers|evacuated|disaster|emergency',
    'weather|forecast|rain|heavy rain|snow|snowfall|storm|heatwave|temperatures|degrees|frost|thunderstorms|wind|gales|fog|drought|weather warning|met office|sunshine|cold snap',
  ),
  de: seeds(
    'Streik|Gewerkschaft|Gewerkschaften|Arbeitnehmer|Beschäftigte|Löhne|Mindestlohn|Tarifverhandlungen|Tarifvertrag|Warnstreik|Arbeitslosigkeit|Arbeitslose|Stellenabbau|Entlassungen|Rente|Renteneintrittsalter|Arbeitgeber|Arbeitszeit|Verdi|IG Metall',
    'Krieg|Truppen|Soldaten|Armee|Militär|Luftangriff|Rakete|Raketen|Beschuss|Invasion|Waffenruhe|Waffenstillstand|Rebellen|Kämpfe|Front|Artillerie|Drohnenangriff|Friedensgespräche|Streitkräfte|Offensive',
    'Erdbeben|Hochwasser|Überschwemmung|Waldbrand|Hurrikan|Taifun|Wirbelsturm|Tornado|Erdrutsch|Tsunami|Vulkanausbruch|Explosion|Zugunglück|Flugzeugabsturz|Todesopfer|Rettungskräfte|evakuiert|Katastrophe|Unglück|Feuerwehr',
    'Wetter|Wettervorhersage|Regen|Starkregen|Schnee|Schneefall|Sturm|Unwetter|Hitzewelle|Temperaturen|Grad|Frost|Gewitter|Wind|Nebel|Dürre|Unwetterwarnung|Deutscher Wetterdienst|Sonnenschein|Glätte',
  ),
  fr: seeds(
    'grève|syndicat|syndicats|salariés|travailleurs|salaires|salaire minimum|smic|négociations salariales|licenciements|chômage|chômeurs|suppressions de postes|retraite|réforme des retraites|employeurs|temps de travail|intersyndicale|CGT|emploi',
    'guerre|troupes|soldats|armée|militaire|frappe aérienne|missile|bombardement|invasion|cessez-le-feu|rebelles|combats|front|artillerie|attaque de drones|pourparlers de paix|forces armées|offensive|jihadistes|otages',
    'séisme|tremblement de terre|inondations|crue|incendie de forêt|ouragan|typhon|cyclone|tornade|glissement de terrain|tsunami|éruption volcanique|explosion|accident de train|crash aérien|bilan des victimes|secouristes|évacués|catastrophe|pompiers',
    'météo|prévisions météo|pluie|fortes pluies|neige|chutes de neige|tempête|orages|canicule|températures|degrés|gel|vent|rafales|brouillard|sécheresse|vigilance orange|Météo-France|soleil|vague de froid',
  ),
  es: seeds(
    'huelga|sindicato|sindicatos|trabajadores|salarios|salario mínimo|convenio colectivo|despidos|paro|desempleo|desempleados|recortes de empleo|pensiones|jubilación|patronal|empleadores|jornada laboral|ERE|empleo|paro laboral',
    'guerra|tropas|soldados|ejército|militar|ataque aéreo|misil|bombardeo|invasión|alto el fuego|rebeldes|combates|frente|artillería|ataque con drones|conversaciones de paz|fuerzas armadas|ofensiva|guerrilla|rehenes',
    'terremoto|sismo|inundaciones|incendio forestal|huracán|tifón|ciclón|tornado|deslizamiento de tierra|tsunami|erupción volcánica|explosión|accidente de tren|accidente aéreo|cifra de muertos|rescatistas|evacuados|catástrofe|desastre|bomberos',
    'tiempo|pronóstico del tiempo|lluvia|lluvias intensas|nieve|nevadas|tormenta|temporal|ola de calor|temperaturas|grados|heladas|viento|niebla|sequía|alerta meteorológica|Aemet|sol|ola de frío|granizo',
  ),
  it: seeds(
    'sciopero|sindacato|sindacati|lavoratori|dipendenti|salari|salario minimo|contratto collettivo|licenziamenti|disoccupazione|disoccupati|tagli al personale|pensioni|età pensionabile|datori di lavoro|orario di lavoro|Cgil|occupazione|cassa integrazione|vertenza',
    'guerra|truppe|soldati|esercito|militare|raid aereo|missile|bombardamenti|invasione|cessate il fuoco|ribelli|combattimenti|fronte|artiglieria|attacco con droni|colloqui di pace|forze armate|offensiva|ostaggi|milizie',
    'terremoto|sisma|alluvione|inondazioni|incendio boschivo|uragano|tifone|ciclone|tromba d\'aria|frana|tsunami|eruzione|esplosione|incidente ferroviario|disastro aereo|bilancio delle vittime|soccorritori|evacuati|catastrofe|vigili del fuoco',
    'meteo|previsioni meteo|pioggia|piogge intense|neve|nevicate|tempesta|temporali|ondata di caldo|temperature|gradi|gelate|vento|nebbia|siccità|allerta meteo|maltempo|sole|ondata di freddo|grandine',
  ),
  pt: seeds(
    'greve|sindicato|sindicatos|trabalhadores|salários|salário mínimo|negociação coletiva|demissões|desemprego|desempregados|cortes de empregos|aposentadoria|reforma|previdência|empregadores|jornada de trabalho|paralisação|emprego|CLT|funcionários',
    'guerra|tropas|soldados|exército|militar|ataque aéreo|míssil|bombardeio|invasão|cessar-fogo|rebeldes|combates|frente de batalha|artilharia|ataque de drones|negociações de paz|forças armadas|ofensiva|guerrilha|reféns',
    'terremoto|sismo|enchentes|inundações|incêndio florestal|furacão|tufão|ciclone|tornado|deslizamento de terra|tsunami|erupção vulcânica|explosão|acidente de trem|acidente aéreo|número de mortos|socorristas|desabrigados|tragédia|bombeiros',
    'tempo|previsão do tempo|chuva|chuvas fortes|neve|tempestade|temporal|onda de calor|temperaturas|graus|geada|vento|nevoeiro|seca|alerta meteorológico|frente fria|sol|onda de frio|granizo|meteorologia',
  ),
  nl: seeds(
    'staking|vakbond|vakbonden|werknemers|lonen|minimumloon|cao|ontslagen|werkloosheid|werklozen|banenverlies|pensioen|pensioenleeftijd|werkgevers|arbeidstijd|FNV|werkgelegenheid|loonsverhoging|prikactie|arbeidsmarkt',
    'oorlog|troepen|soldaten|leger|militair|luchtaanval|raket|beschietingen|invasie|staakt-het-vuren|rebellen|gevechten|front|artillerie|droneaanval|vredesbesprekingen|strijdkrachten|offensief|gijzelaars|militanten',
    'aardbeving|overstroming|bosbrand|orkaan|tyfoon|cycloon|tornado|aardverschuiving|tsunami|vulkaanuitbarsting|explosie|treinongeluk|vliegtuigcrash|dodental|hulpdiensten|geëvacueerd|ramp|brandweer|noodtoestand|slachtoffers',
    'weer|weersverwachting|regen|hevige regen|sneeuw|storm|onweer|hittegolf|temperaturen|graden|vorst|wind|mist|droogte|code oranje|KNMI|zon|kou|hagel|gladheid',
  ),
  pl: seeds(
    'strajk|związki zawodowe|związek zawodowy|pracownicy|płace|płaca minimalna|podwyżki|zwolnienia|bezrobocie|bezrobotni|redukcja etatów|emerytury|wiek emerytalny|pracodawcy|czas pracy|Solidarność|zatrudnienie|układ zbiorowy|protest pracowników|rynek pracy',
    'wojna|wojska|żołnierze|armia|wojsko|nalot|rakieta|ostrzał|inwazja|zawieszenie broni|rebelianci|walki|front|artyleria|atak dronów|rozmowy pokojowe|siły zbrojne|ofensywa|zakładnicy|bojownicy',
    'trzęsienie ziemi|powódź|pożar lasu|huragan|tajfun|cyklon|tornado|osuwisko|tsunami|erupcja wulkanu|wybuch|katastrofa kolejowa|katastrofa lotnicza|liczba ofiar|ratownicy|ewakuowano|katastrofa|strażacy|klęska żywiołowa|zginęło',
    'pogoda|prognoza pogody|deszcz|ulewy|śnieg|opady śniegu|burza|burze|upał|fala upałów|temperatury|stopni|przymrozki|wiatr|mgła|susza|ostrzeżenie meteorologiczne|IMGW|słońce|mróz',
  ),
  ru: seeds(
    'забастовка|профсоюз|профсоюзы|работники|рабочие|зарплаты|заработная плата|минимальная зарплата|увольнения|безработица|безработные|сокращения|пенсии|пенсионный возраст|работодатели|рабочее время|трудовой конфликт|занятость|стачка|трудящиеся',
    'война|войска|военные|армия|солдаты|авиаудар|ракета|ракетный удар|обстрел|вторжение|перемирие|прекращение огня|боевики|бои|фронт|артиллерия|атака беспилотников|мирные переговоры|вооружённые силы|наступление',
    'землетрясение|наводнение|паводок|лесной пожар|ураган|тайфун|циклон|торнадо|оползень|цунами|извержение вулкана|взрыв|крушение поезда|авиакатастрофа|число погибших|спасатели|эвакуированы|катастрофа|МЧС|стихийное бедствие',
    'погода|прогноз погоды|дождь|ливни|снег|снегопад|шторм|гроза|жара|аномальная жара|температура|градусов|мороз|заморозки|ветер|туман|засуха|штормовое предупреждение|Гидрометцентр|метель',
  ),
  uk: seeds(
    'страйк|профспілка|профспілки|працівники|зарплати|заробітна плата|мінімальна зарплата|звільнення|безробіття|безробітні|скорочення|пенсії|пенсійний вік|роботодавці|робочий час|зайнятість|трудовий конфлікт|страйкарі|підвищення зарплат|ринок праці',
    'війна|війська|військові|армія|солдати|авіаудар|ракета|ракетний удар|обстріл|вторгнення|перемир\'я|припинення вогню|бойовики|бої|фронт|артилерія|атака дронів|мирні переговори|Збройні сили|наступ',
    'землетрус|повінь|паводок|лісова пожежа|ураган|тайфун|циклон|торнадо|зсув|цунамі|виверження вулкана|вибух|аварія потяга|авіакатастрофа|кількість загиблих|рятувальники|евакуйовано|катастрофа|ДСНС|стихійне лихо',
    'погода|прогноз погоди|дощ|злива|сніг|снігопад|шторм|гроза|спека|температура|градусів|мороз|заморозки|вітер|туман|посуха|штормове попередження|Укргідрометцентр|ожеледиця|хуртовина',
  ),
  el: seeds(
    'απεργία|συνδικάτο|συνδικάτα|εργαζόμενοι|μισθοί|κατώτατος μισθός|συλλογική σύμβαση|απολύσεις|ανεργία|άνεργοι|περικοπές θέσεων|συντάξεις|συνταξιοδότηση|εργοδότες|ωράριο|ΓΣΕΕ|απασχόληση|στάση εργασίας|εργατικά|αυξήσεις μισθών',
    'πόλεμος|στρατεύματα|στρατιώτες|στρατός|στρατιωτικός|αεροπορική επιδρομή|πύραυλος|βομβαρδισμός|εισβολή|εκεχειρία|αντάρτες|μάχες|μέτωπο|πυροβολικό|επίθεση με drones|ειρηνευτικές συνομιλίες|ένοπλες δυνάμεις|επίθεση|όμηροι|μαχητές',
    'σεισμός|πλημμύρα|πλημμύρες|δασική πυρκαγιά|τυφώνας|κυκλώνας|ανεμοστρόβιλος|κατολίσθηση|τσουνάμι|έκρηξη ηφαιστείου|έκρηξη|σιδηροδρομικό δυστύχημα|αεροπορικό δυστύχημα|νεκροί|διασώστες|εκκένωση|καταστροφή|πυροσβεστική|τραγωδία|τραυματίες',
    'καιρός|πρόγνωση καιρού|βροχή|βροχοπτώσεις|χιόνι|χιονοπτώσεις|καταιγίδα|καταιγίδες|καύσωνας|θερμοκρασία|βαθμούς|παγετός|άνεμοι|μποφόρ|ομίχλη|ξηρασία|έκτακτο δελτίο|ΕΜΥ|ηλιοφάνεια|κακοκαιρία',
  ),
  tr: seeds(
    'grev|sendika|sendikalar|işçiler|çalışanlar|maaşlar|asgari ücret|toplu sözleşme|işten çıkarmalar|işsizlik|işsizler|emekli|emeklilik|emekli maaşı|işverenler|çalışma saatleri|istihdam|iş bırakma|ücret zammı|DİSK',
    'savaş|askerler|ordu|asker|askeri|hava saldırısı|füze|bombardıman|işgal|ateşkes|isyancılar|çatışmalar|cephe|topçu|dron saldırısı|barış görüşmeleri|silahlı kuvvetler|saldırı|rehineler|militanlar',
    'deprem|sel|su baskını|orman yangını|kasırga|tayfun|hortum|heyelan|tsunami|yanardağ patlaması|patlama|tren kazası|uçak kazası|ölü sayısı|kurtarma ekipleri|tahliye|felaket|AFAD|itfaiye|enkaz',
    'hava durumu|hava tahmini|yağmur|sağanak|kar|kar yağışı|fırtına|sıcak hava dalgası|sıcaklık|derece|don|rüzgar|sis|kuraklık|meteorolojik uyarı|Meteoroloji|güneşli|soğuk hava|dolu|turuncu kod',
  ),
  ar: seeds(
    'إضراب|نقابة|النقابات|العمال|الموظفين|الأجور|الحد الأدنى للأجور|تسريح|البطالة|العاطلين|التقاعد|المعاشات|أصحاب العمل|ساعات العمل|التوظيف|احتجاجات عمالية|العمالة|رواتب|سوق العمل|اتحاد الشغل',
    'الحرب|القوات|الجنود|الجيش|عسكري|غارة جوية|صاروخ|قصف|غزو|وقف إطلاق النار|المتمردين|اشتباكات|الجبهة|المدفعية|هجوم بطائرات مسيرة|محادثات السلام|القوات المسلحة|هجوم|الرهائن|مسلحين',
    'زلزال|فيضانات|سيول|حريق غابات|إعصار|عاصفة|انهيار أرضي|تسونامي|ثوران بركان|انفجار|حادث قطار|تحطم طائرة|عدد القتلى|فرق الإنقاذ|إجلاء|كارثة|الدفاع المدني|ضحايا|منكوبين|الإطفاء',
    'الطقس|توقعات الطقس|أمطار|أمطار غزيرة|ثلوج|عاصفة|موجة حر|درجات الحرارة|درجة مئوية|صقيع|رياح|ضباب|جفاف|تحذير|الأرصاد الجوية|طقس|غبار|منخفض جوي|برد|غيوم',
  ),
  fa: seeds(
    'اعتصاب|سندیکا|کارگران|کارمندان|دستمزد|حداقل دستمزد|اخراج|بیکاری|بیکاران|بازنشستگی|بازنشستگان|کارفرمایان|ساعات کار|اشتغال|حقوق|قرارداد کار|تجمع کارگران|بازار کار|معیشت کارگران|تعدیل نیرو',
    'جنگ|نیروها|سربازان|ارتش|نظامی|حمله هوایی|موشک|بمباران|تهاجم|آتش‌بس|شورشیان|درگیری|جبهه|توپخانه|حمله پهپادی|مذاکرات صلح|نیروهای مسلح|حمله|گروگان‌ها|شبه‌نظامیان',
    'زلزله|سیل|آتش‌سوزی جنگل|طوفان|گردباد|رانش زمین|سونامی|فوران آتشفشان|انفجار|سانحه قطار|سقوط هواپیما|شمار قربانیان|امدادگران|تخلیه|فاجعه|هلال احمر|آتش‌نشانی|مصدومان|حادثه|کشته',
    'هوا|پیش‌بینی هوا|باران|بارش|برف|بارش برف|طوفان|موج گرما|دما|درجه|یخبندان|باد|مه|خشکسالی|هشدار|هواشناسی|گرد و غبار|سرما|تگرگ|آفتابی',
  ),
  ur: seeds(
    'ہڑتال|یونین|مزدور|ملازمین|تنخواہیں|کم از کم اجرت|برطرفیاں|بے روزگاری|بے روزگار|پنشن|ریٹائرمنٹ|آجر|اوقات کار|روزگار|مزدوروں|احتجاج|ملازمت|اجرت|لیبر|محنت کش',
    'جنگ|فوج|فوجی|سپاہی|فضائی حملہ|میزائل|گولہ باری|حملہ|جنگ بندی|باغی|جھڑپیں|محاذ|توپ خانہ|ڈرون حملہ|امن مذاکرات|مسلح افواج|عسکریت پسند|یرغمال|دہشت گرد|آپریشن',
    'زلزلہ|سیلاب|جنگل کی آگ|طوفان|سمندری طوفان|لینڈ سلائیڈنگ|سونامی|دھماکہ|ٹرین حادثہ|طیارہ حادثہ|ہلاکتیں|امدادی کارکن|انخلا|تباہی|آفت|ریسکیو|زخمی|حادثہ|ہلاک|متاثرین',
    'موسم|موسم کی پیشگوئی|بارش|شدید بارش|برف باری|آندھی|گرمی|ہیٹ ویو|درجہ حرارت|ڈگری|سردی|ہوا|دھند|خشک سالی|محکمہ موسمیات|موسمیات|ژالہ باری|بادل|سرد لہر|گرمی کی لہر',
  ),
  hi: seeds(
    'हड़ताल|यूनियन|मज़दूर|मजदूर|कर्मचारी|वेतन|न्यूनतम वेतन|छंटनी|बेरोज़गारी|बेरोजगारी|पेंशन|सेवानिवृत्ति|नियोक्ता|श्रमिक|रोज़गार|रोजगार|श्रम|वेतन वृद्धि|श्रम कानून|काम के घंटे',
    'युद्ध|सेना|सैनिक|सैन्य|हवाई हमला|मिसाइल|गोलाबारी|आक्रमण|युद्धविराम|विद्रोही|झड़प|मोर्चा|तोपखाना|ड्रोन हमला|शांति वार्ता|सशस्त्र बल|हमला|आतंकवादी|उग्रवादी|बंधक',
    'भूकंप|बाढ़|जंगल की आग|तूफान|चक्रवात|भूस्खलन|सुनामी|ज्वालामुखी|विस्फोट|रेल हादसा|विमान दुर्घटना|मृतकों की संख्या|बचावकर्मी|राहत|आपदा|हादसा|दुर्घटना|एनडीआरएफ|घायल|मौत',
    'मौसम|मौसम पूर्वानुमान|बारिश|भारी बारिश|बर्फबारी|आंधी|लू|गर्मी|तापमान|डिग्री|ठंड|शीतलहर|हवा|कोहरा|सूखा|मौसम विभाग|अलर्ट|ओलावृष्टि|मानसून|बादल',
  ),
  bn: seeds(
    'ধর্মঘট|শ্রমিক|ইউনিয়ন|কর্মী|মজুরি|বেতন|ন্যূনতম মজুরি|ছাঁটাই|বেকারত্ব|বেকার|পেনশন|অবসর|মালিকপক্ষ|কর্মসংস্থান|শ্রম|কর্মঘণ্টা|শ্রমিক আন্দোলন|গার্মেন্টস শ্রমিক|বেতন বৃদ্ধি|চাকরি',
    'যুদ্ধ|সেনা|সৈন্য|সেনাবাহিনী|সামরিক|বিমান হামলা|ক্ষেপণাস্ত্র|গোলাবর্ষণ|আক্রমণ|যুদ্ধবিরতি|বিদ্রোহী|সংঘর্ষ|ফ্রন্ট|কামান|ড্রোন হামলা|শান্তি আলোচনা|সশস্ত্র বাহিনী|হামলা|জঙ্গি|জিম্মি',
    'ভূমিকম্প|বন্যা|দাবানল|ঘূর্ণিঝড়|টাইফুন|ভূমিধস|সুনামি|আগ্নেয়গিরি|বিস্ফোরণ|ট্রেন দুর্ঘটনা|বিমান দুর্ঘটনা|নিহতের সংখ্যা|উদ্ধারকর্মী|সরিয়ে নেওয়া|দুর্যোগ|দুর্ঘটনা|অগ্নিকাণ্ড|ফায়ার সার্ভিস|আহত|নিহত',
    'আবহাওয়া|আবহাওয়ার পূর্বাভাস|বৃষ্টি|ভারী বৃষ্টি|তুষারপাত|ঝড়|তাপপ্রবাহ|তাপমাত্রা|ডিগ্রি|শীত|শৈত্যপ্রবাহ|বাতাস|কুয়াশা|খরা|আবহাওয়া অধিদপ্তর|সতর্কতা|শিলাবৃষ্টি|বর্ষা|মেঘ|গরম',
  ),
  zh: seeds(
    '罢工|工会|工人|员工|职工|工资|最低工资|薪资|裁员|失业|失业率|就业|养老金|退休|延迟退休|雇主|劳动|劳资纠纷|加班|劳动合同',
    '战争|军队|士兵|部队|军事|空袭|导弹|炮击|入侵|停火|叛军|武装分子|交火|前线|炮兵|无人机袭击|和谈|武装部队|进攻|人质',
    '地震|洪水|洪灾|山火|飓风|台风|龙卷风|山体滑坡|泥石流|海啸|火山喷发|爆炸|火车事故|坠机|死亡人数|救援人员|疏散|灾难|遇难|消防',
    '天气|天气预报|降雨|暴雨|降雪|暴雪|风暴|高温|热浪|气温|摄氏度|霜冻|大风|雾霾|大雾|干旱|预警|气象台|寒潮|冰雹',
  ),
  ja: seeds(
    'ストライキ|労働組合|労組|労働者|従業員|賃金|最低賃金|賃上げ|春闘|解雇|リストラ|失業|失業率|雇用|年金|定年|雇用主|労働時間|残業|非正規',
    '戦争|軍|兵士|部隊|軍事|空爆|ミサイル|砲撃|侵攻|停戦|反政府勢力|武装勢力|戦闘|前線|砲兵|ドローン攻撃|和平交渉|軍隊|攻撃|人質',
    '地震|洪水|浸水|山火事|ハリケーン|台風|竜巻|土砂崩れ|津波|噴火|爆発|脱線事故|墜落|死者|救助隊|避難|災害|被災|消防|震度',
    '天気|天気予報|雨|大雨|雪|大雪|嵐|猛暑|熱中症|気温|度|霜|強風|霧|干ばつ|警報|気象庁|寒波|ひょう|晴れ',
  ),
  ko: seeds(
    '파업|노조|노동조합|노동자|근로자|임금|최저임금|임금 인상|해고|구조조정|실업|실업률|고용|연금|정년|사용자|근로시간|노사|민주노총|일자리',
    '전쟁|군대|병사|군인|군사|공습|미사일|포격|침공|휴전|반군|무장세력|교전|전선|포병|드론 공격|평화 회담|군|공격|인질',
    '지진|홍수|산불|허리케인|태풍|토네이도|산사태|쓰나미|화산 폭발|폭발|열차 사고|추락|사망자|구조대|대피|재난|참사|소방|피해|이재민',
    '날씨|일기예보|비|폭우|눈|폭설|폭풍|폭염|기온|도|서리|강풍|안개|가뭄|특보|기상청|한파|우박|장마|맑음',
  ),
  id: seeds(
    'mogok kerja|serikat pekerja|buruh|pekerja|karyawan|upah|upah minimum|UMR|PHK|pemutusan hubungan kerja|pengangguran|lapangan kerja|pensiun|pengusaha|jam kerja|demo buruh|ketenagakerjaan|gaji|tenaga kerja|outsourcing',
    'perang|pasukan|tentara|militer|serangan udara|rudal|penembakan|invasi|gencatan senjata|pemberontak|bentrokan|garis depan|artileri|serangan drone|perundingan damai|angkatan bersenjata|serangan|sandera|milisi|kelompok bersenjata',
    'gempa|gempa bumi|banjir|kebakaran hutan|badai|topan|angin puting beliung|tanah longsor|tsunami|erupsi|letusan gunung|ledakan|kecelakaan kereta|pesawat jatuh|korban tewas|tim SAR|dievakuasi|bencana|BNPB|pengungsi',
    'cuaca|prakiraan cuaca|hujan|hujan lebat|salju|badai|gelombang panas|suhu|derajat|angin kencang|kabut|kemarau|kekeringan|peringatan dini|BMKG|cerah|mendung|hujan es|musim hujan|cuaca ekstrem',
  ),
  vi: seeds(
    'đình công|công đoàn|công nhân|người lao động|tiền lương|lương tối thiểu|sa thải|cắt giảm lao động|thất nghiệp|việc làm|lương hưu|nghỉ hưu|người sử dụng lao động|giờ làm việc|tăng lương|hợp đồng lao động|bảo hiểm xã hội|lao động|ngừng việc|tuyển dụng',
    'chiến tranh|quân đội|binh sĩ|lính|quân sự|không kích|tên lửa|pháo kích|xâm lược|ngừng bắn|phiến quân|giao tranh|tiền tuyến|pháo binh|tấn công bằng drone|đàm phán hòa bình|lực lượng vũ trang|tấn công|con tin|dân quân',
    'động đất|lũ lụt|lũ quét|cháy rừng|bão|siêu bão|lốc xoáy|sạt lở đất|sóng thần|núi lửa phun trào|nổ|tai nạn tàu hỏa|rơi máy bay|số người chết|cứu hộ|sơ tán|thảm họa|thiên tai|cứu nạn|thiệt hại',
    'thời tiết|dự báo thời tiết|mưa|mưa lớn|tuyết|bão|nắng nóng|nhiệt độ|độ C|sương giá|gió mạnh|sương mù|hạn hán|cảnh báo|khí tượng|rét đậm|không khí lạnh|mưa đá|áp thấp nhiệt đới|trời nắng',
  ),
  th: seeds(
    'นัดหยุดงาน|สหภาพแรงงาน|แรงงาน|ลูกจ้าง|พนักงาน|ค่าจ้าง|ค่าแรงขั้นต่ำ|เลิกจ้าง|ว่างงาน|การจ้างงาน|เงินบำนาญ|เกษียณ|นายจ้าง|ชั่วโมงทำงาน|ขึ้นค่าแรง|ประกันสังคม|คนงาน|ผู้ใช้แรงงาน|ตกงาน|สวัสดิการ',
    'สงคราม|ทหาร|กองทัพ|การทหาร|โจมตีทางอากาศ|ขีปนาวุธ|ยิงถล่ม|รุกราน|หยุดยิง|กบฏ|ปะทะ|แนวหน้า|ปืนใหญ่|โดรนโจมตี|เจรจาสันติภาพ|กองกำลัง|การโจมตี|ตัวประกัน|ผู้ก่อความไม่สงบ|ก่อการร้าย',
    'แผ่นดินไหว|น้ำท่วม|ไฟป่า|พายุเฮอริเคน|ไต้ฝุ่น|พายุ|ดินถล่ม|สึนามิ|ภูเขาไฟระเบิด|ระเบิด|รถไฟตกราง|เครื่องบินตก|ผู้เสียชีวิต|กู้ภัย|อพยพ|ภัยพิบัติ|อุบัติเหตุ|ดับเพลิง|บาดเจ็บ|ผู้ประสบภัย',
    'สภาพอากาศ|พยากรณ์อากาศ|ฝน|ฝนตกหนัก|หิมะ|พายุฝนฟ้าคะนอง|คลื่นความร้อน|อุณหภูมิ|องศา|อากาศหนาว|ลมแรง|หมอก|ภัยแล้ง|เตือนภัย|กรมอุตุนิยมวิทยา|อากาศร้อน|ลูกเห็บ|มรสุม|ฝุ่น|ร้อนจัด',
  ),
  sw: seeds(
    'mgomo|chama cha wafanyakazi|wafanyakazi|mishahara|kima cha chini cha mshahara|kufutwa kazi|ukosefu wa ajira|ajira|pensheni|kustaafu|waajiri|saa za kazi|nyongeza ya mshahara|vyama vya wafanyakazi|walimu wagoma|madaktari wagoma|haki za wafanyakazi|soko la ajira|kazi|mshahara',
    'vita|wanajeshi|jeshi|askari|kijeshi|shambulio la angani|kombora|mashambulizi|uvamizi|usitishaji mapigano|waasi|mapigano|mstari wa mbele|silaha|shambulio la droni|mazungumzo ya amani|vikosi vya jeshi|wapiganaji|mateka|wanamgambo',
    'tetemeko la ardhi|mafuriko|moto wa msituni|kimbunga|maporomoko ya ardhi|tsunami|mlipuko wa volkano|mlipuko|ajali ya treni|ajali ya ndege|idadi ya vifo|waokoaji|kuhamishwa|maafa|janga|ajali|zimamoto|majeruhi|walikufa|waathirika',
    'hali ya hewa|utabiri wa hali ya hewa|mvua|mvua kubwa|theluji|dhoruba|joto kali|halijoto|nyuzi joto|baridi|upepo mkali|ukungu|ukame|tahadhari|mamlaka ya hali ya hewa|mawingu|jua kali|mvua za masika|radi|kiangazi',
  ),
  he: seeds(
    'שביתה|ההסתדרות|ועד עובדים|עובדים|שכר|שכר מינימום|פיטורים|אבטלה|מובטלים|פנסיה|פרישה|מעסיקים|שעות עבודה|תעסוקה|העלאת שכר|הסכם קיבוצי|עיצומים|איגוד מקצועי|שוק העבודה|משכורות',
    'מלחמה|כוחות|חיילים|צבא|צה"ל|תקיפה אווירית|טיל|טילים|הפגזה|פלישה|הפסקת אש|מורדים|לחימה|חזית|ארטילריה|מתקפת רחפנים|שיחות שלום|כוחות הביטחון|מתקפה|חטופים',
    'רעידת אדמה|שיטפון|שיטפונות|שריפת יער|הוריקן|טייפון|סופה|מפולת|צונאמי|התפרצות הר געש|פיצוץ|תאונת רכבת|התרסקות מטוס|מספר ההרוגים|צוותי חילוץ|פינוי|אסון|כבאים|פצועים|נספים',
    'מזג האוויר|תחזית|גשם|גשמים עזים|שלג|סערה|גל חום|שרב|טמפרטורות|מעלות|קרה|רוחות|ערפל|בצורת|אזהרה|השירות המטאורולוגי|שמשי|קור|ברד|עננות',
  ),
  cs: seeds(
    'stávka|odbory|odborový svaz|zaměstnanci|pracovníci|mzdy|minimální mzda|kolektivní smlouva|propouštění|nezaměstnanost|nezaměstnaní|důchody|důchodový věk|zaměstnavatelé|pracovní doba|zaměstnanost|zvýšení platů|platy|trh práce|výluka',
    'válka|vojska|vojáci|armáda|vojenský|nálet|raketa|ostřelování|invaze|příměří|povstalci|boje|fronta|dělostřelectvo|útok dronů|mírová jednání|ozbrojené síly|ofenziva|rukojmí|bojovníci',
    'zemětřesení|povodeň|povodně|lesní požár|hurikán|tajfun|cyklon|tornádo|sesuv půdy|tsunami|erupce sopky|výbuch|železniční neštěstí|letecké neštěstí|počet obětí|záchranáři|evakuováni|katastrofa|hasiči|neštěstí',
    'počasí|předpověď počasí|déšť|přívalové deště|sníh|sněžení|bouře|bouřky|vedro|vlna veder|teploty|stupňů|mráz|vítr|mlha|sucho|výstraha|ČHMÚ|slunečno|náledí',
  ),
  ro: seeds(
    'grevă|sindicat|sindicate|angajați|salariați|salarii|salariul minim|contract colectiv|concedieri|șomaj|șomeri|pensii|vârsta de pensionare|angajatori|program de lucru|locuri de muncă|majorări salariale|protest sindical|piața muncii|forța de muncă',
    'război|trupe|soldați|armată|militar|atac aerian|rachetă|bombardament|invazie|încetarea focului|rebeli|lupte|linia frontului|artilerie|atac cu drone|negocieri de pace|forțele armate|ofensivă|ostatici|militanți',
    'cutremur|inundații|incendiu de pădure|uragan|taifun|ciclon|tornadă|alunecare de teren|tsunami|erupție vulcanică|explozie|accident feroviar|accident aviatic|bilanțul morților|salvatori|evacuați|dezastru|catastrofă|pompieri|ISU',
    'vremea|prognoza meteo|ploaie|ploi torențiale|zăpadă|ninsori|furtună|caniculă|val de căldură|temperaturi|grade|îngheț|vânt|ceață|secetă|cod portocaliu|ANM|soare|ger|grindină',
  ),
  hu: seeds(
    'sztrájk|szakszervezet|szakszervezetek|munkavállalók|dolgozók|bérek|minimálbér|kollektív szerződés|elbocsátások|munkanélküliség|munkanélküliek|nyugdíj|nyugdíjkorhatár|munkáltatók|munkaidő|foglalkoztatás|béremelés|fizetések|munkaerőpiac|leépítés',
    'háború|csapatok|katonák|hadsereg|katonai|légicsapás|rakéta|ágyúzás|invázió|tűzszünet|lázadók|harcok|front|tüzérség|dróntámadás|béketárgyalások|fegyveres erők|offenzíva|túszok|fegyveresek',
    'földrengés|árvíz|áradás|erdőtűz|hurrikán|tájfun|ciklon|tornádó|földcsuszamlás|szökőár|vulkánkitörés|robbanás|vasúti baleset|repülőgép-szerencsétlenség|halálos áldozatok|mentőcsapatok|kitelepítés|katasztrófa|tűzoltók|szerencsétlenség',
    'időjárás|időjárás-előrejelzés|eső|zivatar|hó|havazás|vihar|hőség|hőhullám|hőmérséklet|fok|fagy|szél|köd|aszály|figyelmeztetés|OMSZ|napsütés|hideg|jégeső',
  ),
  sv: seeds(
    'strejk|fackförbund|facket|arbetstagare|anställda|löner|minimilön|kollektivavtal|uppsägningar|arbetslöshet|arbetslösa|pension|pensionsålder|arbetsgivare|arbetstid|sysselsättning|löneökningar|varsel|arbetsmarknad|LO',
    'krig|trupper|soldater|armén|militär|flyganfall|robot|beskjutning|invasion|vapenvila|rebeller|strider|fronten|artilleri|drönarattack|fredssamtal|väpnade styrkor|offensiv|gisslan|militanta',
    'jordbävning|översvämning|skogsbrand|orkan|tyfon|cyklon|tornado|jordskred|tsunami|vulkanutbrott|explosion|tågolycka|flygolycka|dödssiffran|räddningstjänst|evakuerade|katastrof|brandkår|olycka|omkomna',
    'väder|väderprognos|regn|skyfall|snö|snöfall|storm|åska|värmebölja|temperaturer|grader|frost|blåst|dimma|torka|varning|SMHI|sol|kyla|hagel',
  ),
  fi: seeds(
    'lakko|ammattiliitto|ammattiliitot|työntekijät|palkat|minimipalkka|työehtosopimus|irtisanomiset|lomautukset|työttömyys|työttömät|eläke|eläkeikä|työnantajat|työaika|työllisyys|palkankorotus|yt-neuvottelut|työmarkkinat|SAK',
    'sota|joukot|sotilaat|armeija|sotilaallinen|ilmaisku|ohjus|tulitus|hyökkäys|tulitauko|kapinalliset|taistelut|rintama|tykistö|drooni-isku|rauhanneuvottelut|asevoimat|offensiivi|panttivangit|taistelijat',
    'maanjäristys|tulva|tulvat|metsäpalo|hurrikaani|taifuuni|sykloni|tornado|maanvyöry|tsunami|tulivuorenpurkaus|räjähdys|junaonnettomuus|lento-onnettomuus|kuolonuhrit|pelastajat|evakuoitiin|katastrofi|palokunta|onnettomuus',
    'sää|sääennuste|sade|rankkasade|lumi|lumisade|myrsky|ukkonen|helle|hellejakso|lämpötila|astetta|pakkanen|tuuli|sumu|kuivuus|varoitus|Ilmatieteen laitos|aurinkoinen|liukkaus',
  ),
  da: seeds(
    'strejke|fagforening|fagbevægelsen|lønmodtagere|ansatte|lønninger|mindsteløn|overenskomst|fyringer|arbejdsløshed|ledige|pension|pensionsalder|arbejdsgivere|arbejdstid|beskæftigelse|lønstigninger|arbejdsmarkedet|konflikt|FH',
    'krig|tropper|soldater|hæren|militær|luftangreb|missil|beskydning|invasion|våbenhvile|oprørere|kampe|fronten|artilleri|droneangreb|fredsforhandlinger|væbnede styrker|offensiv|gidsler|militante',
    'jordskælv|oversvømmelse|skovbrand|orkan|tyfon|cyklon|tornado|jordskred|tsunami|vulkanudbrud|eksplosion|togulykke|flystyrt|dødstal|redningsfolk|evakueret|katastrofe|brandvæsen|ulykke|omkomne',
    'vejret|vejrudsigt|regn|skybrud|sne|snefald|storm|torden|hedebølge|temperaturer|grader|frost|blæst|tåge|tørke|varsel|DMI|sol|kulde|hagl',
  ),
  no: seeds(
    'streik|fagforening|LO|arbeidstakere|ansatte|lønninger|minstelønn|tariffoppgjør|oppsigelser|arbeidsledighet|arbeidsledige|pensjon|pensjonsalder|arbeidsgivere|arbeidstid|sysselsetting|lønnsøkning|permitteringer|arbeidsmarkedet|lønnsoppgjøret',
    'krig|tropper|soldater|hæren|militær|luftangrep|missil|beskytning|invasjon|våpenhvile|opprørere|kamper|fronten|artilleri|droneangrep|fredsforhandlinger|væpnede styrker|offensiv|gisler|militante',
    'jordskjelv|flom|skogbrann|orkan|tyfon|syklon|tornado|jordskred|tsunami|vulkanutbrudd|eksplosjon|togulykke|flystyrt|dødstall|redningsmannskaper|evakuert|katastrofe|brannvesen|ulykke|omkomne',
    'været|værmelding|regn|styrtregn|snø|snøfall|storm|torden|hetebølge|temperaturer|grader|frost|vind|tåke|tørke|farevarsel|Meteorologisk institutt|sol|kulde|hagl',
  ),
};
