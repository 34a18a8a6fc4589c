"""Word lists the rules match against.

Lists hold base forms; `verb_forms()` expands verbs to their inflections once at import so the
rules only do set look-ups per call. Lists are built from the rubric's definitions, never from
memorised OKR phrases.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string."""
    return frozenset(text.split())


VOWELS = frozenset("aeiou")


def _inflections(base: str) -> set[str]:
    forms = {base}
    if base.endswith("e"):
        forms |= {base + "s", base + "d", base[:-1] + "ing"}
    elif base.endswith("y") and base[-2:-1] not in VOWELS:
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {base + "es", base + "ed", base + "ing"}
    else:
        forms |= {base + "s", base + "ed", base + "ing"}
        # Short consonant-vowel-consonant verbs double the last letter (ship -> shipped).
        if (
            len(base) <= 4
            and base[-1] not in VOWELS | {"w", "x", "y"}
            and base[-2] in VOWELS
            and base[-3:-2] not in VOWELS
        ):
            forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return forms


IRREGULAR: dict[str, tuple[str, ...]] = {
    "run": ("ran", "run", "running"),
    "write": ("wrote", "written"),
    "build": ("built",),
    "hold": ("held",),
    "set": ("setting",),
    "begin": ("began", "begun", "beginning"),
    "make": ("made",),
    "get": ("got", "gotten", "getting"),
    "grow": ("grew", "grown"),
    "keep": ("kept",),
    "win": ("won", "winning"),
    "send": ("sent",),
    "hit": ("hitting",),
    "cut": ("cutting",),
    "draw": ("drew", "drawn"),
    "give": ("gave", "given"),
    "bring": ("brought",),
    "sell": ("sold",),
    "lead": ("led",),
    "take": ("took", "taken"),
    "do": ("did", "done", "does", "doing"),
    "rewrite": ("rewrote", "rewritten"),
    "choose": ("chose", "chosen"),
    "put": ("putting",),
    "stand": ("stood",),
    "spin": ("spun", "spinning"),
    "find": ("found",),
    "pay": ("paid",),
    "drive": ("drove", "driven"),
    "rise": ("rose", "risen"),
    "fall": ("fell", "fallen"),
    "speak": ("spoke", "spoken"),
}


IRREGULAR_FORMS: frozenset[str] = frozenset(f for fs in IRREGULAR.values() for f in fs)


def verb_forms(bases: frozenset[str]) -> dict[str, str]:
    """Map every inflected form of the given verbs to its base form."""
    out: dict[str, str] = {}
    for base in bases:
        for form in _inflections(base) | set(IRREGULAR.get(base, ())):
            out.setdefault(form, base)
    return out


# Verbs whose object is the team's own work or artifact (rubric KR-04 / OBJ-04).
OUTPUT_VERBS: frozenset[str] = words("""
    launch ship build implement publish write hire run conduct create migrate document train
    deliver define draft develop design redesign release deploy host hold organise organize
    establish introduce produce prepare complete finish finalise finalize integrate add automate
    refactor rewrite upgrade replace install configure setup start begin initiate plan research
    investigate explore evaluate assess audit review analyse analyze identify map track monitor
    collect gather interview test pilot prototype outline formalise formalize standardise
    standardize consolidate deprecate remove fix send post attend present speak participate submit
    file translate record film sponsor contact call email visit recruit update refresh revamp
    rebrand overhaul restructure reorganise reorganize decide choose select announce open
    distribute print compile screen digitise digitize modernise modernize align move
    serve write-up mentor coach teach educate onboard-staff onboard support provide
    offer enable instrument refine clarify communicate share sunset archive purchase procure
    negotiate sign-off host convene execute facilitate schedule kick-off expand-team staff fund
    """)

# Verbs that only count as output when followed by another particle ("set up", "roll out").
OUTPUT_PHRASAL: frozenset[str] = frozenset(
    {
        "set up",
        "roll out",
        "kick off",
        "stand up",
        "spin up",
        "put in",
        "clean up",
        "write up",
        "sign off",
        "reach out",
        "carry out",
        "put together",
        "figure out",
        "work on",
        "work with",
        "partner with",
        "come up",
        "lay out",
        "map out",
        "build out",
        "hand over",
        "switch to",
        "move to",
        "transition to",
        "get started",
        "get ready",
        "stand-up",
        "go live",
        "go-live",
        "cut over",
        "switch over",
    }
)

