"""Near-duplicate statements across the seed articles."""

from __future__ import annotations

import json
from pathlib import Path

from searchsvc.dedup import cluster_texts, features
from searchsvc.enriching import Gazetteer
from searchsvc.quotes import extract_quotes

LABELLED = Path(__file__).resolve().parent / "data" / "statements.json"


def seed_statements() -> list[tuple[str, str]]:
    gaz = Gazetteer.load()
    items = []
    for art in json.loads(LABELLED.read_text(encoding="utf-8"))["articles"][:5]:
        ids = [f"{art['id'][:3]}.{i}" for i in range(len(art["passages"]))]
        for j, q in enumerate(extract_quotes(art["passages"], passage_ids=ids, gazetteer=gaz)):
            if len(q.text.split()) >= 2:
                items.append((f"{q.passage_id}:{j}", f"{q.speaker or ''} {q.text}"))
    return items


def test_seed_clusters() -> None:
    items = seed_statements()
    text = dict(items)
    clusters = cluster_texts(items)

    def key(prefix: str, needle: str) -> str:
        return next(k for k, t in items if k.startswith(prefix) and needle in t)

    unacceptable_forbes = key("001.", "absolutely unacceptable")
    unacceptable_ain = key("003.", "absolutely unacceptable")
    assert clusters[unacceptable_forbes] == clusters[unacceptable_ain]
    leningrad_toi = key("002.", "siege of Leningrad")
    leningrad_ain = key("003.", "siege of Leningrad")
    assert clusters[leningrad_toi] == clusters[leningrad_ain]
    peskov = key("002.", "we have not succeeded")
    assert clusters[peskov] != clusters[unacceptable_forbes]
    assert clusters[peskov] != clusters[leningrad_toi]
    assert text  # keys are unique


def test_normalisation_ignores_quote_marks_and_case() -> None:
    typographic = features("“Absolutely unacceptable,” he said")
    assert typographic == features('"absolutely Unacceptable" he said')


def test_small_edit_still_clusters_and_unrelated_do_not() -> None:
    items = [
        ("a", "Peskov said Russia is ready to host talks between the two sides in Moscow."),
        ("b", "Peskov said that Russia was ready to host talks between both sides in Moscow"),
        ("c", "Erdogan urged an immediate ceasefire and humanitarian corridors for Gaza."),
        ("d", "The central bank raised interest rates to curb inflation."),
    ]
    clusters = cluster_texts(items)
    assert clusters["a"] == clusters["b"] == "a"
    assert len({clusters["a"], clusters["c"], clusters["d"]}) == 3
