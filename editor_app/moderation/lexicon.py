"""Word lists for the comment scorer's own layer (see ``scorer.py``).

Every list is lower case and matched against whole tokens (the scorer splits "Islamo-fascist"
into "islamo" and "fascist", and "aren't" into "aren" and "t"). The lists are deliberately
general: nations, peoples, religions and other groups people are insulted as, and the words
used to insult or dehumanise them. They are not fitted to any one thread.

Warning: to be useful the lists name slurs and insults; they are data, not opinions.
"""

from __future__ import annotations


def _forms(*specs: str) -> frozenset[str]:
    """Expand "turk|s" into {"turk", "turks"}; "chinese" stays as it is."""
    out: set[str] = set()
    for spec in specs:
        for item in spec.split():
            stem, _, suffixes = item.partition("|")
            out.add(stem)
            for suffix in suffixes.split(",") if suffixes else ():
                out.add(stem + suffix)
    return frozenset(out)


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- targets -----------------------------------------------------------------------------------

# Nationalities, demonyms and peoples: singular, plural and adjective forms.
PEOPLES = _forms(
    """
    afghan|s albanian|s algerian|s american|s arab|s,ic argentine|s argentinian|s armenian|s
    australian|s austrian|s azeri|s azerbaijani|s bangladeshi|s belarusian|s belgian|s bosnian|s
    bosniak|s brit|s british briton|s bulgarian|s canadian|s chechen|s chilean|s chinese
    colombian|s croat|s,ian,ians cuban|s cypriot|s czech|s dane|s danish dutch egyptian|s
    english englishman englishmen eritrean|s estonian|s ethiopian|s filipino|s finn|s,ish french
    frenchman frenchmen georgian|s german|s greek|s haitian|s hungarian|s indian|s indonesian|s
    iranian|s iraqi|s irish israeli|s italian|s japanese jordanian|s kazakh|s kenyan|s korean|s
    kosovar|s kurd|s,ish kyrgyz latvian|s lebanese libyan|s lithuanian|s macedonian|s mexican|s
    moldovan|s mongol|s,ian,ians moroccan|s nigerian|s norwegian|s pakistani|s palestinian|s
    persian|s peruvian|s pole|s polish portuguese romanian|s russian|s saudi|s scot|s,tish
    serb|s,ian,ians slovak|s slovene|s slovenian|s somali|s spaniard|s spanish sudanese swede|s
    swedish swiss syrian|s tajik|s turk|s,ish turkmen ukrainian|s uzbek|s venezuelan|s
    vietnamese welsh yemeni|s zimbabwean|s african|s asian|s european|s westerner|s latino|s
    latina|s hispanic|s balkan|s caucasian|s slav|s,ic roma romani gypsy gypsies pashtun|s
    uyghur|s uighur|s tatar|s baloch berber|s bedouin|s druze yazidi|s assyrian|s
    turkic russki|es yankee|s gringo|s ossetian|s abkhaz|ian,ians talysh lezgin|s
    """
)

# Religions and their followers.
FAITHS = _forms(
    """
    jew|s,ish muslim|s moslem|s islamic christian|s catholic|s protestant|s orthodox
    evangelical|s mormon|s atheist|s hindu|s sikh|s buddhist|s sunni|s shia|s shiite|s
    zionist|s copt|s,ic jehovah's baptist|s methodist|s anglican|s
    """
)

# Other groups a comment thread insults wholesale.
OTHER_GROUPS = _forms(
    """
    immigrant|s migrant|s refugee|s foreigner|s expat|s newcomer|s illegals natives locals
    whites blacks gays lesbians trans transgender women men females males girls
    feminist|s leftist|s liberal|s libs lefty lefties conservative|s tory tories democrat|s
    republican|s socialist|s communist|s progressive|s greens environmentalist|s activist|s
    protester|s protestor|s voter|s supporter|s fans cyclist|s driver|s motorist|s tenant|s
    landlord|s boomer|s millennial|s teenager|s youths vegan|s unionist|s nationalist|s
    diaspora villager|s farmer|s cops police remainer|s brexiteer|s trumpers maga
    denier|s denialist|s alarmist|s antivaxxer|s
    northerner|s southerner|s townies hipsters
    """
)