# Verbs describing a change or level of a metric (the outcome framing).
CHANGE_VERBS: frozenset[str] = words("""
    increase grow reduce decrease raise improve cut lower boost lift drop shrink double triple
    quadruple halve expand accelerate slash decline rise fall climb minimise minimize maximise
    maximize shorten speed trim
    """)
LEVEL_VERBS: frozenset[str] = words("""
    reach achieve attain hit exceed maintain keep sustain stay remain hold surpass secure earn
    generate sell sign win acquire retain convert close gain attract welcome save recover collect-
    book land bring get obtain serve enrol enroll register engage activate return
    """)
MAINTAIN_VERBS: frozenset[str] = words("maintain keep sustain stay remain hold")

# Verbs at objective start that signal business-as-usual (OBJ-03).
BAU_VERBS: frozenset[str] = words(
    "maintain continue keep sustain support preserve uphold manage operate administer"
)

# Verbs describing others doing something: the subject of an outcome clause.
BEHAVIOUR_VERBS: frozenset[str] = words("""
    use adopt buy purchase pay renew return complete finish start join sign subscribe upgrade
    recommend refer invite share contribute make open submit attend choose switch stay visit
    read watch rate report resolve find book donate volunteer apply enrol enroll graduate pass
    activate convert churn leave cancel spend save borrow ride rent order log reach get receive
    say score respond answer deploy merge send create publish request file review complete
    """)

# Completion predicates that make a KR a done/not-done milestone (KR-05).
COMPLETION_PREDICATES: tuple[str, ...] = (
    "is live",
    "are live",
    "goes live",
    "go live",
    "went live",
    "gone live",
    "be live",
    "in place",
    "in production",
    "up and running",
    "is complete",
    "are complete",
    "completed",
    "is done",
    "are done",
    "is finished",
    "is launched",
    "are launched",
    "launched",
    "is enabled",
    "are enabled",
    "enabled",
    "approved",
    "signed off",
    "is available",
    "are available",
    "made available",
    "is operational",
    "are operational",
    "is ready",
    "are ready",
    "is implemented",
    "are implemented",
    "implemented",
    "is deployed",
    "deployed",
    "released",
    "is released",
    "shipped",
    "rolled out",
    "is published",
    "published",
    "certified",
    "certification",
    "is adopted",
    "agreed",
    "ratified",
    "signed",
    "established",
    "is in use",
    "are in use",
    "exists",
    "is set up",
    "are set up",
    "set up",
    "migrated",
    "decommissioned",
    "retired",
    "passed",
    "go-live",
    "accredited",
    "compliant",
    "finalised",
    "finalized",
    "delivered",
    "is defined",
    "obtained",
    "granted",
    "awarded",
    "available",
    "are defined",
    "defined",
    "documented",
)

# Nouns that name a quantity on a scale (KR-01).
METRIC_NOUNS: frozenset[str] = words("""
    rate rates ratio time times nps csat ces churn retention revenue revenues arr mrr gmv margin
    margins cost costs spend conversion conversions latency uptime availability score scores
    satisfaction engagement adoption usage share percentage percent proportion number count volume
    throughput speed duration mttr mttd mtta errors error incidents incident defects defect bugs
    complaints backlog wait resolution ltv cac aov dau mau wau bookings pipeline leads
    signups sign-ups subscribers members donations donors attendance occupancy utilisation
    utilization turnover attrition headcount accuracy coverage yield roi profit profits income
    growth nrr grr dollars budget savings visits visitors traffic downloads installs views
    followers reach impressions footfall ridership trips rides rentals enrolment enrollment
    readmissions readmission punctuality sla deflection p50 p75 p90 p95 p99 percentile median
    average mean frequency payback lifetime renewals renewal expansion contribution contributions
    subscriptions
    orders transactions purchases registrations responses response delay delays outages outage
    downtime crashes crash cycle-time lead-time rating ratings reviews funding grants
    participation completion activation activations referrals shares clicks ctr opens cpu memory
    emissions waste energy accidents injuries wins deals quota arpu arpa velocity commits
    tickets hours days minutes weeks seconds per spend discounting discounts awareness timeliness
    gifts attrition frequency authority coverage wait waits abandonment absenteeism shrink
    on-time punctuality backlog mttr mttd nrr deflection hires maintainers members accuracy
    drop-off drop-offs dropoff bounce no-show no-shows
    """)

