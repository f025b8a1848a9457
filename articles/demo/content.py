"""The demo newsroom's content, written for this project.

Harbourside is a fictional estuary town in the fictional county of Merrow;
every person, place, company and event below is invented. Links point at
example.com, which exists for exactly this purpose.

Times are offsets from the moment ``load_demo`` first runs:
``publish_in_hours`` is negative for articles already out, positive for
scheduled ones. ``status`` is one of "published", "scheduled", "in_review",
"draft".

Long because it is data (the demo stories' text), not code.
"""

from __future__ import annotations

ILLUSTRATION_CREDIT = "Illustration: Newsroom demo"

# (username, password, role, group name, author slug or None)
DEMO_ACCOUNTS = [
    {"username": "admin", "password": "admin-demo-2026", "role": "superuser", "group": None},
    {"username": "editor", "password": "editor-demo-2026", "role": "editor", "group": "Editors"},
    {
        "username": "reporter",
        "password": "reporter-demo-2026",
        "role": "reporter",
        "group": "Reporters",
    },
    {
        "username": "moderator",
        "password": "moderator-demo-2026",
        "role": "comment moderator",
        "group": "Moderators",
    },
]

# Three colours per section for the generated hero illustrations: sky, sea, accent.
SECTIONS = [
    {
        "slug": "news",
        "name": "News",
        "position": 1,
        "description": "Harbourside and the Merrow coast: council, courts, schools, health.",
        "palette": ("#f4d3a1", "#1f4e6b", "#e8743b"),
    },
    {
        "slug": "world",
        "name": "World",
        "position": 2,
        "description": "The stories from beyond the estuary that matter here.",
        "palette": ("#c9dbe8", "#23395b", "#f2c14e"),
    },
    {
        "slug": "business",
        "name": "Business",
        "position": 3,
        "description": "The harbour economy: fishing, shipbuilding, shops and jobs.",
        "palette": ("#dfe7d1", "#2e5e4e", "#d9a441"),
    },
    {
        "slug": "culture",
        "name": "Culture",
        "position": 4,
        "description": "Festivals, galleries, music and the town's history.",
        "palette": ("#f1d4e0", "#4b2e5c", "#f08a5d"),
    },
    {
        "slug": "sport",
        "name": "Sport",
        "position": 5,
        "description": "Football, rowing and every club on the coast.",
        "palette": ("#d6eef2", "#135d66", "#ff6b35"),
    },
]

AUTHORS = [
    {
        "slug": "mara-okafor",
        "name": "Mara Okafor",
        "bio": "Local government reporter. Has covered Harbourside council, its budgets and "
        "its planning committee since 2019.",
        "user": "reporter",
    },
    {
        "slug": "tom-ferreira",
        "name": "Tom Ferreira",
        "bio": "News editor. Previously a crime and courts reporter on the Merrow coast.",
        "user": "editor",
    },
    {
        "slug": "priya-lindqvist",
        "name": "Priya Lindqvist",
        "bio": "Business correspondent: the harbour, the shipyard, the high street and the "
        "people who work there.",
        "user": None,
    },
    {
        "slug": "eilidh-marsh",
        "name": "Eilidh Marsh",
        "bio": "Arts and culture writer, and the paper's resident local historian.",
        "user": None,
    },
    {
        "slug": "sam-kowalczyk",
        "name": "Sam Kowalczyk",
        "bio": "Sports reporter. Has not missed a home game at Quayside Park in six seasons.",
        "user": None,
    },
    {
        "slug": "ines-carvalho",
        "name": "Ines Carvalho",
        "bio": "World affairs correspondent, writing on climate, trade and the sea.",
        "user": None,
    },
]

TAGS = {
    "harbour": "Harbour",
    "council": "Council",
    "transport": "Transport",
    "housing": "Housing",
    "environment": "Environment",
    "schools": "Schools",
    "weather": "Weather",
    "economy": "Economy",
    "fishing": "Fishing",
    "health": "Health",
    "arts": "Arts",
    "history": "History",
    "football": "Football",
    "rowing": "Rowing",
    "climate": "Climate",
    "shipping": "Shipping",
}

