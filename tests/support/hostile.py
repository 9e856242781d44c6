"""A hostile corpus, generated at test time: every kind of bad input next to good articles."""

from __future__ import annotations

import json
import os
from pathlib import Path

GOOD_ARTICLES = {
    "good-harbour.txt": (
        "Harbour reopens after the storm\n\n"
        "Officials in Valparaiso said on Monday that the quarantined harbour would reopen "
        "to cargo ships next week, after engineers inspected the damaged piers.\n\n"
        "The port authority said the repairs had cost less than expected.\n"),
    "good-orchestra.html": (
        "<!doctype html><html><head><meta charset='utf-8'><title>Orchestra tours the north"
        "</title></head><body><article><h1>Orchestra tours the north</h1>"
        "<p>The municipal orchestra began a xylophonic tour of northern towns on Friday, "
        "playing in school halls and churches that have not heard a concert in years.</p>"
        "<p>The conductor said the musicians wanted to reach people far from the city.</p>"
        "</article></body></html>"),
}
GOOD_JSONL_RECORD = {
    "id": "good-jsonl", "title": "Bridge vote delayed",
    "text": ("The council delayed its vote on the zeppelinesque bridge design on Tuesday.\n\n"
             "Councillors asked engineers for a second opinion on the cost."),
    "outlet": "Daily Example", "published": "2024-03-05",
}
# A word found in each good article and in nothing bad: the test searches for these.
GOOD_WORDS = {"good-harbour": "quarantined", "good-orchestra": "xylophonic",
              "good-jsonl": "zeppelinesque"}
BIG_TEXT_BYTES = 20 * 1024 * 1024


def _prose_paragraph(n: int) -> str:
    return (f"Paragraph {n}: the committee met again to discuss the budget, and members "
            "said the figures needed more work before a vote could be held. ")


def write_hostile_corpus(root: Path, *, big_text: bool = True) -> dict[str, str]:
    """Write the corpus under ``root``; returns {bad file name: what is wrong with it}.

    Files that are bad but still yield an article (a wrong declared charset that
    decodes as something else) are not in the returned map.
    """
    root.mkdir(parents=True, exist_ok=True)
    for name, text in GOOD_ARTICLES.items():
        (root / name).write_text(text, encoding="utf-8")
    bad: dict[str, str] = {}

    (root / "binary.txt").write_bytes(bytes(range(256)) * 64)
    bad["binary.txt"] = "binary"
    (root / "empty.txt").write_bytes(b"")
    bad["empty.txt"] = "empty"
    (root / "whitespace.html").write_bytes(b"  \n\t \n")
    bad["whitespace.html"] = "empty"
    (root / "latin1.txt").write_bytes(("Caf\xe9 cr\xe8me br\xfbl\xe9e. " * 400).encode("latin-1"))
    bad["latin1.txt"] = "not valid UTF-8"
    # A .txt whose sidecar declares an encoding its bytes are not (UTF-8 read as ascii).
    (root / "wrongsidecar.txt").write_text("Ça coûte très cher, dit-il. " * 50,
                                           encoding="utf-8")
    (root / "wrongsidecar.txt.meta.json").write_text(json.dumps({"encoding": "ascii"}))
    bad["wrongsidecar.txt"] = "not valid ascii"
    # A sidecar naming an encoding that does not exist.
    (root / "nosuchcodec.txt").write_text("Plain words here. " * 20, encoding="utf-8")
    (root / "nosuchcodec.txt.meta.json").write_text(json.dumps({"encoding": "klingon-8"}))
    bad["nosuchcodec.txt"] = "unknown declared encoding"
    # A sidecar that is not JSON: reported, but its article is still read.
    (root / "badsidecar.txt").write_text("Reporters gathered outside the courthouse. " * 5,
                                         encoding="utf-8")
    (root / "badsidecar.txt.meta.json").write_text("{not json at all")
    bad["badsidecar.txt.meta.json"] = "sidecar ignored"
    # HTML whose meta says shift_jis while the bytes are UTF-8: must not crash.
    (root / "wrongcharset.html").write_bytes(
        ("<html><head><meta charset='shift_jis'><title>Mislabelled</title></head><body>"
         "<article><p>Ünïcödé text — “quoted” — in a page that lies about its charset, "
         "long enough to count as an article body for extraction purposes.</p>"
         "<p>A second paragraph keeps the extractor happy with enough prose.</p>"
         "</article></body></html>").encode())
    # HTML nested 10,000 deep.
    depth = 10_000
    (root / "deep.html").write_text(
        "<html><body>" + "<div>" * depth + "<p>deeply nested words</p>" + "</div>" * depth
        + "</body></html>", encoding="utf-8")
    bad["deep.html"] = ""  # any reason (too deep / no text); it must not crash the build
    # A page that is only scripts.
    (root / "scripts.html").write_text(
        "<html><head><script>var a = 1;</script></head><body>"
        + "<script>document.write('x');</script>" * 200 + "</body></html>", encoding="utf-8")
    bad["scripts.html"] = ""
    # JSON Lines: a good record, broken lines and wrong types.
    lines = [json.dumps(GOOD_JSONL_RECORD), "{broken json", "[1, 2, 3]",
             json.dumps({"text": 42}), json.dumps({"title": "no body"}),
             json.dumps({"text": "Body here.", "title": {"nested": True}}), "null"]
    (root / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for n, reason in ((2, "not valid JSON"), (3, "expected a JSON object"),
                      (4, "field 'text' must be a string"), (5, "no 'text' or 'html'"),
                      (6, "field 'title' must be a string"), (7, "expected a JSON object")):
        bad[f"mixed.jsonl:{n}"] = reason
    # A folder symlink loop.
    loop = root / "loop"
    loop.mkdir()
    os.symlink("..", loop / "back-to-root")
    bad["loop/back-to-root"] = "symbolic link loop"
    if big_text:
        para = _prose_paragraph(0)
        count = BIG_TEXT_BYTES // len(para) + 1
        with open(root / "huge.txt", "w", encoding="utf-8") as fh:
            for i in range(count):
                fh.write(_prose_paragraph(i % 1000))
                if i % 5 == 4:
                    fh.write("\n\n")
        bad["huge.txt"] = ""
    return bad
