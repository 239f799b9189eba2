"""The comment toxicity scorer: the model, the project's word-list layer, and both together."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from editor_app.moderation.mentions import blank_mentions, mentioned_calls
from editor_app.moderation.scorer import (
    DEFAULT_THRESHOLD,
    STACK_FEATURES,
    Reason,
    Scorer,
    ScoreResult,
    stack_features,
)

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "000_737975484842bf06.txt"
LABELLED = ROOT / "bench" / "data" / "labelled_comments.csv"


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer()


@pytest.fixture(scope="module")
def layer() -> Scorer:
    return Scorer(model=False)


def spans_hold(text: str, result: ScoreResult) -> None:
    for r in result.reasons:
        assert isinstance(r, Reason)
        assert 0 <= r.start <= r.end <= len(text)
        assert text[r.start : r.end] == r.text, r
        assert 0.0 < r.weight <= 1.0


# --- spans and the shape of a result --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Honestly, the Serbs are nothing but savages and everyone here knows it.",
        "You\u2019re a complete idiot. Shut up and read the article!",
        "\u0130stanbul\u2019s mayor is a clown; filthy Greeks and criminal Bulgaria, as usual.",
        "Earn $400 a day from home: http://a.example.xyz and www.b-example.top",
        "They should all be shot, those Albanians.",
    ],
)
def test_reasons_carry_their_spans(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert result.reasons, text
    spans_hold(text, result)


def test_score_is_a_probability_and_keeps_the_model_score(scorer: Scorer) -> None:
    result = scorer.score("Croatians are vermin and liars, every last one of them.")
    assert 0.0 <= result.model_score <= 1.0
    assert result.model_score <= result.score <= 1.0
    assert result.held()
    assert {r.label for r in result.reasons} >= {"dehumanising"}


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_scores_zero_without_reasons(scorer: Scorer, text: str) -> None:
    assert scorer.score(text) == ScoreResult(0.0, (), 0.0)
    assert scorer.score_many([text, text]) == [ScoreResult(0.0, (), 0.0)] * 2


def test_score_many_equals_one_by_one(scorer: Scorer) -> None:
    texts = [
        "Lithuanians are a nation of thieves.",
        "The council's budget is a scandal, frankly.",
        "",
        "you are a paid troll",
        "Buy cheap cialis online at pills.example.biz and meds.example.ru",
    ] * 3
    small = Scorer(batch_size=4)
    assert small.score_many(texts) == [scorer.score(t) for t in texts]
    assert scorer.score_many(texts) == [scorer.score(t) for t in texts]


# --- what is held and what is not ----------------------------------------------------------------

COLLECTIVE = [
    "Moroccans are nothing but thieves and should not be let anywhere near our town.",
    "The Hungarians are a bunch of primitive barbarians.",
    "Filthy Pakistanis everywhere you look in this city.",
    "Christians are just brainwashed sheep.",
    "Portugal is a cesspool and always will be.",
    "Lebanese, all of them liars. They are parasites on every country that takes them in.",
    "Never trust them: Uzbeks are snakes.",
    "Those vermin across the river will never change.",
]

CIVIL_BUT_ANGRY = [
    "The government's policy is criminal negligence and the minister must go.",
    "This treaty is a disaster for everyone who lives near the border.",
    "The council lied to us about the bypass and I will never vote for them again.",
    "Their foreign minister's statement was arrogant and insulting to the victims.",
    "Calling all Chechens terrorists is wrong and dangerous.",
    "Not all Kurds support the armed groups, and lumping them together is lazy journalism.",
    "The Turkish government's denial is shameful, but ordinary Turks are not our enemies.",
    "I'm furious about the hospital closures; this budget is a betrayal of the north.",
    "The striker was hopeless today and the manager's tactics were baffling.",
    "Shameful decision by the board, taken behind closed doors as usual.",
]


@pytest.mark.parametrize("text", COLLECTIVE)
def test_collective_insults_without_profanity_are_held(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert result.score >= DEFAULT_THRESHOLD, (result.score, result.reasons)
    assert any(r.label in ("collective insult", "dehumanising") for r in result.reasons)
    spans_hold(text, result)


@pytest.mark.parametrize("text", CIVIL_BUT_ANGRY)
def test_civil_but_angry_comments_stay_below(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert result.score < DEFAULT_THRESHOLD, (result.score, result.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "You are an ignorant moron.",
        "you're clearly a paid shill",
        "Are you blind or just stupid?",
        "Shut up, nobody asked you.",
        "You people never learn anything.",
    ],
)
def test_personal_attacks_are_flagged(layer: Scorer, text: str) -> None:
    result = layer.score(text)
    assert any(r.label == "personal attack" for r in result.reasons), result
    assert result.score >= DEFAULT_THRESHOLD


def test_insult_to_a_public_figure_weighs_less_than_a_collective_one(layer: Scorer) -> None:
    figure = layer.score("Minister Dalca is a puppet.")
    nation = layer.score("Romanians are puppets.")
    assert [r.label for r in figure.reasons] == ["insult to public figure"]
    assert 0 < figure.score < nation.score


def test_negation_and_reported_speech_cancel_or_weaken(layer: Scorer) -> None:
    assert layer.score("Syrians are not animals.").score < 0.2
    reported = layer.score("Stop calling Ukrainians fascists.").score
    plain = layer.score("Ukrainians are fascists.").score
    assert reported < plain and plain >= DEFAULT_THRESHOLD


def test_threats_are_flagged(layer: Scorer) -> None:
    for text in ("They should all be hanged.", "Wipe them out.", "I know where you live."):
        assert any(r.label == "threat" for r in layer.score(text).reasons), text


def test_spam_links(layer: Scorer) -> None:
    text = "Great post! Visit my site http://cheap.example.xyz or www.deals.example.top today"
    result = layer.score(text)
    assert result.score >= DEFAULT_THRESHOLD
    assert [r.text for r in result.reasons if r.label == "spam link"] == [
        "http://cheap.example.xyz",
        "www.deals.example.top",
    ]
    # One link in an otherwise ordinary comment is no spam.
    assert layer.score("The report is at https://example.org/report.pdf").score == 0.0


# --- the seed thread ----------------------------------------------------------------------------


def seed_comments() -> list[str]:
    if not SEED.is_file():
        pytest.skip(f"the seed page is not here ({SEED}); it lives in ../shared beside the repo")
    page = SEED.read_text(encoding="utf-8")
    start = page.find("\n  1. ")
    end = page.find("Leave a Reply")
    assert 0 < start < end, "the seed page no longer has its comment thread"
    parts = re.split(r"(?m)^(?:  \d+\.|    •) ", page[start:end])
    return [p.strip() for p in parts if p.strip()]


def test_seed_thread_hostile_comments_are_held_and_a_civil_one_is_not(scorer: Scorer) -> None:
    comments = seed_comments()
    results = scorer.score_many(comments)
    hostile = [
        (c, r)
        for c, r in zip(comments, results, strict=True)
        if re.search(r"terrorist|criminal|cesspool|rabid barking dog", c, re.I)
    ]
    assert len(hostile) >= 2
    words = " ".join(c for c, _ in hostile)
    for needed in ("terrorist", "criminal", "cesspool", "rabid barking dog"):
        assert needed in words
    for comment, result in hostile:
        assert result.score >= DEFAULT_THRESHOLD, (comment[:80], result.score)
        assert result.reasons, comment[:80]
        spans_hold(comment, result)
    civil = [
        (c, r)
        for c, r in zip(comments, results, strict=True)
        if "Would you have been willing to give up land" in c
    ]
    assert len(civil) == 1
    assert civil[0][1].score < DEFAULT_THRESHOLD


def seed_comment(comments: list[str], needle: str) -> str:
    found = [c for c in comments if needle in c]
    assert len(found) == 1, f"the seed thread has {len(found)} comments with {needle!r}"
    return found[0]


def test_seed_political_criticism_of_named_leaders_is_approved(scorer: Scorer) -> None:
    # Calling Erdogan a puppet or Pashinyan a loser is opinion a news site publishes; the
    # insult-to-public-figure rule alone held both (0.533 and 0.504).
    comments = seed_comments()
    for needle in ("Erdogan is a puppet", "Pashinyan-the loser"):
        comment = seed_comment(comments, needle)
        result = scorer.score(comment)
        assert result.score < DEFAULT_THRESHOLD, (needle, result.score)


def test_seed_group_hostility_without_a_rule_word_is_still_held(scorer: Scorer) -> None:
    comments = seed_comments()
    for needle in ("Turks are only arrogant", "There should not be any peace talks"):
        comment = seed_comment(comments, needle)
        result = scorer.score(comment)
        assert result.score >= DEFAULT_THRESHOLD, (needle, result.score)
        assert result.reasons, needle


@pytest.mark.parametrize(
    "text",
    [
        "Minister Dalca is a puppet of the banks and his budget proves it.",
        "Senator Okafor is a liar: she promised to cut the tax and raised it twice.",
        "Mayor Brandt is a loser who has lost three elections and still thinks he speaks for us.",
        "Pashinyan is weak and Erdogan knows it.",
        "The prime minister is a coward who hides from every press conference.",
        "Erdogan is a puppet of his own generals; the talks will go nowhere.",
        "President Voss is a liar about the pension reform, and the figures show it.",
        "That puppet Dalca will sign whatever Brussels puts in front of him.",
    ],
)
def test_political_criticism_of_a_public_figure_is_not_held(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert result.score < DEFAULT_THRESHOLD, result


@pytest.mark.parametrize(
    ("text", "other"),
    [
        (
            "Minister Dalca is a puppet, and you morons who defend him are just as stupid.",
            "personal attack",
        ),
        ("Mayor Brandt is a liar and somebody should shoot him.", "threat"),
        ("Erdogan is a puppet and the Kurds are rats.", "dehumanising"),
        ("Senator Okafor is a loser, you idiot, and so are you.", "personal attack"),
        (
            "President Voss is a liar and the Greeks who vote for him are subhuman vermin.",
            "dehumanising",
        ),
        ("That puppet Dalca should be hanged from a lamppost.", "threat"),
        ("Erdogan is a fucking puppet, you brainless troll.", "personal attack"),
    ],
)
def test_an_insult_to_a_public_figure_with_real_hostility_is_held(
    scorer: Scorer, text: str, other: str
) -> None:
    result = scorer.score(text)
    assert result.score >= DEFAULT_THRESHOLD, result
    labels = {r.label for r in result.reasons}
    assert {"insult to public figure", other} <= labels, labels
    spans_hold(text, result)


def test_an_insult_to_a_public_figure_alone_adds_nothing_to_the_combination() -> None:
    figure = Reason("insult to public figure", "Erdogan is a puppet", 0, 19, 0.45)
    alone = stack_features(-2.0, [figure])
    # The learned model's negative log-odds stand, and the figure input is 0.
    assert alone == [-2.0] + [0.0] * (len(STACK_FEATURES) - 1)
    threat = Reason("threat", "should be hanged", 25, 41, 0.7)
    both = stack_features(-2.0, [figure, threat])
    assert both[0] == 0.0
    assert both[-1] == pytest.approx(0.45 * 0.7)


def test_calling_a_public_figure_vermin_is_dehumanising_not_opinion(layer: Scorer) -> None:
    opinion = layer.score("Senator Okafor is a puppet.")
    assert [r.label for r in opinion.reasons] == ["insult to public figure"]
    abuse = layer.score("Senator Okafor is a snake.")
    assert [(r.label, r.text) for r in abuse.reasons] == [("dehumanising", "Okafor is a snake")]


def test_him_before_are_ends_a_relative_clause(layer: Scorer) -> None:
    text = "The Greeks who vote for him are vermin."
    labels = {(r.label, r.text) for r in layer.score(text).reasons}
    assert ("dehumanising", "Greeks who vote for him are vermin") in labels, labels


# --- the labelled set ---------------------------------------------------------------------------


def roc_auc(scores: Sequence[float], positive: Sequence[bool]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    pos = [s for s, p in zip(scores, positive, strict=True) if p]
    neg = [s for s, p in zip(scores, positive, strict=True) if not p]
    wins = sum((a > b) + 0.5 * (a == b) for a in pos for b in neg)
    return wins / (len(pos) * len(neg))


def test_roc_auc_helper() -> None:
    assert roc_auc([0.1, 0.2, 0.8, 0.9], [False, False, True, True]) == 1.0
    assert roc_auc([0.5, 0.5], [False, True]) == 0.5


def test_combined_beats_the_packaged_model_on_the_labelled_set(scorer: Scorer) -> None:
    with LABELLED.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 300
    assert {r["label"] for r in rows} == {"civil", "uncivil", "spam"}
    texts = [r["text"] for r in rows]
    results = scorer.score_many(texts)
    packaged = Scorer(layer=False).score_many(texts)
    positive = [r["label"] != "civil" for r in rows]
    combined = roc_auc([r.score for r in results], positive)
    model = roc_auc([r.model_score for r in packaged], positive)
    assert combined > model + 0.05, (combined, model)


# --- the learned scorer: known misses of the word-list scorer ----------------------------------


def test_a_political_charge_against_a_state_is_not_held(scorer: Scorer) -> None:
    for text in ("Turkey is a terrorist state.", "Russia is a terrorist state"):
        result = scorer.score(text)
        assert not result.held(), (text, result)


@pytest.mark.parametrize(
    "text",
    [
        "He called me an idiot, which is not an argument.",
        "Calling Armenians animals is disgusting.",
        "Someone above called Georgians 'traitors and sellouts'. That is simply false.",
        "Stop saying that refugees are criminals.",
        "Syrians are not animals.",
    ],
)
def test_quoting_or_denying_an_insult_to_reject_it_is_not_held(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert not result.held(), (text, result)


def test_the_insult_itself_is_still_held(scorer: Scorer) -> None:
    for text in ("You are an idiot.", "Syrians are animals.", "You are a liar and a fraud."):
        assert scorer.score(text).held(), text
    # Saying it yourself is no mention.
    assert blank_mentions("I call you a liar.") == "I call you a liar."
    assert blank_mentions("He called me a liar.") == "He                 ."


GROUPS = [
    "Armenians", "Turks", "Azerbaijanis", "Muslims", "Jews", "Christians", "Hindus",
    "immigrants", "refugees", "women", "Mexicans", "Russians", "Catholics", "Georgians",
]  # fmt: skip
TEMPLATES = ["{}", "{}.", "I am friends with {}.", "My neighbours are {}.", "{} live here too."]


def test_naming_a_group_does_not_raise_the_score(scorer: Scorer) -> None:
    for template in TEMPLATES:
        texts = [template.format(g) for g in GROUPS]
        scores = [r.score for r in scorer.score_many(texts)]
        assert max(scores) < DEFAULT_THRESHOLD, list(zip(texts, scores, strict=True))
        # Which group is named makes (next to) no difference.
        assert max(scores) - min(scores) < 0.03, list(zip(texts, scores, strict=True))


def test_a_comment_that_only_names_a_nation_or_religion_is_approved(scorer: Scorer) -> None:
    for text in ("Turkey", "Islam", "Judaism", "Armenia and Azerbaijan", "Jews", "Muslims"):
        assert not scorer.score(text).held(), text


def test_group_hate_without_swear_words_is_held_with_its_words_as_reason(scorer: Scorer) -> None:
    text = "I hate Jews."
    result = scorer.score(text)
    assert result.held()
    assert [(r.label, r.text) for r in result.reasons] == [("hostile wording", "hate")]
    spans_hold(text, result)


def test_every_held_comment_says_why(scorer: Scorer) -> None:
    texts = [
        "Gay people are disgusting.",
        "Muslims are terrorists.",
        "You are an idiot.",
        "I hate Jews.",
        "Immigrants are parasites who live off our taxes.",
        "Shut up, you ignorant fool.",
    ]
    for text, result in zip(texts, scorer.score_many(texts), strict=True):
        assert result.held(), (text, result.score)
        assert result.reasons, text
        spans_hold(text, result)
        assert 0.0 <= result.model_score <= 1.0


def test_the_learned_model_loads_from_plain_arrays() -> None:
    import zipfile

    from editor_app.moderation.scorer import default_model_path

    path = default_model_path()
    assert path.stat().st_size < 15_000_000
    with zipfile.ZipFile(path) as z:
        assert all(name.endswith(".npy") for name in z.namelist())


def test_training_is_reproducible_on_a_slice(tmp_path: Path) -> None:
    """Two tiny training runs (150 comments a source) give the same model, array for array."""
    import importlib.util

    import numpy as np

    spec = importlib.util.spec_from_file_location(
        "train_scorer", ROOT / "bench" / "train_scorer.py"
    )
    assert spec is not None and spec.loader is not None
    ts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ts)
    if not ts.DATA.is_dir():
        pytest.skip(f"the training data is not here ({ts.DATA}); it lives in ../shared")
    paths = []
    for run in (1, 2):
        data = ts.Data(limit=150)
        model = ts.fit_learned(data, ts.ALPHA, 2)
        path = tmp_path / f"model{run}.npz"
        model.save(path)
        paths.append(path)
    with np.load(paths[0]) as a, np.load(paths[1]) as b:
        assert a.files == b.files
        for name in a.files:
            assert np.array_equal(a[name], b[name]), name


# --- threats, dehumanising comparisons, conspiracy stereotypes -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Wipe them out.",
        "I will kill you.",
        "I'm going to kill you.",
        "If I see you at the rally I will beat you senseless.",
        "Turks should be exterminated.",
        "Every Turk on our land should be shot.",
        "Burn every mosque in the country.",
        "Send them all back where they came from.",
    ],
)
def test_violent_intent_and_calls_for_extermination_are_held_as_threats(
    scorer: Scorer, text: str
) -> None:
    result = scorer.score(text)
    assert result.held(), (text, result)
    assert any(r.label == "threat" for r in result.reasons), result.reasons
    spans_hold(text, result)


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed three people in the market on Tuesday.",
        "The rebels want to kill every villager, the minister said.",
        "Police said a man had been arrested for threatening to kill the mayor.",
        "Two soldiers were shot dead near the border, the ministry reported.",
        "We will beat them at the polls.",
        "I will never hurt you.",
    ],
)
def test_news_about_violence_is_no_threat(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert not result.held(), (text, result)
    assert not any(r.label == "threat" for r in result.reasons), result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Jews control the banks.",
        "The Jews own the government, that is why nothing changes.",
        "Georgians are backstabbing snakes.",
        "Refugees are a swarm of leeches.",
        "The Turks are a disease.",
        "Catholics are all paedophiles.",
    ],
)
def test_dehumanising_comparisons_and_conspiracy_stereotypes_are_held(
    scorer: Scorer, text: str
) -> None:
    result = scorer.score(text)
    assert result.held(), (text, result)
    assert result.reasons
    spans_hold(text, result)


def test_the_same_words_found_twice_count_once(layer: Scorer) -> None:
    # "I will kill" (the modal rule) and "I will kill you" (the intent phrase) are one threat.
    reasons = layer.score("I will kill you.").reasons
    assert [(r.label, r.text) for r in reasons] == [("threat", "I will kill you")]


def test_the_seed_terrorist_turkey_comment_is_held_with_a_margin(scorer: Scorer) -> None:
    comment = next(c for c in seed_comments() if "Birds of a feather" in c)
    result = scorer.score(comment)
    assert result.score >= DEFAULT_THRESHOLD + 0.2, result.score
    assert any("terrorist Turkey" in r.text for r in result.reasons), result.reasons


def test_token_shares_add_up_to_the_learned_models_log_odds(scorer: Scorer) -> None:
    """The reasons' word weights are each token's share of the score computed for the whole
    batch; together with the intercept and the length term they are the log-odds."""
    import math

    model = scorer.learned
    assert model is not None
    texts = [
        "Gay people are disgusting and those people should leave.",
        "I hate Jews. I hate them, I really hate them.",
        "The council voted for the new water deal on Tuesday.",
        "",
    ]
    run = model.run(texts)
    for k, text in enumerate(texts):
        n = len(run.words[k])
        rest = model.intercept + model.length_coef / 10 * math.sqrt(n)
        assert sum(run.token_shares(k)) + rest == pytest.approx(run.logits[k], abs=1e-9)
        assert [c.weight for c in model.explain(text)] == pytest.approx(run.token_shares(k))


@pytest.mark.parametrize(
    "text",
    [
        "Muslims belong in cages.",
        "Gypsies make me sick.",
        "There is nothing worse than Albanians.",
        "Kurds should be sent back to where they came from.",
        "We will make the Armenians pay in blood.",
    ],
)
def test_contempt_for_a_group_without_swear_words_is_held(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert result.held(), (text, result)
    spans_hold(text, result)


@pytest.mark.parametrize(
    "text",
    [
        "If you think Muslims should be deported, you are the problem.",
        "The speaker's remark that Syrians are vermin was rightly condemned.",
        "People who say Jews control the banks are spreading an old lie.",
        "Traffic makes me sick. There is nothing worse than the ring road at five.",
    ],
)
def test_counter_speech_and_contempt_for_things_are_not_held(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert not result.held(), (text, result)


@pytest.mark.parametrize(
    "text",
    [
        "I will break his record next season.",
        "We will kill their bill in committee.",
        "I want to kill all the weeds in my garden.",
        "I'll shoot you an email tomorrow.",
        "I will hang his portrait in the hall.",
    ],
)
def test_violent_verbs_about_things_are_no_threat(layer: Scorer, text: str) -> None:
    assert not any(r.label == "threat" for r in layer.score(text).reasons), text


# --- calls to hang or lynch, a people as criminals, contempt for a people or for voters ---------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Hang the traitors from the lampposts, every last one of them.", "threat"),
        ("That judge ought to be strung up for this ruling.", "threat"),
        ("Someone should string him up from a tree and leave him there.", "threat"),
        ("The whole council deserves to be lynched after this vote.", "threat"),
        ("Wait till the ref walks out, he'll get his head kicked in.", "threat"),
        ("Albanians rob every tourist who sets foot in the old town.", "collective insult"),
        ("Romanians just steal whatever is not chained to the floor.", "collective insult"),
        ("Screw the Greeks and their whole rotten country.", "collective insult"),
        ("To hell with the Serbs, let them sort out their own mess.", "collective insult"),
        (
            "The senator is a lying fool, and so is everyone who voted for her.",
            "collective insult",
        ),
        ("Screw you and your pathetic opinions.", "personal attack"),
    ],
)
def test_hanging_calls_a_people_as_criminals_and_contempt_are_held(
    scorer: Scorer, text: str, label: str
) -> None:
    result = scorer.score(text)
    assert result.held(), (text, result)
    assert label in {r.label for r in result.reasons}, result.reasons
    spans_hold(text, result)


@pytest.mark.parametrize(
    "text",
    [
        "We hung the bunting from the lamppost for the parade.",
        "The lamppost on the corner was knocked over again last night.",
        "He was hanged in 1946 after the tribunal's verdict, historians say.",
        "Thieves stole two bikes from the Albanian cafe on Friday.",
        "Not all Albanians steal, and saying so is lazy prejudice.",
        "Screw the budget cuts, the library should stay open.",
        "The senator is a careful lawmaker, and so is everyone who voted for her.",
        "Not all Catholics are hypocrites; most of the ones I know are kind.",
        "Not every Serb is a nationalist, whatever the headlines say.",
    ],
)
def test_the_same_words_about_things_or_in_a_defence_are_not_held(
    scorer: Scorer, text: str
) -> None:
    result = scorer.score(text)
    assert not result.held(), (text, result)
    assert not {r.label for r in result.reasons} & {"threat", "collective insult"}, result


def test_naming_a_group_beside_the_new_patterns_words_finds_nothing(scorer: Scorer) -> None:
    """Identity terms alone never raise a score: the words the new patterns look for, said
    about no one, with any group named, find nothing, and the group makes no difference."""
    groups = ("Albanians", "Greeks", "Roma", "Muslims", "Catholics", "Serbs", "Romanians")
    for template in (
        "The {} held a street party by the lamppost, and so is everyone who voted.",
        "Screw caps on the bottles, said the {} who run the shop.",
        "The {} who were robbed last week got their bikes back.",
    ):
        results = scorer.score_many([template.format(g) for g in groups])
        assert all(not r.reasons and not r.held() for r in results), (template, results)
        scores = [r.score for r in results]
        assert max(scores) - min(scores) < 1e-9, (template, scores)


# --- the new patterns reported, quoted or asked (mentions.py) ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The crowd chanted that the minister should be strung up, witnesses said.",
        'Protesters chanted "hang the traitors from the lampposts" outside parliament.',
        "The senator said the judge should be hanged, and the party disowned him.",
        "The fan who yelled that the ref would get his head kicked in was banned for life.",
        "He wrote that Romanians steal everything, and he was rightly banned.",
        'The sign said "to hell with the Serbs" and the council took it down.',
        "Roma steal, the mayor said, and nobody in the chamber objected.",
        "Do Muslims rob their neighbours?",
        "Is it true that Roma steal?",
        "Did Serbs loot the village, or was it someone else?",
        "Is it true that the Greeks cheat on their taxes?",
        "Signs reading 'Roma steal from all of us' were torn down within the hour.",
        "One councillor even called for the thief to get his head kicked in, the paper says.",
    ],
)
def test_the_new_patterns_reported_quoted_or_asked_are_not_held(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert not result.held(), (text, result)
    assert not {r.label for r in result.reasons} & {"threat", "collective insult"}, result


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("He ought to be hanged.", "threat"),
        ("I said it before and I'll say it again: he should be hanged.", "threat"),
        ("Hang them from the lampposts, I say.", "threat"),
        ("They should all be hanged, I tell you.", "threat"),
        ("Muslims rob their neighbours.", "collective insult"),
        ("Roma steal, everyone says so.", "collective insult"),
        ("Don't Roma steal everything?", "collective insult"),
        ("Why do Albanians steal everything?", "collective insult"),
        ("Screw the Greeks.", "collective insult"),
        ("Read my lips: they should all be hanged.", "threat"),
        ("Justice demands that he should be hanged.", "threat"),
        ("Nobody asked, but the traitors should be strung up.", "threat"),
    ],
)
def test_the_new_patterns_said_or_asserted_are_still_held(
    scorer: Scorer, text: str, label: str
) -> None:
    result = scorer.score(text)
    assert result.held(), (text, result)
    assert label in {r.label for r in result.reasons}, result.reasons


# --- the newer patterns kept from civil comments; endorsed, agreed or answered forms held ------


@pytest.mark.parametrize(
    "text",
    [
        # A charge denied or reported before the group word, in its sentence.
        "It's simply not true that Roma steal more than anyone else.",
        "The idea that Jews cheat is an old antisemitic smear.",
        "It is a myth that Poles steal cars, the figures show the opposite.",
        "I don't believe Roma steal more than anyone else.",
        "Nobody here is saying Muslims rape anyone; read the article.",
        "I think most Poles steal nothing from anybody.",
        # Idioms and sport.
        "The Irish steal a late win at Twickenham!",
        "The Italians steal the show again at Eurovision.",
        "Screw the Germans, we beat them on penalties!",
        # A nationality as an adjective: the group word does not end the noun phrase.
        "Screw the English weather, we're going anyway.",
        "To hell with the French fries, I want salad.",
        "Screw the Chinese tariffs, buy local.",
        "Muslims rape statistics are no different from anyone else's.",
        # Narration, not a call; a pronoun on any tree.
        "We made paper stars with the kids and hang them on the tree every year.",
        "In 1920 a mob dragged him out and hung him from a tree; we must never forget that.",
        "My neighbour got his head kicked in outside the pub and the police never came.",
        "My son got his face smashed in at the match last week.",
        "Nobody deserves to be lynched, whatever he did.",
        "I hope he never gets his head kicked in like my brother did.",
        "Screw the Germans' new tax rules, honestly.",
        "To hell with the Dutch approach to cycling lanes, it never works here.",
        "Poles steal a march on their rivals with this deal.",
        "It's a lie that Muslims rob their neighbours.",
        "People say Roma steal, but the statistics say otherwise.",
    ],
)
def test_civil_comments_with_the_newer_patterns_words_are_not_held(
    scorer: Scorer, text: str
) -> None:
    result = scorer.score(text)
    assert not result.held(), (text, result)
    assert not {r.label for r in result.reasons} & {"threat", "collective insult"}, result


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # A quotation followed by agreement is the commenter's view.
        ('"Hang them from the lampposts" - yes, exactly what they deserve.', "threat"),
        # A reporting word counts only when the call is its complement.
        ("The police said nothing, so the thugs should all be hanged.", "threat"),
        # A trailing attribution to family or "always" endorses.
        ("Screw the Roma, as my granddad always said.", "collective insult"),
        ("Roma steal, my dad always says.", "collective insult"),
        ("Roma steal, as the mayor said.", "collective insult"),
        # An answered question.
        ("Should the lot of them be hanged from the nearest lamppost? Absolutely.", "threat"),
        # Still calls: a modal, an imperative, a pronoun from the nearest lamppost.
        ("Let's hang them from the nearest lamppost.", "threat"),
        ("That thug needs to get his head kicked in.", "threat"),
        ("Screw the Chinese.", "collective insult"),
        ("Hang them all from the nearest lamppost!", "threat"),
        ("I think Roma steal everything.", "collective insult"),
        ("Don't Roma steal everything?", "collective insult"),
    ],
)
def test_the_newer_patterns_endorsed_agreed_or_answered_are_held(
    scorer: Scorer, text: str, label: str
) -> None:
    result = scorer.score(text)
    assert result.held(), (text, result)
    assert label in {r.label for r in result.reasons}, result.reasons


def test_the_mention_check_of_the_newer_patterns_blanks_nothing_the_older_rules_read(
    scorer: Scorer,
) -> None:
    """The newer patterns' matches in a report are dropped (``mentioned_calls``), but the
    text is not blanked for them: what the older threat rule held (as at efe69a1) it holds."""
    text = "The mob shouted that he should be hanged."
    assert blank_mentions(text) == text
    assert mentioned_calls(text)  # the newer phrase is a mention here ...
    result = scorer.score(text)
    assert result.held(), result  # ... and the older rule still holds the call
    assert "threat" in {r.label for r in result.reasons}
    reported = "The crowd chanted that the minister should be strung up, witnesses said."
    assert blank_mentions(reported) == reported
    assert mentioned_calls(reported)
    assert not scorer.score(reported).held()


# --- violence wished on a person, the commenter's own saying, a denied question ----------------


@pytest.mark.parametrize(
    "text",
    [
        # Plural bodies: the trigger words of "get his head kicked in" took the singular only.
        "Those thugs should get their heads kicked in.",
        "The lot of them need to get their faces smashed in.",
        # The same wished on someone by a third party.
        "I hope someone kicks his head in after the match.",
        "Somebody should smash his face in, honestly.",
        "I'd like to punch his lights out.",
        "Someone ought to knock his teeth out.",
        "I hope they break his legs.",
        "Somebody should beat the hell out of him.",
        "I hope someone shoots him.",
        "Somebody should stab that traitor.",
        "That councillor needs a bullet.",
        "Frankly, the man deserves a bullet.",
    ],
)
def test_violence_wished_on_a_person_is_held_as_a_threat(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert result.held(), (text, result)
    assert "threat" in {r.label for r in result.reasons}, result.reasons
    spans_hold(text, result)


@pytest.mark.parametrize(
    "text",
    [
        # Reported, narrated, denied or forecast; or things, not people.
        "Police said the man kicked his head in outside the station.",
        "Nobody should get their head kicked in over a football match.",
        "In the film the hero kicks his head in and walks off.",
        "I hope nobody kicks his head in; he has been through enough.",
        "Witnesses said someone should shoot him, then the crowd dispersed.",
        "If he says that in Kabul they are going to kill him, sadly.",
        "Anyone who shoots them on sight will be prosecuted, the police warn.",
        "The report needs a bullet point list of the costs.",
        "I hope our defence breaks their hearts on Saturday.",
        "Nobody should shoot him for saying that.",
        "Will someone shoot him a message about the meeting?",
    ],
)
def test_violent_words_reported_denied_or_about_things_are_no_threat(
    scorer: Scorer, text: str
) -> None:
    result = scorer.score(text)
    assert "threat" not in {r.label for r in result.reasons}, (text, result)
    assert not result.held(), (text, result)


def test_killing_a_thing_is_no_threat(scorer: Scorer) -> None:
    # (The learned model alone weighs "kill" here; no rule calls it a threat.)
    result = scorer.score("Someone should kill the bill before it passes.")
    assert "threat" not in {r.label for r in result.reasons}, result


@pytest.mark.parametrize(
    "text",
    [
        "I say Roma steal.",
        "I'm saying Roma steal everything they touch.",
        "As I've always said, Albanians rob tourists.",
    ],
)
def test_a_charge_the_commenter_says_is_held(scorer: Scorer, text: str) -> None:
    """The commenter's own "I say" asserts the charge; it reports no one else's."""
    result = scorer.score(text)
    assert result.held(), (text, result)
    assert "collective insult" in {r.label for r in result.reasons}, result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "I never said Roma steal.",
        "I'm not saying Roma steal, read it again.",
        "If I say Roma steal, I am called a racist; I do not say it.",
        "They say Roma steal, but the figures show otherwise.",
    ],
)
def test_a_charge_denied_or_reported_by_the_commenter_is_not_held(
    scorer: Scorer, text: str
) -> None:
    result = scorer.score(text)
    assert not result.held(), (text, result)
    assert "collective insult" not in {r.label for r in result.reasons}, result.reasons


def test_a_call_for_violence_put_as_a_question_and_answered_no_is_no_threat(
    scorer: Scorer,
) -> None:
    text = "He deserves to be hanged? No, that is not what I said."
    result = scorer.score(text)
    assert not result.held(), result
    assert "threat" not in {r.label for r in result.reasons}, result.reasons
    # (The learned model alone still weighs "shot" here.)
    result = scorer.score("They should all be shot? No. They should face a court.")
    assert "threat" not in {r.label for r in result.reasons}, result.reasons
    # Answered yes, or an insult asked and answered: still held.
    for text in (
        "He deserves to be hanged? No doubt about it.",
        "They should all be shot? Absolutely.",
        "Are you really that stupid, you idiot? No, don't answer.",
    ):
        assert scorer.score(text).held(), text


# --- very short comments -------------------------------------------------------------------------

SHORT = ["the Irish", "the French", "The Muslims", "the women", "the", "the English", "to the Roma"]
FUNCTION_WORDS = {"the", "to", "a", "an", "of", "and", "in", "you", "he", "they"}


def test_a_wording_reason_is_never_a_function_word(scorer: Scorer) -> None:
    """A stop-word cited as "hostile wording" says nothing to a moderator."""
    for text, result in zip(SHORT, scorer.score_many(SHORT), strict=True):
        for r in result.reasons:
            if r.label == "hostile wording":
                assert all(w not in FUNCTION_WORDS for w in r.text.lower().split()), (text, r)


def test_a_bare_people_or_group_after_a_function_word_is_not_held(scorer: Scorer) -> None:
    """ "the Irish" was held at 0.52: the group's name weighs nothing, so the learned model's
    word block was "the" alone, L2-normalised to nearly its whole weight. Stop words' unigrams
    no longer weigh; what is said about the group still does."""
    for text, result in zip(SHORT, scorer.score_many(SHORT), strict=True):
        assert not result.held(), (text, result)
    for text in ("the Irish are vermin", "I hate the French", "the Muslims are rats"):
        assert scorer.score(text).held(), text


# --- a second review of violence wished on a person --------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "break his legs ",
        "kick his head in ",
        "someone should shoot him ",
        "he needs a bullet ",
        "he needs a bullet, ",
        "punch his lights out ",
        "beat the hell out of him ",
        "knock his teeth out ",
        "get his head kicked in ",
        "I'll break his legs ",
        "hang him from the nearest lamppost ",
        "I say Roma steal ",
        "the letter read: he needs a bullet ",
        "kill you? No, ",
    ],
)
def test_a_long_comment_of_one_repeated_phrase_scores_in_linear_time(
    scorer: Scorer, phrase: str
) -> None:
    """Each match read its clause back to the comment's start: 100,000 characters of "break
    his legs" took half a minute, of a reported bullet several minutes."""
    import time

    text = (phrase * (100_000 // len(phrase) + 1))[:100_000]
    t0 = time.perf_counter()
    result = scorer.score(text)
    elapsed = time.perf_counter() - t0
    assert elapsed < 3.0, (phrase, elapsed)
    spans_hold(text, result)


@pytest.mark.parametrize(
    "text",
    [
        # A tag question after a threat asks about nothing before its comma.
        "I will kill you, do you understand? No? Then read it again.",
        "I'm going to stab you, got it? No?",
        "You should be hanged, fair enough? No? Too bad.",
        "He deserves a bullet for what he did, am I wrong about that? No.",
        "I will kill you, is that clear? No.",
        # "No less ...": not an answer no.
        "Do they deserve to hang? No less than they deserve it.",
    ],
)
def test_a_threat_before_a_question_answered_no_is_still_held(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert result.held(), (text, result)
    assert "threat" in {r.label for r in result.reasons}, result.reasons


def test_the_question_answered_no_itself_still_drops_its_threat(scorer: Scorer) -> None:
    for text in (
        "Should we hang him? No.",
        "Would I like to kick his head in? No, I'm not violent.",
        "Honestly, should they all be shot? Nope - they should face a court.",
    ):
        assert "threat" not in {r.label for r in scorer.score(text).reasons}, text


@pytest.mark.parametrize(
    "text",
    [
        "His CV needs a bullet or two about teamwork.",
        "This paragraph needs a bullet.",
        "The army needs bullets and boots, not speeches.",
        "The quarterback needs a bullet pass on third down.",
        "Prosecutors said the note read: he needs a bullet.",
        "My slide deck needs a bullet, not another chart.",
        "The rifle needs bullets before the range opens.",
        "The anonymous letters read: you need a bullet.",
        "The bakery needs a bullet blender for the smoothies.",
        # Plural, no article: ammunition (a pronoun may be anyone: "you need bullets").
        "If you go hunting you need bullets.",
        "The soldiers need bullets, the minister admitted.",
    ],
)
def test_a_bullet_for_a_thing_or_a_reported_one_is_no_threat(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert "threat" not in {r.label for r in result.reasons}, (text, result)
    assert not result.held(), (text, result)


@pytest.mark.parametrize(
    "text",
    [
        "He needs a bullet.",
        "That councillor needs a bullet.",
        "Honestly, the mayor deserves a bullet in the head.",
        "That coward really needs a bullet, and soon.",
        "Everyone knows Smith needs a bullet between the eyes.",
        "She deserves a bullet for what she did.",
        "Those traitors need bullets.",
        "Lukashenko needs a bullet.",
    ],
)
def test_a_bullet_wanted_for_a_person_is_held(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert result.held(), (text, result)
    assert "threat" in {r.label for r in result.reasons}, result.reasons


@pytest.mark.parametrize(
    "text",
    [
        # Accidents foretold: the possessive is the subject's own.
        "He'll break his neck on that ladder.",
        "You'd break your neck on those stairs.",
        "She will break her legs skiing like that.",
        "They'd break their necks on that icy path.",
        # Previews and other people's forecasts.
        "McGregor will knock his teeth out on Saturday.",
        "The champion would punch his lights out in two rounds.",
        "That hook will knock his block off.",
        # A side of the commenter's beating the other in a contest.
        "I hope we beat the hell out of them in the derby.",
        "Let's beat the living daylights out of them at the quiz.",
        "We should beat the hell out of them 4-0 next week.",
    ],
)
def test_a_beating_foretold_or_in_a_contest_is_no_threat(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert "threat" not in {r.label for r in result.reasons}, (text, result)
    assert not result.held(), (text, result)


@pytest.mark.parametrize(
    "text",
    [
        "Let's smash their faces in.",
        "I'd break his legs if I could.",
        "If he shows up again I'll break his legs.",
        "I would gladly knock his teeth out.",
        "I'm going to punch his lights out.",
        "I hope he breaks his neck.",
        "Somebody should beat the hell out of him.",
        "Let's beat the hell out of him when he leaves the pub.",
    ],
)
def test_a_beating_wished_or_intended_is_held(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert result.held(), (text, result)
    assert "threat" in {r.label for r in result.reasons}, result.reasons


@pytest.mark.parametrize(
    "text",
    [
        # Asked about or witnessed, not wished.
        "Detectives want to know why someone would shoot him.",
        "Police need anyone who saw someone stab him to come forward.",
        "Parents need to know whether someone will stab them at the school gate.",
        # A contest: "shoot down", "kill off", "in the ratings".
        "I hope someone shoots him down in the debate tonight.",
        "Let's hope someone murders them in the ratings.",
        "I hope somebody kills him in the chess final, he's insufferable.",
        "I wish the writers would let someone kill him off next season.",
    ],
)
def test_killing_asked_about_or_in_a_contest_is_no_threat(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert "threat" not in {r.label for r in result.reasons}, (text, result)
    assert not result.held(), (text, result)


@pytest.mark.parametrize(
    "text",
    [
        "I hope someone shoots him.",
        "I'd love to see someone stab that traitor.",
        "Let's hope somebody strangles him in his sleep.",
        "I hope someone shoots him down like a dog.",
    ],
)
def test_killing_wished_on_a_person_is_still_held(scorer: Scorer, text: str) -> None:
    result = scorer.score(text)
    assert result.held(), (text, result)
    assert "threat" in {r.label for r in result.reasons}, result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "I'd hate for him to get his head kicked in at that pub.",
        "He'd get his head kicked in if he walked into that stadium in an away shirt.",
        "I'm dying to see who gets their head kicked in on the reality show tonight.",
        "You'd get your face smashed in wearing that shirt there, so be careful.",
    ],
)
def test_getting_ones_head_kicked_in_feared_or_foretold_is_no_threat(
    scorer: Scorer, text: str
) -> None:
    result = scorer.score(text)
    assert "threat" not in {r.label for r in result.reasons}, (text, result)
    assert not result.held(), (text, result)


def test_getting_ones_head_kicked_in_wished_is_still_held(scorer: Scorer) -> None:
    for text in (
        "I'd love to see him get his head kicked in.",
        "Those thugs should get their heads kicked in.",
        "We'd like them to get their faces smashed in.",
    ):
        result = scorer.score(text)
        assert result.held(), (text, result)
        assert "threat" in {r.label for r in result.reasons}, result.reasons


def test_a_charge_hedged_with_i_would_say_is_not_held(scorer: Scorer) -> None:
    for text in (
        "I'd say Gypsies steal less than bankers do.",
        "I would say Albanians cheat no more than anyone else.",
    ):
        result = scorer.score(text)
        assert "collective insult" not in {r.label for r in result.reasons}, (text, result)
        assert not result.held(), (text, result)