ARTICLES = [
    {
        "slug": "council-approves-plan-to-rebuild-harbourside-sea-wall",
        "headline": "Council approves £14m plan to rebuild Harbourside sea wall",
        "standfirst": "The 1930s wall that protects the lower town will be replaced over four "
        "winters, after engineers warned that parts of it could fail in a major storm.",
        "section": "news",
        "authors": ["mara-okafor"],
        "tags": ["council", "environment", "harbour"],
        "status": "published",
        "publish_in_hours": -3,
        "featured": True,
        "alt": "An abstract illustration of a sea wall holding back grey-blue waves at dusk.",
        "caption": "The sea wall runs from the Customs House to the old lifeboat slip.",
        "body": [
            "Harbourside's ageing sea wall will be rebuilt from the foundations up after "
            "councillors voted <strong>31 to 4</strong> on Tuesday night to approve a £14 "
            "million scheme, the largest single project the town has undertaken since the "
            "harbour was dredged in the 1980s.",
            "The wall, completed in 1934, shelters around 1,100 homes and most of the "
            "businesses on Quay Street. An inspection last spring found that the concrete "
            "had cracked along a third of its 1.8km length and that seawater was washing out "
            "the fill behind it. Engineers told the council that a storm surge like the one "
            "in 2014 could breach it in at least two places.",
            "Work will be done between October and March, when the tourist season is over, "
            "and is expected to take four winters. The promenade will stay open except for "
            "the section being rebuilt. About £9 million will come from the national flood "
            "defence fund; the rest will be borrowed and repaid over 25 years.",
            "\u201cThis is not a glamorous thing to spend money on, but nothing we do matters "
            "if the lower town floods,\u201d said Councillor Ruth Adeyemi, who chairs the "
            "environment committee. The four councillors who voted against said the town "
            "should have waited for a second opinion on the cost.",
            "The engineers' assessment and the full plans are published in <a href=\""
            "https://example.com/harbourside-council/sea-wall-plan\">the council's report</a>. "
            "A public exhibition opens at the library next month.",
        ],
        "corrections": [
            {
                "kind": "correction",
                "text": "An earlier version of this article said the sea wall was 1.2km long. "
                "It is 1.8km long.",
            }
        ],
    },
    {
        "slug": "night-ferry-to-skerry-island-returns",
        "headline": "Night ferry to Skerry Island to return after three-year gap",
        "standfirst": "Islanders who work late shifts on the mainland will no longer have to "
        "pay for a room in town when they miss the last boat at six.",
        "section": "news",
        "authors": ["tom-ferreira"],
        "tags": ["transport", "harbour"],
        "status": "published",
        "publish_in_hours": -20,
        "alt": "A small ferry crossing a dark blue sea under an orange moon.",
        "caption": "The crossing to Skerry Island takes 25 minutes.",
        "body": [
            "A late ferry between Harbourside and Skerry Island will run again from the "
            "first of next month, three years after it was cut when the operator lost money "
            "on the route.",
            "The 10.30pm sailing will run on Thursdays, Fridays and Saturdays for a trial "
            "period of a year. It is paid for by the county, which has agreed to cover any "
            "losses up to £120,000.",
            "About 340 people live on Skerry Island. Many work in the hospital, the pubs and "
            "the restaurants on the mainland, and several told this paper that they had been "
            "spending more than £50 a week on rooms in town. \u201cI was working to pay for a "
            "bed I only slept in because of the timetable,\u201d said Ana Petrescu, a nurse.",
            "The operator, Estuary Ferries, said it would publish passenger numbers every "
            "quarter so that the county can decide whether to keep the service.",
        ],
    },
    {
        "slug": "parents-fight-closure-of-st-brannocks-primary",
        "headline": "Parents fight closure of St Brannock's primary school",
        "standfirst": "The county says the village school has too few pupils; families say "
        "closing it would put five-year-olds on a 40-minute bus ride.",
        "section": "news",
        "authors": ["mara-okafor"],
        "tags": ["schools", "council"],
        "status": "published",
        "publish_in_hours": -30,
        "alt": "Rounded green hills and a pale sun, drawn in soft colours.",
        "caption": "St Brannock's has served the upper valley since 1871.",
        "body": [
            "More than 600 people have signed a petition against a plan to close St "
            "Brannock's primary school, which has 38 pupils and room for 90.",
            "Merrow County Council says that keeping the school open costs almost twice as "
            "much per pupil as the county average, and that children would get a wider "
            "choice of lessons and clubs at the larger school in Harbourside.",
            "Parents say the numbers leave out the cost of the journey. The nearest "
            "alternative is 11 miles away by a road that often floods in winter. "
            "\u201cWe are talking about four- and five-year-olds on a bus before eight in "
            "the morning,\u201d said Joe Tremayne, who has two children at the school.",
            "The consultation closes at the end of the month. The county's cabinet will "
            "make its decision in the spring.",
        ],
    },
    {
        "slug": "flood-warnings-for-lower-town-as-storm-ilse-arrives",
        "headline": "Storm Ilse: flood warnings for the lower town as high tides meet heavy rain",
        "standfirst": "Residents of Quay Street and Mill Lane are asked to move cars and "
        "valuables before the high tide at 7.40am.",
        "section": "news",
        "authors": ["tom-ferreira", "mara-okafor"],
        "tags": ["weather", "environment"],
        "status": "published",
        "publish_in_hours": -50,
        "alt": "Dark storm clouds over a churning sea, in deep blues and greys.",
        "caption": "Storm Ilse is expected to bring gusts of up to 70mph.",
        "body": [
            "Flood warnings are in force for the lower town, where the spring tide and up "
            "to 60mm of rain are expected to arrive together on Thursday morning.",
            "The Environment Agency said the highest risk was between 6am and 10am. The "
            "council has put out sandbags at the fire station and at the car park on Mill "
            "Lane, and asked people in the lower town to <strong>move their cars to the "
            "Upper Green car park</strong>, which will be free until Friday.",
            "Schools are expected to open as normal. The Skerry Island ferry is cancelled "
            "for the day.",
            'Current warnings are on <a href="https://example.com/flood-warnings/merrow">the '
            "flood warning service</a>. In an emergency, call 999.",
        ],
    },
    {
        "slug": "hospital-trust-opens-walk-in-clinic-on-dock-street",
        "headline": "Hospital trust opens walk-in clinic on Dock Street",
        "standfirst": "The clinic will treat minor injuries seven days a week and is meant to "
        "take pressure off the emergency department.",
        "section": "news",
        "authors": ["mara-okafor"],
        "tags": ["health"],
        "status": "draft",
        "alt": "Soft white and teal shapes suggesting a clinic window.",
        "caption": "The clinic occupies the former harbour master's office.",
        "body": [
            "A walk-in clinic for minor injuries and illnesses will open on Dock Street next "
            "week, the Merrow Coast Hospitals Trust has confirmed.",
            "It will be open from 8am to 8pm every day and will be staffed by nurse "
            "practitioners. The trust hopes it will see about 80 patients a day who would "
            "otherwise have gone to the emergency department at Merrow General.",
            "[Reporter's note: waiting for the trust's figures on current A&E waiting times.]",
        ],
    },
    {
        "slug": "empty-harbour-warehouses-could-become-homes",
        "headline": "Empty harbour warehouses could become 200 homes",
        "standfirst": "A developer wants to turn the three Victorian warehouses on the east "
        "quay into flats, a third of them at below-market rents.",
        "section": "news",
        "authors": ["mara-okafor"],
        "tags": ["housing", "harbour", "council"],
        "status": "in_review",
        "alt": "Three tall rectangular shapes reflected in still water.",
        "caption": "The east quay warehouses have been empty since 2011.",
        "body": [
            "The three empty warehouses on Harbourside's east quay could be turned into 200 "
            "homes under plans submitted to the council this week.",
            "The developer, Eastquay Homes, says 70 of the flats would be let at 80% of "
            "market rents to people who work in the town. The ground floors would become "
            "shops, a caf\u00e9 and a public walkway along the water.",
            "The buildings are listed, and Historic Merrow has asked to see detailed drawings "
            "of the windows and roofs before it comments. The planning committee is "
            "expected to consider the application in the summer.",
        ],
    },
    {
        "slug": "coastal-cities-sign-pact-to-share-flood-defence-data",
        "headline": "Coastal cities sign pact to share flood-defence data",
        "standfirst": "Forty port cities will pool tide gauges, storm records and the results "
        "of their defence projects, including the ones that failed.",
        "section": "world",
        "authors": ["ines-carvalho"],
        "tags": ["climate", "environment"],
        "status": "published",
        "publish_in_hours": -8,
        "alt": "A globe-like circle above layered blue waves.",
        "caption": "Sea levels have risen about 20cm since 1900.",
        "body": [
            "Forty coastal cities on four continents have agreed to share their flood "
            "records, tide measurements and engineering studies in a common open database, "
            "at the end of a three-day meeting of port authorities.",
            "The agreement is unusual in that it includes failures. Cities will publish "
            "reports on defences that were breached or that cost far more than planned, "
            "which officials said were the most useful and the least often shared.",
            "\u201cEvery city is paying to learn the same lessons separately,\u201d said the "
            "meeting's chair. \u201cA sea wall that failed in one harbour is the cheapest "
            "study another harbour will ever get.\u201d",
            "The first data is due to be published within a year. Smaller ports, including "
            "several on the Merrow coast, can join as observers.",
        ],
    },
    {
        "slug": "wheat-harvest-eases-pressure-on-food-prices",
        "headline": "Strong harvests ease pressure on food prices, analysts say",
        "standfirst": "Grain prices have fallen for a fourth month, but shoppers may not feel "
        "the difference until the summer.",
        "section": "world",
        "authors": ["ines-carvalho"],
        "tags": ["economy"],
        "status": "published",
        "publish_in_hours": -60,
        "alt": "Golden bands of colour like fields under a wide pale sky.",
        "caption": "Wheat prices are back to where they were three years ago.",
        "body": [
            "Good harvests in several of the world's main growing regions have pushed grain "
            "prices down for the fourth month running, according to figures published by "
            "commodity analysts on Monday.",
            "Wheat is now trading at roughly the level it was three years ago, before a "
            "run of droughts and high fertiliser costs pushed prices to record highs.",
            "Economists warned that the fall would take months to reach supermarket shelves. "
            "Bread and pasta prices depend as much on energy, wages and transport as on the "
            "price of grain, and retailers buy months in advance.",
        ],
    },
    {
        "slug": "northern-shipping-lanes-open-a-month-early",
        "headline": "Northern shipping lanes open a month early as sea ice retreats",
        "standfirst": "Shipping companies welcome a shorter route between Europe and Asia; "
        "scientists say the early opening is a warning.",
        "section": "world",
        "authors": ["ines-carvalho"],
        "tags": ["climate", "shipping"],
        "status": "scheduled",
        "publish_in_hours": 6,
        "alt": "White floating shapes on a deep blue sea under a low yellow sun.",
        "caption": "The northern route can cut a voyage by ten days.",
        "body": [
            "Cargo ships will be able to use the northern sea route a month earlier than "
            "usual this year, after satellite images showed the sea ice breaking up in the "
            "first weeks of spring.",
            "The route can save ten days on a voyage between northern Europe and east Asia. "
            "Several shipping companies said they had already booked ice-class vessels.",
            "Climate scientists said the early opening fitted a long-term decline in sea ice "
            "and warned that more traffic would bring a higher risk of fuel spills in waters "
            "where rescue services are far away.",
        ],
    },
    {
        "slug": "fish-market-turns-a-profit-for-first-time-in-a-decade",
        "headline": "Fish market turns a profit for the first time in a decade",
        "standfirst": "Selling directly to restaurants and opening on Saturdays has turned "
        "round the council-owned market on the west quay.",
        "section": "business",
        "authors": ["priya-lindqvist"],
        "tags": ["fishing", "economy", "harbour"],
        "status": "published",
        "publish_in_hours": -12,
        "featured": True,
        "alt": "Stylised fish shapes swimming across a green and gold background.",
        "caption": "Seven boats now land their catch at Harbourside every day.",
        "body": [
            "Harbourside fish market made a profit of £86,000 last year, its first surplus "
            "since 2014, according to accounts presented to the council's finance committee.",
            "The market's manager, Kofi Mensah, said two changes made the difference: an "
            "online ordering service that lets restaurants across the county buy directly "
            "from the morning auction, and a Saturday retail market that now draws about "
            "1,500 visitors a week.",
            "\u201cFive years ago we were talking about closing it,\u201d Mensah said. "
            "\u201cNow we have boats from other harbours asking if they can land here.\u201d",
            "The profit will be spent on a new ice plant. The accounts are available on "
            '<a href="https://example.com/harbourside-council/fish-market-accounts">the '
            "council's website</a>.",
        ],
    },
    {
        "slug": "shipyard-wins-contract-for-three-electric-ferries",
        "headline": "Harbourside Shipyard wins contract for three electric ferries",
        "standfirst": "The £38m order secures 240 jobs for at least four years and makes the "
        "yard one of the first in the country to build battery ferries.",
        "section": "business",
        "authors": ["priya-lindqvist"],
        "tags": ["economy", "shipping", "harbour"],
        "status": "published",
        "publish_in_hours": -70,
        "alt": "A ship's hull outline in gold against green water.",
        "caption": "The first hull will be laid down in the autumn.",
        "body": [
            "Harbourside Shipyard has won a £38 million contract to build three battery-"
            "electric ferries for an island operator, the yard's biggest order in twenty "
            "years.",
            "The ferries will each carry 60 cars and 300 passengers and recharge in the "
            "twenty minutes they spend in port. The yard says the contract secures its 240 "
            "jobs for at least four years and that it will take on <strong>30 new "
            "apprentices</strong>.",
            "Union officials welcomed the news but said the yard would need a new dry dock "
            "to compete for larger ships. The company said it was \u201cin talks\u201d about "
            "funding one.",
        ],
    },
    {
        "slug": "town-centre-shops-report-busiest-december",
        "headline": "Town-centre shops report their busiest December in five years",
        "standfirst": "Free parking after 3pm and the late-night market brought shoppers back "
        "to Fore Street, traders say.",
        "section": "business",
        "authors": ["priya-lindqvist"],
        "tags": ["economy"],
        "status": "draft",
        "alt": "Warm lights in rows across a dark background.",
        "caption": "Fore Street on a December evening.",
        "body": [
            "Independent shops on Fore Street had their busiest December in five years, "
            "according to a survey by the Harbourside Traders' Association.",
            "Two-thirds of the 48 businesses that answered said sales were up on the year before.",
            "Traders credited the council's decision to make parking free after 3pm and the "
            "Thursday late-night market, which ran through Advent for the first time. "
            "[Editor: add the council's response before this goes to the desk.]",
        ],
    },
    {
        "slug": "lighthouse-festival-announces-biggest-line-up",
        "headline": "Lighthouse Festival announces its biggest line-up yet",
        "standfirst": "Three stages, a new family field and, for the first time, a programme "
        "of talks in the old lighthouse itself.",
        "section": "culture",
        "authors": ["eilidh-marsh"],
        "tags": ["arts"],
        "status": "published",
        "publish_in_hours": -5,
        "alt": "A lighthouse beam drawn as bright rays across a violet sky.",
        "caption": "The festival began in 2009 with one stage on the headland.",
        "body": [
            "The Lighthouse Festival will return to the headland in August with more than 60 "
            "acts on three stages, its organisers announced on Friday.",
            "The programme mixes folk, jazz and electronic music with a new family field "
            "and, for the first time, a series of small talks inside the restored "
            "lighthouse, where there is room for an audience of 25.",
            "Tickets go on sale next week. Residents of Harbourside and Skerry Island can "
            "buy day tickets at half price. <strong>The festival will run a shuttle bus "
            "from the station</strong> after complaints about parking last year.",
        ],
    },
    {
        "slug": "forgotten-harbour-photographs-go-on-show",
        "headline": "Forgotten harbour photographs go on show at the Customs House",
        "standfirst": "Glass negatives found in a loft show the working harbour between the "
        "wars, from herring girls to the launch of the lifeboat.",
        "section": "culture",
        "authors": ["eilidh-marsh"],
        "tags": ["arts", "history", "harbour"],
        "status": "published",
        "publish_in_hours": -40,
        "alt": "Sepia-toned rectangles like old photographs scattered on a purple background.",
        "caption": "More than 400 glass negatives were found in the loft.",
        "body": [
            "More than 400 glass negatives discovered in the loft of a house on Chapel Hill "
            "have been printed for the first time and go on show at the Customs House from "
            "Saturday.",
            "They were taken between 1921 and 1938 by Edith Polglase, who ran a small "
            "portrait studio on Fore Street. Alongside weddings and school groups, she "
            "photographed the harbour almost every week: herring girls gutting fish on the "
            "quay, the launch of the first motor lifeboat, the great freeze of 1929.",
            "\u201cShe was photographing work that nobody else thought worth recording,\u201d "
            "said the exhibition's curator. Visitors are invited to help identify the "
            "people in the pictures.",
            "Admission is free. The exhibition runs until the end of September.",
        ],
    },
    {
        "slug": "athletic-snatch-late-winner-in-estuary-derby",
        "headline": "Harbourside Athletic snatch late winner in the estuary derby",
        "standfirst": "A 93rd-minute header from Liam Osei settled a scrappy, bad-tempered "
        "match at Quayside Park.",
        "section": "sport",
        "authors": ["sam-kowalczyk"],
        "tags": ["football"],
        "status": "published",
        "publish_in_hours": -2,
        "alt": "A bright orange ball arcing over teal and white stripes.",
        "caption": "Quayside Park's biggest crowd of the season: 2,140.",
        "body": [
            "<strong>Harbourside Athletic 2 Calder Vale 1.</strong> Liam Osei's header in "
            "the third minute of stoppage time gave Athletic their first derby win in two "
            "years and lifted them to fourth in the table.",
            "Calder Vale had led at half-time through a deflected shot, and had a player "
            "sent off for a second yellow card ten minutes after the break. Athletic "
            "equalised from the penalty spot on 71 minutes.",
            "\u201cIt was not pretty, but nobody will remember that on Monday,\u201d said "
            "Athletic's manager. Athletic are away at Penmarrow next Saturday.",
        ],
    },
    {
        "slug": "rowing-club-womens-eight-qualify-for-national-finals",
        "headline": "Rowing club's women's eight qualify for the national finals",
        "standfirst": "The crew, who train on the estuary at six every morning, are the "
        "club's first to reach the finals since 1997.",
        "section": "sport",
        "authors": ["sam-kowalczyk"],
        "tags": ["rowing"],
        "status": "scheduled",
        "publish_in_hours": 44,
        "alt": "Long thin boat shapes gliding over layered teal water.",
        "caption": "The crew train on the estuary between the bridge and the bar.",
        "body": [
            "Harbourside Rowing Club's women's eight have qualified for the national finals "
            "after finishing second in their regional regatta on Sunday.",
            "It is the first time a crew from the club has reached the finals since 1997. "
            "The eight, whose ages range from 19 to 54, train on the estuary six mornings a "
            "week before work.",
            "The club is raising money to hire a trailer to take its boat to the finals. "
            "Its coach said the crew's aim was \u201cto row the best race we have rowed, and "
            "see where that puts us.\u201d",
        ],
    },
]