# Groups of office holders and trades: collective insults against them weigh less, because
# "politicians are liars" is a commonplace of heated but tolerated comment.
INSTITUTIONAL_GROUPS = _forms(
    """
    politician|s bureaucrat|s official|s councillor|s councilor|s ministers mps senators
    journalist|s reporters media elites bankers lawyers developers judges referees refs
    """
)

# Countries, regions and capitals used for their governments or peoples.
COUNTRIES = words(
    """
    afghanistan albania algeria america usa uk britain england argentina armenia artsakh
    karabakh australia austria azerbaijan bangladesh belarus belgium bosnia brazil bulgaria
    canada chechnya china colombia croatia cuba cyprus denmark egypt eritrea estonia ethiopia
    europe finland france georgia germany greece haiti hungary india indonesia iran iraq
    ireland israel italy japan jordan kazakhstan kenya korea kosovo kurdistan latvia lebanon
    libya lithuania macedonia mexico moldova mongolia morocco nigeria norway pakistan palestine
    gaza persia peru poland portugal qatar romania russia rwanda serbia slovakia slovenia
    somalia spain sudan sweden switzerland syria taiwan tajikistan turkey turkiye turkmenistan
    ukraine uzbekistan venezuela vietnam wales scotland yemen zimbabwe africa nakhichevan
    nakhijevan ankara baku yerevan moscow kremlin tehran beijing brussels kyiv kiev tbilisi
    riyadh damascus
    """
)

# Places, for "this country is a sewer".
PLACE_NOUNS = words("country nation city town state region village place continent island")

# Title words that point at a public figure ("the mayor is a clown").
TITLES = words(
    """
    president prime pm minister mayor councillor councilor senator governor chancellor premier
    leader king queen prince sultan ayatollah mp mep congressman congresswoman chairman
    chairwoman speaker spokesman spokeswoman commissioner coach manager referee ref owner
    chief ceo boss bishop pope imam priest rabbi pastor dictator candidate mullah mullahs
    """
)

# --- what is said about them -------------------------------------------------------------------

# Dehumanising nouns: calling people animals, pests, disease or refuse.
DEHUMANISING = _forms(
    """
    animal|s beast|s vermin rat|s parasite|s cockroach|es roach|es scum filth trash garbage
    savage|s barbarian|s dog|s pig|s swine monkey|s ape|s snake|s leech|es louse lice maggot|s
    insect|s subhuman|s untermensch|en mongrel|s cancer plague infestation creature|s
    bloodsucker|s hyena|s jackal|s baboon|s termite|s bug|s germ|s virus sheep cattle ant|s
    locust|s rodent|s pest|s weasel|s neanderthal|s caveman cavemen disease|s tumour|s tumor|s
    viper|s serpent|s hyena|s leech|es tick|s
    """
)

# Nouns that insult a group or a person ("X are all liars", "Azerbaijani criminals").
INSULT_NOUNS = _forms(
    """
    terrorist|s criminal|s fascist|s nazi|s thief thieves liar|s murderer|s killer|s rapist|s
    thug|s bandit|s crook|s coward|s traitor|s idiot|s moron|s fool|s hypocrite|s loser|s
    clown|s degenerate|s lowlife|s lowlives scumbag|s invader|s occupier|s barbarian|s
    primitive|s savage|s butcher|s mafia gangster|s bigot|s racist|s imbecile|s cretin|s
    retard|s freak|s lunatic|s psychopath|s maniac|s zealot|s fanatic|s extremist|s
    jihadist|s jihadi|s islamist|s brute|s hooligan|s bastard|s inbred|s nutjob|s nutcase|s
    sellout|s turncoat|s puppet|s stooge|s lapdog|s poodle|s buffoon|s fraud|s weasel|s
    ignoramus liars beggar|s crybaby crybabies whiner|s peasant|s neanderthal|s caveman cavemen
    paedophile|s pedophile|s pervert|s deviant|s hick|s rapists
    """
)

# Nouns used to insult one person (another commenter or a public figure).
PERSON_NOUNS = _forms(
    """
    idiot|s moron|s troll|s traitor|s puppet|s clown|s fool|s imbecile|s liar|s shill|s bot|s
    hypocrite|s coward|s loser|s bigot|s racist|s sheep snowflake|s dimwit|s nitwit|s
    halfwit|s cretin|s retard|s ignoramus muppet|s numpty numpties prat|s twit|s jerk|s
    creep|s scumbag|s lowlife|s fascist|s nazi|s commie|s apologist|s stooge|s lapdog|s
    poodle|s buffoon|s fraud|s crook|s weasel|s sellout|s turncoat|s joke disgrace
    dog|s pig|s rat|s snake|s madman|s lunatic|s psychopath|s thug|s dolt|s dunce|s
    dummy dummies simpleton|s bootlicker|s propagandist|s
    """
)

