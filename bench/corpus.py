"""Deterministic synthetic news corpus for the benchmark.

Passages are built from real sentences (the seed articles and the article
bodies of the extraction-dev set), grouped into articles, attributed to
~200 actors drawn from a Zipf distribution, spread over ~20 outlets and
over 2019-2025.

Output (same seed -> byte-identical files):

* ``FILE.jsonl``: one article per line, ``{id, url, title, outlet, published,
  text}``; passages in ``text`` are separated by blank lines.  This is what
  ``searchsvc index build`` reads.
* ``FILE.actors.jsonl``: passage-level truth, one line per article in the same
  order, ``{id, passage_actors: [[name, ...], ...]}``.  The baselines take their
  actor facets from here, so they do not depend on searchsvc's enricher.
* ``FILE.gazetteer.json``: the actor catalogue in searchsvc's gazetteer format
  ``{version, actors: [{name, kind, aliases}]}`` (not passed to searchsvc by the
  runner: a same-name entry would replace the shipped one and its aliases).

Usage: ``python -m bench.corpus --passages N --out FILE.jsonl [--seed S]``
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

GENERATOR_VERSION = 1
REPO = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO / "seeds"
GROUND_TRUTH = Path("/work/shared/data/extraction-dev/ground-truth.json")

FIRST_DAY = np.datetime64("2019-01-01")
LAST_DAY = np.datetime64("2025-12-31")
MENTION_RATE = 0.3  # share of sentences that get an actor attribution

STOPWORDS = frozenset(
    """a about after all also an and any are as at be been but by can could did do does for
    from had has have he her his how i if in into is it its may more most new no not now of on
    one or our out over said she so some than that the their them then there these they this
    to two up was we were what when which who will with would you""".split()
)

OUTLETS: tuple[str, ...] = (
    "The Morning Ledger", "Capital Dispatch", "Global Wire Service", "Northern Herald",
    "The Continental Review", "Harbor City Tribune", "Eastern Post", "Meridian News",
    "The Atlantic Sentinel", "Pacific Chronicle", "Daily Observer", "Frontline Times",
    "The Civic Gazette", "Riverside Courier", "World Affairs Monitor", "Evening Standard Online",
    "The Liberty Journal", "Metro Press Agency", "The National Register", "Summit Report",
)

STATES: tuple[str, ...] = (
    "Russia", "Israel", "Ukraine", "China", "United States", "France", "Germany",
    "United Kingdom", "Turkey", "Iran", "Egypt", "Qatar", "Saudi Arabia", "Jordan", "Lebanon",
    "Syria", "India", "Japan", "South Korea", "Brazil", "Mexico", "Canada", "Italy", "Spain",
    "Poland", "Sweden", "Norway", "Australia", "South Africa", "Nigeria", "Kenya", "Ethiopia",
    "Pakistan", "Indonesia", "Argentina", "Chile", "Greece", "Hungary", "Belarus", "Kazakhstan",
    "United Arab Emirates", "Iraq", "Algeria", "Morocco", "Vietnam", "Thailand", "Philippines",
    "Netherlands", "Belgium", "Switzerland",
)

ORGANIZATIONS: tuple[str, ...] = (
    "United Nations", "European Union", "NATO", "World Health Organization",
    "International Committee of the Red Cross", "World Bank", "International Monetary Fund",
    "African Union", "Arab League", "World Trade Organization", "Amnesty International",
    "Human Rights Watch", "UNICEF", "World Food Programme", "Doctors Without Borders",
    "International Atomic Energy Agency", "Organization of American States", "OPEC",
    "European Commission", "International Criminal Court", "Council of Europe",
    "European Central Bank", "Federal Reserve", "Interpol", "UNESCO", "Greenpeace",
    "Oxfam", "Save the Children", "International Energy Agency", "Bank of England",
    "Securities and Exchange Commission", "Justice Department", "State Department",
    "Pentagon", "Kremlin", "Foreign Ministry", "Defense Ministry", "Supreme Court",
    "Election Commission", "Central Bank",
)

FIRST_NAMES: tuple[str, ...] = (
    "Elena", "Mikhail", "Sarah", "David", "Amira", "Jonathan", "Olga", "Rafael", "Mei",
    "Thomas", "Leila", "Viktor", "Grace", "Samuel", "Ingrid", "Hassan", "Claire", "Andrei",
    "Priya", "Marcus", "Natalia", "Yusuf", "Helen", "Daniel", "Sofia", "Kenji", "Fatima",
    "Robert", "Anna", "Omar", "Julia", "Pavel", "Laura", "Ahmed", "Irina", "Lucas", "Nadia",
    "Peter", "Maria", "Tariq", "Emma", "Sergei", "Chloe", "Ibrahim", "Hannah",
)
LAST_NAMES: tuple[str, ...] = (
    "Varga", "Petrov", "Whitfield", "Cohen", "Haddad", "Marlow", "Sokolova", "Mendes", "Lin",
    "Brennan", "Karimi", "Orlov", "Adeyemi", "Goldberg", "Lindqvist", "Nasser", "Dubois",
    "Volkov", "Raman", "Holloway", "Ivanova", "Demir", "Fischer", "Levin", "Rossi",
    "Takahashi", "Mansour", "Kowalski", "Novak", "Farouk", "Weber", "Morozov", "Castillo",
    "Aziz", "Kuznetsova", "Moreau", "Salem", "Schmidt", "Alvarez", "Qureshi", "Hartley",
    "Zhukov", "Bennett", "Okafor", "Reyes",
)
ROLES: tuple[str, ...] = (
    "Foreign Minister", "Prime Minister", "President", "Defense Minister", "Finance Minister",
    "Senator", "Ambassador", "spokesperson", "General", "Governor", "Mayor", "Deputy Minister",
    "chief executive", "Secretary-General", "analyst", "professor",
)
N_PERSONS = 110

# Attribution templates; {a} is the actor mention, {s} the sentence (first letter
# lowered when it starts with a common word), {b} the sentence without its final period.
PERSON_TEMPLATES = ("{role} {a} said {s}", "{b}, {role} {a} said.", "According to {a}, {s}")
ORG_TEMPLATES = ("According to the {a}, {s}", "{b}, the {a} said in a statement.",
                 "A spokesperson for the {a} said {s}")
ORG_BARE_TEMPLATES = ("According to {a}, {s}", "{b}, {a} said in a statement.",
                      "A spokesperson for {a} said {s}")
STATE_TEMPLATES = ("Officials in {a} said {s}", "{b}, according to officials in {a}.",
                   "The government of {a} said {s}")
N_TEMPLATES = 3


@dataclass(frozen=True)
class ActorSpec:
    """One actor of the catalogue: canonical name, kind and (for persons) a role."""

    name: str
    kind: str  # person | organization | state
    role: str = ""


@lru_cache(maxsize=1)
def actor_catalogue() -> tuple[ActorSpec, ...]:
    """The ~200 actors in Zipf rank order (rank 0 is the most mentioned); fixed, seed-free."""
    persons = []
    for i in range(N_PERSONS):
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        last = LAST_NAMES[(i * 7 + i // len(FIRST_NAMES)) % len(LAST_NAMES)]
        persons.append(ActorSpec(f"{first} {last}", "person", ROLES[(i * 5) % len(ROLES)]))
    orgs = [ActorSpec(o, "organization") for o in ORGANIZATIONS]
    states = [ActorSpec(s, "state") for s in STATES]
    actors = persons + orgs + states
    assert len({a.name for a in actors}) == len(actors), "actor names must be unique"
    order = np.random.default_rng(20240601).permutation(len(actors))
    return tuple(actors[i] for i in order)


def zipf_weights(n: int, s: float = 1.0) -> np.ndarray:
    """Normalised Zipf weights 1/rank^s for ranks 1..n."""
    w = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** s
    return w / w.sum()


_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“‘(]?[A-Z])")
_WORD = re.compile(r"[A-Za-z]+")


def _is_english(text: str) -> bool:
    words = _WORD.findall(text.lower())
    return len(words) >= 20 and sum(w in STOPWORDS for w in words) / len(words) > 0.25


def _sentences(text: str) -> Iterator[str]:
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(line.split()) < 8:  # headlines, captions, ad labels, credits
            continue
        for sent in _SENT_SPLIT.split(line):
            sent = sent.strip()
            n_words = len(sent.split())
            if not (6 <= n_words <= 60 and len(sent) >= 40):
                continue
            if sent[-1] not in ".!?\"”’" or sent.endswith("...") or sent.endswith("…"):
                continue
            if not (sent[0].isupper() or sent[0] in "\"“‘("):
                continue
            yield sent


@lru_cache(maxsize=1)
def sentence_pool() -> tuple[str, ...]:
    """All usable sentences, deduplicated, in a fixed order (seed files, then ground truth)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]
    if GROUND_TRUTH.exists():
        data = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
        texts += [data[k].get("articleBody", "") for k in sorted(data)]
    seen: dict[str, None] = {}
    for text in texts:
        if _is_english(text):
            for sent in _sentences(text):
                seen.setdefault(sent, None)
    if len(seen) < 50:
        raise RuntimeError(f"sentence pool too small ({len(seen)}); are the seeds present?")
    return tuple(seen)