# Metric nouns that name a business or user result (an output verb with these is still outcome).
RESULT_NOUNS: frozenset[str] = words("""
    uptime availability revenue arr mrr gmv nps csat satisfaction retention savings margin profit
    growth conversion churn latency sales bookings income roi nrr grr donations funding adoption
    engagement ridership attendance occupancy accuracy profitability ebitda
    """)

# Metrics that are usually vanity or reach (KR-11).
VANITY_TERMS: frozenset[str] = words("""
    views pageviews page-views followers likes downloads impressions registrations mentions
    visits visitors traffic reach reached stars retweets reposts subscribers clicks installs hits
    signatures enrolled list followers fans authority members shares upvotes claps signups sign-ups
    awareness listens listeners plays streams pulls
    """)
# Social platforms: engagement, reach or follower metrics on them are reach metrics even as rates.
SOCIAL_PLATFORMS: frozenset[str] = words("""
    instagram tiktok facebook twitter linkedin youtube pinterest snapchat reddit mastodon
    bluesky threads social discord matrix slack gitter zulip telegram whatsapp irc
    """)
SOCIAL_REACH_TERMS: frozenset[str] = words("""
    engagement likes followers reach impressions views shares reposts retweets comments
    mentions subscribers fans audience members membership joins joiners
    """)
# Terms that tie a reach metric to value: activation, retention, revenue.
VALUE_TERMS: frozenset[str] = words("""
    activate activated activation retain retained retention revenue paid paying pay convert
    converted conversion conversions trial trials purchase purchases buy buyers active churn renew
    renewal renewals mrr arr who which that subscribe return returning repeat engaged donate
    donation donations complete completed order orders booking bookings
    """)

# Internal-only metrics with no user or business link (KR-12).
INTERNAL_TERMS: tuple[str, ...] = (
    "utilisation",
    "utilization",
    "story points",
    "lines of code",
    "velocity",
    "commits",
    "tickets closed",
    "closed tickets",
    "cpu",
    "hours logged",
    "meetings held",
    "emails sent",
    "test coverage",
    "code coverage",
    "jira",
    "pull requests opened",
    "build time",
)
USER_OR_BUSINESS_TERMS: frozenset[str] = words("""
    customer customers user users client clients revenue cost costs churn retention satisfaction
    nps csat patients riders members students donors visitors latency uptime availability
    outage outages incidents cost per margin paying subscribers accounts
    """)

# Vague qualifiers and absolutes (KR-06); the second set are quantifiers that stand in for a number.
VAGUE_TERMS: frozenset[str] = words("""
    better best most always never world-class significant significantly improve improved
    improving substantial substantially major great greater more less fewer faster quicker easier
    smoother seamless seamlessly robust optimal optimised optimized many several some lots
    plenty adequate adequately appropriate effective effectively efficient efficiently strong
    stronger excellent best-in-class industry-leading high-quality higher lower meaningful
    meaningfully considerable considerably dramatically drastically noticeably good enough
    sufficient reasonable reasonably much high possible low quickly sooner
    healthy acceptable fast promptly timely mostly largely mainly generally usually typically
    """)
VAGUE_QUANTIFIERS: frozenset[str] = words(
    "most majority many several some few always never numerous lots plenty mostly largely "
    "mainly generally usually typically"
)

# Subjective self-assessment without an instrument (KR-10).
SUBJECTIVE_TERMS: frozenset[str] = words("""
    feel feels felt feeling perceive perceived perception subjectively sense happier
    happy confident believe believes think thinks impression seem seems vibe love loves loved
    enjoy enjoys enjoyed delighted proud
    """)
# Scores that have an agreed public definition; other "<word> score/index" need a definition.
KNOWN_SCORES: frozenset[str] = words("""
    nps csat ces sus enps net promoter credit lighthouse apdex cvss satisfaction effort quality
    reading test exam sat gpa customer
    """)