# Adjectives that insult one person ("you are stupid", "are you blind").
PERSON_ADJECTIVES = words(
    """
    stupid dumb ignorant brainless brainwashed clueless delusional deluded idiotic moronic
    retarded dense thick dim dimwitted pathetic illiterate blind deranged demented insane
    crazy mental unhinged gullible naive spineless gutless worthless useless disgusting
    despicable pitiful braindead senile dumbest stupidest thickest
    """
)

# Hostile adjectives put before a group or a country ("terrorist Turkey", "filthy Arabs").
HOSTILE_ADJECTIVES = words(
    """
    terrorist terroristic criminal fascist nazi genocidal barbaric barbarous savage subhuman
    filthy dirty rabid vile despicable disgusting evil thieving lying murderous bloodthirsty
    backward primitive inbred treacherous godless degenerate stinking stinky smelly worthless
    parasitic cowardly scummy wretched vicious lousy mongrel backstabbing conniving scheming
    deceitful
    """
)

# Adjectives that deny a nation its existence ("artificial Azerbaijan", "fake nation").
DELEGITIMISING = words("artificial fake pseudo invented fabricated phony phoney bogus")

# Traits stamped on a whole group ("Germans are lazy", "they are all dishonest").
STEREOTYPE_ADJECTIVES = words(
    """
    lazy greedy dishonest sneaky arrogant violent uncivilised uncivilized stupid dumb
    ignorant backward primitive dirty filthy inbred treacherous barbaric savage evil
    untrustworthy cunning bloodthirsty subhuman worthless disgusting vile brainwashed drunk
    drunken hysterical sick perverted deceitful scheming conniving backstabbing
    """
)

# Places called sewers: "the country is a cesspool".
PLACE_INSULTS = words(
    """
    cesspool cesspit shithole shithole hellhole dump sewer toilet pigsty dungheap craphole
    rathole dumpster backwater latrine
    """
)

# Words an insult may stand behind: "X are (all|nothing but|just a bunch of) Y".
FILLERS = words(
    """
    all just only nothing but simply basically a an the bunch pack herd gang horde hordes
    band lot such like truly really mere merely mostly mainly naturally born always complete
    total utter absolute bloody damn damned fucking typical little big another one same
    clearly obviously definitely probably certainly literally actually honestly frankly
    still also too themselves yourself yourselves both being be become becoming nothing
    more than no better worse of paid professional pure sheer proper real typical whole
    two faced loud mouth mouthed cheap sorry dirty filthy stinking nation race tribe breed
    society culture so this old swarm nest
    """
)

# Verbs that link a subject to what it is called.
COPULAS = words(
    "are is was were re s be been being am m become became seem seems act acts behave behaves "
    "behaved behaving acting sound sounds look looks remain remains"
)

# Negations that undo an insult between subject and predicate.
NEGATIONS = words("not never no t nor neither hardly")

# Reporting words before a subject: "stop calling Kurds terrorists" is no insult.
REPORTING = words(
    """
    call calls calling called claim claims claiming claimed label labels labelling labeling
    labelled labeled brand brands branding branded accuse accuses accusing accused
    stereotype stereotypes stereotyping insist insists pretend pretends pretending myth
    trope propaganda say says said saying paint painting portray portraying depict depicting
    remark remarks statement statements notion idea suggestion lie lies
    """
)

# Prepositions that put a group in another role: "victims of terrorists", "against fascists".
PREPOSITIONS = words("of by against from with for to at on in under toward towards")

# Subjects that stand for "everyone in a set" ("anyone who votes for him is an idiot").
GENERIC_SUBJECTS = words("anyone everyone whoever people folks voters anybody everybody")

# Pronouns that take a group mentioned just before ("They are animals").
GROUP_PRONOUNS = words("they them these those")

# Words after a subject that start a relative clause or a qualifier before the verb.
RELATIVES = words("who that which living from in here there")

# Demonstratives that make a dehumanising noun point at people ("these animals").
DEMONSTRATIVES = words("these those such their your that this")

