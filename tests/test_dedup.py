"""Near-duplicate statements across the seed articles; robustness and query-time cost."""

from __future__ import annotations

import json
import random
from pathlib import Path

from searchsvc.dedup import cluster_texts, features
from searchsvc.enriching import Gazetteer
from searchsvc.quotes import extract_quotes

LABELLED = Path(__file__).resolve().parent / "data" / "statements.json"


def seed_statements() -> tuple[list[tuple[str, str]], list[str | None]]:
    """(key, quote text) for the seeds' statements, and their speakers as groups."""
    gaz = Gazetteer.load()
    items, groups = [], []
    for art in json.loads(LABELLED.read_text(encoding="utf-8"))["articles"][:5]:
        ids = [f"{art['id'][:3]}.{i}" for i in range(len(art["passages"]))]
        for j, q in enumerate(extract_quotes(art["passages"], passage_ids=ids, gazetteer=gaz)):
            if len(q.text.split()) >= 2:
                items.append((f"{q.passage_id}:{j}", q.text))
                groups.append(q.speaker)
    return items, groups


def test_seed_clusters() -> None:
    items, groups = seed_statements()
    clusters = cluster_texts(items, groups=groups)
    speaker = dict(zip((k for k, _ in items), groups, strict=True))

    def key(prefix: str, needle: str, who: str | None = None) -> str:
        return next(k for (k, t), g in zip(items, groups, strict=True)
                    if k.startswith(prefix) and needle in t and who in (None, g))

    unacceptable_forbes = key("001.", "absolutely unacceptable")
    unacceptable_ain = key("003.", "absolutely unacceptable")
    assert clusters[unacceptable_forbes] == clusters[unacceptable_ain]
    leningrad_toi = key("002.", "siege of Leningrad")
    leningrad_ain = key("003.", "siege of Leningrad")
    assert clusters[leningrad_toi] == clusters[leningrad_ain]
    peskov = key("002.", "we have not succeeded")
    assert clusters[peskov] != clusters[unacceptable_forbes]
    assert clusters[peskov] != clusters[leningrad_toi]
    # the over-merge this replaced: Russia's "cruel methods" with Putin's other statements
    cruel = key("002.", "cruel methods", "Russia")
    for other in (key("001.", "unprecedented in its cruelty"), unacceptable_forbes,
                  key("003.", "cruel methods", "Vladimir Putin")):
        assert clusters[cruel] != clusters[other], other
    assert clusters[key("001.", "stop the bloodshed")] != clusters[key("002.", "unacceptable")]
    # every cluster has one speaker
    by_cluster: dict[str, set] = {}
    for k, c in clusters.items():
        by_cluster.setdefault(c, set()).add(speaker[k])
    assert all(len(s - {None}) <= 1 for s in by_cluster.values())


def test_normalisation_ignores_quote_marks_and_case() -> None:
    typographic = features("“Absolutely unacceptable,” he said")
    assert typographic == features('"absolutely Unacceptable" he said')


def test_small_edits_cluster_and_unrelated_do_not() -> None:
    base = "Peskov said Russia is ready to host talks between the two sides in Moscow."
    items = [
        ("a", base),
        ("b", "Peskov said that Russia was ready to host talks between both sides in Moscow"),
        ("curly", "Peskov said “Russia is ready to host talks between the two sides in Moscow”"),
        ("dropped", "Peskov said Russia is ready to host talks between the sides in Moscow."),
        ("case", "PESKOV SAID: RUSSIA IS READY TO HOST TALKS, BETWEEN THE TWO SIDES, IN MOSCOW!"),
        ("c", "Erdogan urged an immediate ceasefire and humanitarian corridors for Gaza."),
        ("d", "The central bank raised interest rates to curb inflation."),
    ]
    clusters = cluster_texts(items)
    assert {clusters[k] for k in ("a", "b", "curly", "dropped", "case")} == {"a"}
    assert len({clusters["a"], clusters["c"], clusters["d"]}) == 3


def test_groups_must_agree_and_short_items_need_the_same_words() -> None:
    items = [("r", "cruel methods"), ("p", "cruel methods"), ("r2", "“Cruel methods”"),
             ("u1", "this is unacceptable"), ("u2", "absolutely unacceptable")]
    clusters = cluster_texts(items, groups=["Russia", "Vladimir Putin", "Russia", None, None])
    assert clusters["r"] == clusters["r2"] == "r" and clusters["p"] == "p"
    assert clusters["u1"] != clusters["u2"]


def test_500_items_at_query_time_cluster_correctly_and_deterministically() -> None:
    """The query-time load (500 items); its cost is measured in docs/quotes.md, not here."""
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(3000)]
    bases = [" ".join(rng.choice(vocab) for _ in range(60)) for _ in range(250)]
    items = [(i, bases[i % 250] if i < 250 else bases[i % 250].replace(" ", " the ", 3))
             for i in range(500)]
    clusters = cluster_texts(items)
    assert all(clusters[i] == i % 250 for i in range(500))
    assert clusters == cluster_texts(items)


def test_one_word_quote_is_not_a_statement_on_its_own() -> None:
    """The old over-merge: every "unacceptable" joined one cluster, whatever was meant."""
    items = [("a", "unacceptable"), ("b", "“Unacceptable”"), ("c", "unacceptable"),
             ("d", "unacceptable"), ("e", "unacceptable")]
    groups = [None, None, "Vladimir Putin", "Vladimir Putin", "Vladimir Putin"]
    siege = ("Putin said the civilian casualties in Gaza were unacceptable and called for a "
             "ceasefire at a summit in Kyrgyzstan.")
    contexts = [
        "The referee's call was unacceptable, the coach said after the match.",
        "Parents called the school's new dress code unacceptable.",
        siege,
        "Putin called the expansion of NATO to Finland unacceptable in a televised address.",
        siege.replace("at a summit", "during a summit").replace("Putin said", "Putin stated"),
    ]
    alone = cluster_texts(items, groups=groups)
    assert alone["a"] == "a" and alone["b"] == "b"  # no speaker: the same word only
    clusters = cluster_texts(items, groups=groups, contexts=contexts)
    assert clusters["a"] == "a" and clusters["b"] == "b"
    assert clusters["d"] == "d"  # same speaker, unrelated passage: a different statement
    assert clusters["e"] == "c"  # same speaker, near-duplicate passage: the same statement