# Things a team itself produces: a count of these is an output (KR-04).
ARTIFACT_NOUNS: frozenset[str] = words("""
    feature features release releases post posts article articles blog blogs video videos event
    events workshop workshops webinar webinars session sessions meetup meetups talk talks
    interview interviews call calls meeting meetings campaign campaigns email emails newsletter
    newsletters experiment experiments test tests prototype prototypes page pages guide guides doc
    docs documentation tutorial tutorials course courses training trainings module modules
    template templates integration integrations hire hires report reports plan plans proposal
    proposals application applications pitch pitches demo demos outreach episode episodes podcast
    podcasts case studies study studies whitepaper whitepapers ebook ebooks playbook playbooks
    policy policies process processes dashboard dashboards tool tools app website site roadmap
    strategy framework system systems pipeline pipelines api apis sdk version prd spec specs
    specification mvp beta alpha pilot pilots program programme programs programmes initiative
    initiatives hackathon hackathons conference conferences qbrs qbr
    services service meals parcels kits forms runbooks gates stores shows booth booths
    survey surveys
    engineers engineer designers designer recruiters recruiter staff people person positions
    roles role headcount contractor contractors analysts analyst managers manager hires
    components component screens screen endpoints endpoint tickets ticket bugs bug prs commits
    lessons lesson curriculum materials infographics posters flyers brochures slides deck decks
    chapters chapter book books translations sprints sprint iterations milestones
    epics epic stories story tasks task deliverables deliverable workstreams workstream
    projects project agreements agreement mous mou memoranda memorandum issue
    """)

# Past participles that report a team's own work as done ("5 posts published").
OUTPUT_PARTICIPLES: frozenset[str] = words("""
    delivered shipped published launched hired built created written completed released
    implemented migrated deployed run held conducted trained documented designed developed
    hosted organised organized produced prepared drafted sent posted submitted made done
    finished recorded filmed translated fixed closed resolved-internally added integrated
    automated refactored rewritten upgraded installed configured defined
    """)

# People or organisations the team serves or works with: when they act or change, it is an
# outcome (coach.rules.subject reads them as "others").
SERVED_NOUNS: frozenset[str] = words("""
    customer customers user users client clients member members contributor contributors rider
    riders patient patients student students learner learners donor donors
    visitor visitors reader readers subscriber subscribers account accounts merchant merchants
    partner partners developer developers agency agencies families
    family resident residents citizen citizens household households company companies
    organisation organisations organization organizations school schools clinic clinics library
    libraries attendee attendees participant participants buyer buyers seller sellers shopper
    shoppers parent parents children authors advertisers tenant tenants guest guests travellers
    travelers passenger passengers applicant applicants people community communities cities
    city hospitals hospital farmers businesses smes startups
    freelancers creators hosts borrowers beneficiaries youth adults women girls
    caregivers owners users' customers' newcomers
    """)
# People who are often the organisation's own staff, and its own units: when they do N things it
# is the team's work (an output), though they can also be the people a change is for.
STAFF_NOUNS: frozenset[str] = words("""
    volunteer volunteers employee employees staff team teams driver drivers nurse nurses doctor
    doctors teacher teachers maintainers maintainer editors researchers engineers accountants
    admins administrators operators agent agents rep reps crew crews
    """)
# People or organisations whose behaviour is an outcome; also used to name the beneficiary.
BENEFICIARY_NOUNS: frozenset[str] = SERVED_NOUNS | (
    STAFF_NOUNS - words("agent agents rep reps crew crews")
)

# Words that say a count is of new things, so its baseline is zero (KR-03 exemption).
NEW_THINGS_TERMS: frozenset[str] = words(
    "new first first-time additional net-new newly incremental fresh more"
)


# Company-level metrics a single team rarely controls (KR-17).
COMPANY_METRICS: tuple[str, ...] = (
    "arr",
    "company revenue",
    "total revenue",
    "company-wide",
    "valuation",
    "share price",
    "ebitda",
    "market share",
    "net income",
    "stock price",
)

# Metrics that move slowly: lagging indicators (KR-18).
LAGGING_TERMS: tuple[str, ...] = (
    "annual",
    "yearly",
    "renewal",
    "renewals",
    "arr",
    "revenue",
    "ltv",
    "lifetime value",
    "12-month",
    "twelve-month",
    "annualised",
    "annualized",
    "profit",
    "ebitda",
    "valuation",
    "market share",
    "year-end",
)