# --- personal attacks, threats, profanity, spam ---------------------------------------------------

# "Screw you": ``mentions.py`` blanks it where a comment reports, quotes or asks it.
SCREW_YOU = ("screw", r"screw (?:you|u|ya)")

# Phrases that attack the reader of the comment, matched as case-insensitive regexes on whole
# words. Each comes with its triggers so that the regex runs only where it can match: a space
# separates alternatives, "+" joins words that must all be among the comment's tokens, and "$"
# stands for a currency sign ($, £, €) in the text.
ATTACK_PHRASES: tuple[tuple[str, str], ...] = (
    ("shut", r"shut (?:up|your (?:mouth|trap|face|pie ?hole))"),
    ("people+you", r"you people"),
    ("asked+nobody cares+nobody wants+nobody", r"nobody (?:asked|cares about|wants) (?:you|your)"),
    ("grow+brain grow+brains grow+spine", r"grow (?:a|some) (?:brain|brains|spine)"),
    ("learn+read", r"learn (?:to|how to) read"),
    (
        "back+go+came back+go+cave back+go+hole back+go+country",
        r"go back (?:to |where )(?:where )?(?:you came from|your (?:own )?(?:country|cave|hole)"
        r")",
    ),
    ("lost+get life+get clue+get brain+get", r"get (?:lost|a life|a brain|a clue)"),
    ("crawl", r"crawl back (?:under|into)"),
    ("meds medication", r"take your (?:meds|medication|pills)"),
    (
        "kind+your tribe+your lot+your people+your",
        r"(?:you and )?your (?:kind|tribe|lot)|your people (?:are|is)",
    ),
    (
        "brain+your mind+your brain+ur",
        r"(?:your|ur) (?:tiny|small|little|pea|feeble) (?:brain|mind)",
    ),
    (
        "stupid+you dumb+you thick+you blind+you retarded+you idiot+you moron+you illiterate+you "
        "insane+you mad+you crazy+you dead+you braindead+you",
        r"(?:is|are) you (?:(?:really|just|even|that|so|this|actually) ){0,2}"
        r"(?:stupid|dumb|thick|blind|"
        r"retarded|an idiot|a moron|illiterate|insane|mad|crazy|brain ?dead)",
    ),
    (
        "idiot+what moron+what clown+what fool+what imbecile+what loser+what joke+what",
        r"what (?:an|a) (?:idiot|moron|clown|fool|imbecile|loser|joke)",
    ),
    ("hell+go stuffed", r"(?:go|get) (?:to hell|stuffed)"),
    (
        "stupid+how dumb+how thick+how",
        r"how (?:stupid|dumb|thick) (?:are you|can you be|is this person)",
    ),
    ("rock+under bridge+under", r"back under (?:your|the|whatever) (?:rock|bridge)"),
    ("iq", r"(?:the |an? |your )iq of an? \w+"),
    ("troll+farm troll+factory troll+paid trolls+paid", r"troll (?:farm|factory)|paid trolls?"),
    ("warrior+keyboard", r"keyboard warrior"),
    SCREW_YOU,
)

# Dehumanising phrases, with trigger words as above.
DEHUMANISING_PHRASES: tuple[tuple[str, str], ...] = (
    (
        "breed+like breeding+like",
        r"breed(?:s|ing)? like (?:rabbits|rats|flies|cockroaches|animals|vermin|insects)",
    ),
    ("human+not", r"(?:are|is|were) not (?:even |really )?human"),
    ("souls+no soul+no", r"(?:have|has) no souls?"),
    ("human+less", r"less than human"),
    (
        "caves+back cave+back jungle+back trees+back",
        r"back (?:to|into|in) (?:the|their|your) (?:caves?|jungles?|trees)",
    ),
)