def _lower_first(sent: str) -> str:
    first = sent.split(" ", 1)[0]
    return sent[0].lower() + sent[1:] if first.lower() in STOPWORDS else sent


def _mention(sent: str, actor: ActorSpec, template: int) -> str:
    if actor.kind == "person":
        tpls = PERSON_TEMPLATES
    elif actor.kind == "state":
        tpls = STATE_TEMPLATES
    else:
        bare = actor.name.isupper() or actor.name.endswith(("Watch", "International"))
        tpls = ORG_BARE_TEMPLATES if bare else ORG_TEMPLATES
    tpl = tpls[template]
    if "{b}" in tpl and not sent.endswith("."):
        tpl = tpls[0]  # sentences ending in quotes or "?" keep their ending
    return tpl.format(a=actor.name, role=actor.role, s=_lower_first(sent), b=sent[:-1])


def _slug(text: str, words: int = 8) -> str:
    return "-".join(w.lower() for w in _WORD.findall(text)[:words]) or "article"


def _domain(outlet: str) -> str:
    return "www." + "".join(w.lower() for w in _WORD.findall(outlet) if w.lower() != "the") + ".com"


def generate(n_passages: int, seed: int = 0) -> Iterator[tuple[dict[str, str], list[list[str]]]]:
    """Yield ``(article, passage_actors)`` pairs until exactly ``n_passages`` passages."""
    rng = np.random.default_rng([GENERATOR_VERSION, seed])
    pool = sentence_pool()
    actors = actor_catalogue()

    # Article sizes (8-12 passages, the last one truncated so the total is exact).
    sizes = rng.integers(8, 13, size=n_passages // 8 + 2)
    ends = np.cumsum(sizes)
    n_articles = int(np.searchsorted(ends, n_passages) + 1)
    sizes = sizes[:n_articles].copy()
    sizes[-1] -= int(ends[n_articles - 1] - n_passages)

    sents_per_passage = rng.integers(2, 6, size=n_passages)
    n_sents = int(sents_per_passage.sum())
    sent_idx = rng.integers(0, len(pool), size=n_sents)
    mentioned = rng.random(n_sents) < MENTION_RATE
    actor_idx = rng.choice(len(actors), size=n_sents, p=zipf_weights(len(actors)))
    template_idx = rng.integers(0, N_TEMPLATES, size=n_sents)
    outlet_idx = rng.choice(len(OUTLETS), size=n_articles, p=zipf_weights(len(OUTLETS), 0.8))
    n_days = int((LAST_DAY - FIRST_DAY).astype(int)) + 1
    days = (FIRST_DAY + rng.integers(0, n_days, size=n_articles)).astype(str)
    title_idx = rng.integers(0, len(pool), size=n_articles)
    title_len = rng.integers(6, 13, size=n_articles)

    sent_idx_l, mentioned_l = sent_idx.tolist(), mentioned.tolist()
    actor_idx_l, template_l = actor_idx.tolist(), template_idx.tolist()
    spp = sents_per_passage.tolist()
    p = s = 0
    for a in range(n_articles):
        passages: list[str] = []
        passage_actors: list[list[str]] = []
        for _ in range(int(sizes[a])):
            parts: list[str] = []
            names: list[str] = []
            for _ in range(spp[p]):
                sent = pool[sent_idx_l[s]]
                if mentioned_l[s]:
                    actor = actors[actor_idx_l[s]]
                    sent = _mention(sent, actor, template_l[s])
                    if actor.name not in names:
                        names.append(actor.name)
                parts.append(sent)
                s += 1
            passages.append(" ".join(parts))
            passage_actors.append(names)
            p += 1
        article_id = f"bench-{seed}-{a:08d}"
        outlet = OUTLETS[int(outlet_idx[a])]
        published = str(days[a])
        title_words = pool[int(title_idx[a])].split()[: int(title_len[a])]
        title = " ".join(title_words).strip(",.;:!?\"“”‘’'() ")
        url = (f"https://{_domain(outlet)}/{published.replace('-', '/')}/"
               f"{_slug(title)}-{a:08d}")
        article = {"id": article_id, "url": url, "title": title, "outlet": outlet,
                   "published": published, "text": "\n\n".join(passages)}
        yield article, passage_actors


def sidecar_paths(out: Path) -> tuple[Path, Path]:
    """Paths of the actor-truth and gazetteer side files for corpus file ``out``."""
    stem = out.name[: -len(".jsonl")] if out.name.endswith(".jsonl") else out.name
    return out.with_name(stem + ".actors.jsonl"), out.with_name(stem + ".gazetteer.json")


def write_corpus(n_passages: int, out: Path, seed: int = 0) -> dict[str, int | float]:
    """Write the corpus and its side files; return counts and the generation time."""
    t0 = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    actors_path, gazetteer_path = sidecar_paths(out)
    n_articles = 0
    tmp, tmp_actors = out.with_name(out.name + ".tmp"), actors_path.with_name(
        actors_path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f, \
            open(tmp_actors, "w", encoding="utf-8", newline="\n") as fa:
        for article, passage_actors in generate(n_passages, seed):
            f.write(json.dumps(article, ensure_ascii=False) + "\n")
            fa.write(json.dumps({"id": article["id"], "passage_actors": passage_actors},
                                ensure_ascii=False) + "\n")
            n_articles += 1
    gazetteer = {"version": 1, "actors": [{"name": a.name, "kind": a.kind, "aliases": []}
                                          for a in actor_catalogue()]}
    gazetteer_path.write_text(json.dumps(gazetteer, indent=1, ensure_ascii=False) + "\n",
                              encoding="utf-8")
    tmp_actors.replace(actors_path)
    tmp.replace(out)  # the corpus file appears last: its presence means "complete"
    return {"passages": n_passages, "articles": n_articles, "bytes": out.stat().st_size,
            "seconds": round(time.perf_counter() - t0, 3)}


@dataclass
class PassageRecord:
    """One passage as the baselines index it."""

    rowid: int
    id: str
    article_id: str
    title: str
    outlet: str
    published: str
    month: str
    text: str
    actors: list[str]


def read_passages(corpus: Path) -> Iterator[PassageRecord]:
    """Passages of a generated corpus (text split on blank lines) with their true actors."""
    actors_path, _ = sidecar_paths(corpus)
    rowid = 0
    with open(corpus, encoding="utf-8") as f, open(actors_path, encoding="utf-8") as fa:
        for line, actor_line in zip(f, fa, strict=True):
            art = json.loads(line)
            truth = json.loads(actor_line)
            if truth["id"] != art["id"]:
                raise ValueError(f"side file out of step at {art['id']}")
            texts = [t for t in art["text"].split("\n\n") if t.strip()]
            for ordinal, (text, names) in enumerate(zip(texts, truth["passage_actors"],
                                                        strict=True)):
                rowid += 1
                yield PassageRecord(rowid, f"{art['id']}-{ordinal}", art["id"], art["title"],
                                    art["outlet"], art["published"], art["published"][:7],
                                    text, names)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n")[0])
    ap.add_argument("--passages", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.passages < 1:
        ap.error("--passages must be >= 1")
    stats = write_corpus(args.passages, args.out, args.seed)
    print(json.dumps(stats), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