# Quality/guardrail terms that pair with a volume KR (SET-04).
QUALITY_TERMS: tuple[str, ...] = (
    "quality",
    "error",
    "errors",
    "defect",
    "defects",
    "csat",
    "nps",
    "satisfaction",
    "complaint",
    "complaints",
    "latency",
    "accuracy",
    "churn",
    "retention",
    "refund",
    "refunds",
    "rework",
    "reopen",
    "reopened",
    "escalation",
    "escalations",
    "incident",
    "incidents",
    "rating",
    "ratings",
    "stays",
    "remains",
    "without",
    "no more than",
    "at most",
    "crash",
    "crashes",
    "bug",
    "bugs",
    "uptime",
    "availability",
    "safety",
    "readmission",
    "readmissions",
)
VOLUME_TERMS: tuple[str, ...] = (
    "more",
    "number of",
    "volume",
    "tickets",
    "per agent",
    "per week",
    "per day",
    "per month",
    "calls",
    "deals",
    "leads",
    "signups",
    "sign-ups",
    "throughput",
    "output",
    "shipped",
    "closed",
    "handled",
    "processed",
    "faster",
    "speed",
    "count",
    "new",
)
ACTIVITY_FACETS: tuple[str, ...] = ("signups", "sign-ups", "registrations", "downloads", "views")

# Objective-level words.
JARGON_TERMS: frozenset[str] = words("""
    synergy synergies leverage leveraging holistic paradigm best-of-breed scalable ecosystem
    bandwidth alignment operationalise operationalize strategic optimise optimize streamline
    robust seamless end-to-end frictionless north-star value-add actionable enablement
    """)
NEGATIVE_STARTS: frozenset[str] = words("stop avoid don't dont never no quit cease")
GENERIC_OBJECTIVE_TERMS: frozenset[str] = words("""
    improve better best excellence excellent great success successful things stuff everything
    performance quality experience efficiency effectiveness overall general various
    """)
ASPIRATION_WORDS: frozenset[str] = words("""
    make become delight empower enable help build create turn transform win lead earn own
    unlock grow scale simplify strengthen deepen establish champion inspire ensure give bring
    double reinvent redefine
    """)

# Verbs that describe what *others* do when they have a subject ("Families donate ..."), but are
# the team's own task when used as a bare imperative ("Apply for 5 grants", "Adopt a new CRM").
IMPERATIVE_TASK_VERBS: frozenset[str] = words("""
    adopt apply attend visit submit file request read watch share invite refer recommend donate
    volunteer join subscribe buy purchase order use merge switch log choose publish create send
    review complete finish start open deploy
    """)

# First words that begin a noun phrase, not an imperative, even when a number or article follows
# ("Over 90% of ...", "Grade 3 readers ...", "Net 40 new logos ...").
NOT_IMPERATIVE_STARTS: frozenset[str] = words("""
    over under above below at least only nearly almost about around approximately roughly just
    exactly top bottom median average mean total net gross overall additional extra every each
    most many some several few no zero new first last next annual monthly weekly daily yearly
    quarterly grade grades tier level phase stage class cohort wave round step route zone district
    region ward floor line site store room gate year week day month quarter sprint cycle section
    chapter title item priority sev severity type category version team group unit
    p0 p1 p2 p3 in on by for of to from with within across during through before after until
    since than per via without while when where once if as and or but a an the our their its
    your my his her this that these those all both either neither half double triple up down
    """)

# Things won or granted by someone else: a KR that only names one of these is a done/not-done
# milestone (KR-05), e.g. a certification, an accreditation, a clean audit opinion.
ACHIEVEMENT_NOUNS: frozenset[str] = words("""
    certification certificate certified accreditation accredited opinion approval approved award
    badge designation licence license charter endorsement recognition sign-off status
    compliance attestation clearance authorisation authorization permit renewal seal
    audit grant contract tender
    """)
ACHIEVE_VERBS: frozenset[str] = words(
    "achieve attain obtain receive earn gain get pass win secure maintain keep retain"
)

# Comparative words that state only a direction ("Shorter wait times", "Cheaper deliveries").
DIRECTION_COMPARATIVES: frozenset[str] = words("""
    shorter longer fewer less more higher lower faster slower quicker sooner earlier later
    cheaper smaller bigger larger safer healthier simpler tighter leaner greater
    """)
# Comparatives that name a dimension (cost, time, count, size), so a measure is implied.
DIMENSIONAL_COMPARATIVES: frozenset[str] = words("""
    shorter longer fewer faster slower quicker sooner earlier later cheaper smaller bigger larger
    """)