# "X control the banks": a conspiracy theory about a group; "X belong in cages", "X make me
# sick", "nothing is worse than X": contempt for a group. The first group of the regex must be
# a group word for the phrase to count.
CONSPIRACY_PHRASES: tuple[tuple[str, str], ...] = (
    (
        "control+banks control+media control+world controls+banks controls+media controls+world "
        "run+banks run+media run+world own+banks own+media control+government "
        "controls+government run+government runs+government own+government owns+government "
        "own+world owns+world owns+banks owns+media control+money controls+money control+press "
        "controls+press runs+banks runs+media runs+world",
        r"(\w+) (?:secretly )?(?:control|controls|run|runs|own|owns) (?:the |all the |our )?"
        r"(?:banks|media|world|press|money|government|hollywood)",
    ),
    (
        "belong+cage belong+cages belongs+cage belongs+cages belong+zoo belong+zoos "
        "belongs+zoo belong+camps belong+ovens belong+chambers belong+chamber",
        r"(\w+) belongs? in (?:a |the )?(?:cages?|zoos?|camps?|ovens?|gas chambers?)",
    ),
    (
        "make+sick makes+sick make+puke makes+puke make+vomit makes+vomit disgust+me disgusts+me",
        r"(\w+) (?:(?:all )?(?:make|makes) me (?:sick|puke|vomit)|(?:all )?disgusts? me)",
    ),
    ("worse+nothing", r"nothing (?:is )?worse than (?:the )?(\w+)"),
)

# A people said to commit crimes as a people ("X steal everything", "X rob every tourist")
# and contempt for a people ("screw the X", "to hell with X"): the first group of the regex
# must name a people, a nation or a faith ("screw" a country too), with no "not" or "no"
# just before ("not all X steal").
GROUP_CONTEMPT_PHRASES: tuple[tuple[str, str], ...] = (
    (
        "steal rob loot rape cheat scam swindle",
        r"(\w+) (?:all |always |just |only |mostly |basically |simply )?"
        r"(?:steal|rob|loot|rape|cheat|scam|swindle)",
    ),
    ("screw hell+with", r"(?:screw|to hell with) (?:the |all (?:the )?|those |these )?(\w+)"),
)

# Contempt for the people who voted for someone just insulted: "X is a crook, and so is
# everyone who voted for him" (the scorer checks for an insult earlier in the sentence).
VOTER_CONTEMPT_PHRASES: tuple[tuple[str, str], ...] = (
    (
        "so+voted so+vote so+votes so+supported so+support so+supports so+backed so+elected",
        r"so (?:is|are) (?:everyone|everybody|anyone|anybody|all those|all the people|the people"
        r"|those|all) (?:who|that) (?:voted|vote|votes|support|supports|supported|backed|back"
        r"|elected) (?:for )?(?:him|her|them|it)",
    ),
)

# Verbs of violence.
VIOLENT_VERBS = _forms(
    """
    kill|ed shoot shot hang|ed hung gas|sed nuke|d bomb|ed exterminate|d eradicate|d
    annihilate|d slaughter|ed lynch|ed behead|ed burn|ed burnt wipe|d execute|d massacre|d
    butcher|ed erase|d cleanse|d punch|ed beat|en stab|bed strangle|d drown|ed torture|d
    deport|ed expel|led jail|ed destroy|ed eliminate|d die rot
    """
)

# Words that must precede a violent verb for it to be a call to violence.
MODALS = words("should must ought deserve deserves need needs let lets gonna will ll")


def _pairs(first: str, second: str) -> str:
    """Trigger alternatives: every word of ``first`` with every word of ``second``."""
    return " ".join(f"{a}+{b}" for a in first.split() for b in second.split())


_BODY = "head heads face faces teeth skull skulls"
_KILL_VERBS = (
    "kill kills shoot shoots stab stabs strangle strangles lynch lynches behead beheads murder "
    "murders knife knifes torture tortures execute executes butcher butchers"
)

# Fixed phrases of threat, with trigger words as above.
# Verbs of a threat in the first person ("I will kill you"), each a trigger of its phrase.
# A call to hang or lynch and "get his head kicked in" (threats): ``mentions.py`` blanks them
# where a comment reports, quotes or asks rather than says them.
HANGING_PHRASES: tuple[tuple[str, str], ...] = (
    # A call to hang or lynch: "X should be strung up", "ought to be lynched", "hang the X
    # from the nearest lamppost" (``obj`` names people: not "hang the flags from a tree").
    (
        "strung+up lynched hanged",
        # Up to four words between ("should the lot of them be hanged"), none a negation.
        r"(?:should|must|ought to|needs? to|deserves? to|have to|has to) "
        r"(?:(?!(?:not|never|no|nobody|none)\b)[\w']+ ){0,4}?(?:be|get) "
        r"(?:strung up|lynched|hanged)",
    ),
    (
        "lamppost lampposts lamp+post lamp+posts tree+hang tree+string tree+strung tree+hung "
        "trees+hang trees+string trees+strung bridge+hang bridge+string bridge+strung "
        "tree+hanged",
        r"(?:hang|string|strung|hung|hanged) (?:them|him|her|you|(?:the|those|these|all the"
        r"|every|all) (?P<obj>\w+))(?: all)?(?: up)? (?:from|off|on) (?:the |a )?"
        r"(?:nearest |closest )?(?:lamp[ -]?posts?|trees?|bridges?)",
    ),
    # "get his head kicked in", "get their heads smashed in".
    (
        _pairs("kicked smashed bashed caved punched", _BODY),
        r"(?:get|gets|getting|got|have|has) (?:his|her|your|their) (?:head|face|teeth|skull)s? "
        r"(?:kicked|smashed|bashed|caved|punched) in",
    ),
    # The same wished on someone: "I hope someone kicks his head in", "somebody should smash
    # their faces in" (a call word before it in the clause, as above).
    (
        _pairs("kick kicks smash smashes bash bashes cave caves punch punches", _BODY),
        r"(?:kicks?|smash(?:es)?|bash(?:es)?|caves?|punch(?:es)?) (?:his|her|your|their) "
        r"(?:head|face|teeth|skull)s? in",
    ),
    # Beating wished on a person: "I'd like to punch his lights out", "someone should knock
    # his teeth out", "break his legs", "beat the hell out of him" (a call word before it).
    (
        "lights+out teeth+out block+off legs+break neck+break jaw+break arms+break "
        "legs+breaks neck+breaks jaw+breaks out+crap out+hell out+shit out+snot out+daylights",
        r"(?:(?:punch|punches|knock|knocks) (?:his|her|your|their) (?:lights|teeth) out"
        r"|(?:knock|knocks) (?:his|her|your|their) block off"
        r"|(?:break|breaks) (?:his|her|your|their) (?:legs|neck|jaw|arms)"
        r"|(?:beat|beats|kick|kicks|knock|knocks) the (?:crap|hell|shit|snot|living daylights) "
        r"out of (?:him|her|them|you))",
    ),
    # Violence wished on a person by a third party: "I hope someone shoots him", "somebody
    # should stab that idiot", "they should kill them all" (a call word before the verb;
    # ``obj`` names people: not "kill the bill").
    (
        _pairs("someone somebody anyone anybody they you people", _KILL_VERBS),
        r"(?:someone|somebody|anyone|anybody|they|you|people) (?:(?:\w+|ought to|has to|have to"
        r"|needs to|need to) )?"
        rf"(?:{'|'.join(_KILL_VERBS.split())}) "
        r"(?:(?:him|her|them|you)(?! (?:an?|the|some|my|our|your|his|her|their|this|that) )"
        r"|(?:the|that|this|those|these|every|all) (?P<obj>\w+))",
    ),
    # A bullet wanted for a person: "he needs a bullet", "they deserve bullets".
    (
        "need+bullet needs+bullet need+bullets needs+bullets",
        r"(?:needs?|deserves?) (?:a |one |some )?bullets?(?![\w-]| ?(?:points?|proof|trains?"
        r"|lists?|journal))",
    ),
)