# Adverbs that turn an activity verb into a rate ("Deploy more often", "Release faster").
FREQUENCY_ADVERBS: frozenset[str] = words(
    "often frequently regularly faster quicker sooner daily weekly"
)

# People counted after a number: an output only when the team hired or trained them.
HUMAN_COUNT_NOUNS: frozenset[str] = words("""
    people person staff engineers engineer designers designer recruiters recruiter analysts
    analyst managers manager contractor contractors
    """)
HIRING_PARTICIPLES: frozenset[str] = words(
    "hired recruited trained onboarded staffed added placed appointed coached mentored"
)

# Objective-level vocabulary for OBJ-15 (vague or generic objectives).
# Verbs that state an intent without saying what changes ("Drive ...", "Enhance ...").
GENERIC_VERBS: frozenset[str] = words("""
    improve enhance drive optimise optimize foster advance elevate boost strengthen deepen
    increase grow do deliver provide ensure achieve pursue promote champion prioritise prioritize
    focus accelerate expand maximise maximize leverage invest
    """)
# Abstract nouns that name no particular thing, user or problem ("value", "excellence").
ABSTRACT_NOUNS: frozenset[str] = words("""
    value excellence processes process operations operational capabilities capability outcomes
    results impact presence visibility innovation collaboration communication partnerships
    relationships alignment efficiency effectiveness performance quality growth reach brand
    culture standards delivery execution productivity scalability stability security
    reliability sustainability transformation synergies excellence good strategy
    position positioning footprint capacity maturity agility resilience experience experiences
    care service services support offering offerings solutions programs programmes
    """)
# Qualities with no scale of their own: "improve X" on one of these names no metric (KR-01).
ABSTRACT_QUALITIES: frozenset[str] = words("""
    hygiene health posture culture maturity quality experience collaboration communication
    alignment visibility discipline excellence professionalism ownership accountability
    transparency morale synergy synergies capability capabilities
    """)
# Self-praise that says nothing concrete; one is enough to make an objective generic (OBJ-15).
SUPERLATIVE_BUZZ: frozenset[str] = words("""
    world-class best-in-class industry-leading first-class top-notch cutting-edge
    state-of-the-art next-generation next-gen excellence
    """)
# Verbs of running the day-to-day; a short "<verb> <thing>" objective with them is pure BAU.
ROUTINE_VERBS: frozenset[str] = words(
    "answer handle process run pay close file respond resolve do manage operate administer staff"
)

NUMBER_WORDS: dict[str, float] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "a dozen": 12,
    "a hundred": 100,
    "a thousand": 1000,
    "a million": 1_000_000,
    "half": 50,
    "a third": 33,
}

STOPWORDS: frozenset[str] = words("""
    a an the of to for and or in on at by with from our their its his her my your we us they it
    this that these those be is are was were been being will shall should would can could may
    into onto per as than so such all any each every other new more most less very
    """)

# Relative clauses after the object of a work verb ("Plan routes that hold up ...").
RELATIVE_PRONOUNS: frozenset[str] = words("that which where who whose whom")
# People as the subject of a relative clause: "a tool (that) drivers trust", "where anyone can".
PEOPLE_SUBJECTS: frozenset[str] = BENEFICIARY_NOUNS | words(
    "people anyone everyone nobody someone we you they"
)
# Words that make a relative clause describe a changed state or people's attitude or behaviour
# (an outcome) rather than a feature of the artifact: comparatives ("costs less"), wanting,
# trusting or relying on it, never having to, holding up, lasting, staying.
OUTCOME_CLAUSE_WORDS: frozenset[str] = DIRECTION_COMPARATIVES | words("""
    better worse never don't doesn't longer want wants trust trusts love loves rely relies enjoy
    enjoys prefer prefers recommend recommends miss misses last lasts survive survives stay stays
    remain remains feel feels
    """)
# Two-word forms of the same: "holds up", "keeps up", "pays for", "no longer".
OUTCOME_CLAUSE_PHRASES: frozenset[str] = frozenset(
    {
        "hold up",
        "holds up",
        "keep up",
        "keeps up",
        "stand up",
        "stands up",
        "pays for",
        "pay for",
        "no longer",
        "have to",
        "has to",
    }
)
# Modals that are an outcome only when people, not the artifact, are the subject:
# "where riders can ..." is an outcome, "that can export CSV" is a feature.
ABILITY_MODALS: frozenset[str] = words("can could")