_INTENT_VERBS = (
    "kill shoot hang stab hurt murder slaughter strangle burn bomb nuke exterminate butcher "
    "choke break smash hunt execute lynch behead torture wipe"
)
THREAT_PHRASES: tuple[tuple[str, str], ...] = (
    # The commenter's own intent, aimed at a person: "I will kill you", "we're going to find
    # you and break your legs", "I'd love to shoot every one of them".
    (
        _INTENT_VERBS,
        r"(?:i|we)(?:'ll| will| shall|'m going to| am going to|'re going to| are going to"
        r"|'m gonna| am gonna|'re gonna| are gonna| gonna| want to| wanna|'d love to"
        r"| would love to| intend to| plan to) (?:(?!not |never |to )[a-z']+ ){0,3}?"
        rf"(?:{'|'.join(_INTENT_VERBS.split())})(?: down| up)? "
        # A person: "you" (not "shoot you an email"), a body ("break your neck"), or "every X"
        # where X names people (``obj``, checked by the scorer: not "kill all the weeds").
        r"(?:(?:you|u|ya|him|her|them)(?! (?:an?|the|some|my|our|your|his|her|their|this|that) )"
        r"|(?:your|his|her|their) (?:necks?|legs|arms|faces?|heads?|skulls?|bones|teeth|jaws?"
        r"|noses?|throats?|kids|children|famil(?:y|ies)|wife|husband)"
        r"|(?:every|all|each|those|these)(?: of)?(?: the)? (?P<obj>\w+))",
    ),
    # "let them drown", "let them all rot".
    (
        "let+die let+drown let+rot let+burn let+starve let+hang",
        r"let (?:them|him|her|these \w+|those \w+) (?:all )?"
        r"(?:die|drown|rot|burn|starve|hang)",
    ),
    (
        "beat+senseless beat+death beat+pulp",
        r"beat (?:you|him|her|them|the \w+) (?:senseless|to death|to a pulp)",
    ),
    ("burn+ground raze+ground", r"(?:burn|raze) (?:\w+ ){1,3}?to the ground"),
    ("sent+came", r"(?:be |get |got )?sent back (?:to )?where (?:they|you) came from"),
    (
        "pay+blood pay+lives",
        r"(?:make|makes) (?:them|him|her|you|the \w+|those \w+|these \w+) pay "
        r"(?:in blood|with (?:their|his|her|your) lives)",
    ),
    # Expulsion of a people: "send them back where they came from".
    (
        "send+came go+came",
        r"send (?:them|these \w+|those \w+|the \w+|\w+) (?:all )?back (?:to )?where (?:they|you)"
        r" came from|go back (?:to )?where (?:you|they) came from",
    ),
    ("live+know", r"i know where you live"),
    ("watch+back", r"watch your back"),
    ("regret+you pay+ll+you pay+will+you", r"you(?:'ll| will) (?:regret|pay for) (?:this|it|that)"),
    ("find+you hunt+you", r"(?:i|we)(?:'ll| will) (?:find|get|hunt) you"),
    (
        "die+hope dies+hope burn+hope burns+hope rot+hope rots+hope killed+hope die+wish dies+wish "
        "burn+wish burns+wish rot+wish killed+wish",
        r"(?:hope|wish) (?:you|he|she|they|their \w+(?: \w+)?) (?:all )?"
        r"(?:dies?|get killed|burns?|rots?)",
    ),
    (
        "bullet bullets",
        r"(?:a )?bullets? (?:in|through|for|between) (?:your|his|her|their|them|him|that|the)",
    ),
    ("wall+against", r"(?:up )?against the wall"),
    ("firing+squad", r"firing squad"),
    ("put+down", r"should be put down|put (?:them|him|her) down like"),
    ("string+up strung+up", r"(?:string|strung) (?:them|him|her|you) up"),
    *HANGING_PHRASES,
    (
        "deserve+die deserves+die deserve+bullet deserves+bullet deserve+shot deserves+shot "
        "deserve+hang deserves+hang deserve+death deserves+death",
        r"deserves? (?:to die|a bullet|to be shot|to hang|death)",
    ),
    ("dead+good+only", r"the only good \w+ is a dead \w+"),
    ("lesson+teach", r"teach (?:them|these \w+|those \w+|him|her|you) a lesson"),
    (
        "smash kick+face kick+head kick+teeth punch+face bash",
        r"(?:smash|kick|punch|bash) (?:his|her|your|their) (?:face|head|teeth)",
    ),
    (
        "genocide+needed genocide+answer holocaust+needed holocaust+answer massacre+needed "
        "massacre+answer genocide+what holocaust+what massacre+what",
        r"(?:a|another) (?:genocide|holocaust|massacre) (?:is|would be) (?:what|the answer|needed)",
    ),
)

# Strong profanity: exact forms and prefixes.
PROFANITY_STRONG = words(
    """
    fuck fucks fucked fucker fuckers fucking fuckin fck fuk fking shit shits shitty bullshit
    shite cunt cunts twat twats wanker wankers asshole assholes arsehole arseholes dick dicks
    dickhead dickheads bastard bastards bitch bitches motherfucker motherfuckers prick pricks
    piss pissed douche douchebag cock cocks whore whores slut sluts jackass dumbass dumbasses
    """
)
PROFANITY_PREFIXES: tuple[str, ...] = ("fuck", "motherf", "shit", "cunt", "bullshit", "dickhead")
PROFANITY_MILD = words("damn damned crap crappy bloody sucks arse ass bollocks frigging wtf stfu")

# Slurs against groups: a slur is hostile on its own.
SLURS = words(
    """
    nigger niggers nigga niggas faggot faggots fag fags kike kikes spic spics chink chinks
    wetback wetbacks raghead ragheads towelhead towelheads gook gooks tranny trannies dyke
    dykes coon coons paki pakis libtard libtards retard retards retarded sandnigger
    beaner beaners
    """
)

# Spam: phrases with trigger words as above.
SPAM_PHRASES: tuple[tuple[str, str], ...] = (
    ("home+from phone+from", r"(?:work(?:ing)?|earn|earning|income) from (?:home|your phone)"),
    ("$", r"(?:earn|make|making|made|earned|earning) (?:up to )?(?:\$|£|€|usd ?)\d[\d,.]*k?"),
    ("$", r"(?:\$|£|€)\s?\d[\d,.]*k?\s*(?:per|a|an|/|every|each) ?(?:day|week|month|hour|hr)"),
    (
        "click visit check+out go+to+link go+to+site go+to+website",
        r"(?:click|visit|check out|go to) (?:here|my|this link|the link|our|the site|the websit"
        r"e)",
    ),
    ("buy+now buy+online buy+cheap order+now order+online", r"(?:buy|order) (?:now|online|cheap)"),
    (
        "viagra cialis levitra tramadol xanax oxycodone",
        r"viagra|cialis|levitra|tramadol|xanax|oxycodone",
    ),
    (
        "crypto bitcoin btc forex binary trading investment",
        r"(?:crypto|bitcoin|btc|forex|binary options?|investment|trading) (?:trading|investment|"
        r"signals|expert|profits?|mentor|platform|account manager|system|opportunity|broker)",
    ),
    (
        "guaranteed guarantee",
        r"guaranteed (?:returns?|profits?|income|results)|returns? guaranteed",
    ),
    (
        "whatsapp telegram",
        r"(?:whatsapp|telegram)(?: me)?(?: on| at| via)?:? ?(?:\+?\d[\d\s-]{7,}|@\w+)",
    ),
    (
        "whatsapp telegram instagram",
        r"(?:dm|message|text|contact|write to) (?:me|us|him|her)(?: \w+)? on (?:whatsapp|telegr"
        r"am|instagram)",
    ),
    ("dm+me", r"dm me"),
    (
        "seo backlinks backlink guest",
        r"(?:seo|backlinks?|guest posts?) (?:services?|packages?|for sale|cheap|available)|high"
        r" quality backlinks",
    ),
    ("casino betting pharmacy", r"(?:online|best) (?:casino|betting|pharmacy)"),
    (
        "spins bonus free+followers free+likes free+iphone free+tokens gift+card",
        r"free (?:spins|bonus|followers|likes|gift card|iphone|tokens)",
    ),
    (
        "singles area+hot area+lonely near+hot waiting+hot",
        r"(?:hot|lonely) (?:singles|girls|women|moms) (?:in your area|near you|waiting)",
    ),
    ("lose+kg lose+lbs lose+pounds", r"lose \d+ ?(?:lbs|pounds|kg) in \d+ (?:days|weeks)"),
    ("promo coupon code+use", r"promo code|coupon code|use code"),
    (
        "makes+aunt makes+cousin earns+cousin earns+aunt made+cousin earned+cousin "
        "makes+neighbour makes+friend earns+friend made+aunt",
        r"my (?:aunt|cousin|neighbou?r|sister|brother|friend)'?s? (?:\w+ ){0,3}"
        r"(?:makes|earns|made|earned)",
    ),
    (
        "limited+offer act+now legit",
        r"limited (?:time )?offer|act now|100% (?:free|legit|guaranteed)",
    ),
    (
        "recover+funds recovered+funds recover+crypto recover+bitcoin recovered+money",
        r"recover(?:ed)? (?:my|your|lost) (?:\w+ )?(?:funds|crypto|bitcoin|money)",
    ),
    ("airdrop", r"airdrop"),
    (
        "payday loan+fast loans+fast loan+instant loans+instant loan+quick loans+quick "
        "credit+check",
        r"(?:payday|instant|fast|quick) loans?|no credit check",
    ),
    ("followers", r"\d[\d,]* (?:instagram |tiktok |twitter )?followers"),
    ("essay", r"essay writing"),
    ("subscribe", r"subscribe to my|and subscribe"),
)
