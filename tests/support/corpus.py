"""Generated corpora big enough to make a build take a few seconds."""

from __future__ import annotations

import json
from pathlib import Path

OUTLETS = ("Harbour Herald", "Valley Times", "Coastal Post", "Northern Ledger")


def write_jsonl_corpus(path: Path, articles: int, *, word: str = "budget") -> Path:
    """``articles`` made-up articles as JSON Lines, each mentioning ``word``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for n in range(articles):
            paragraphs = [
                f"The council of town {n} met on Monday to discuss the {word} for next year.",
                f"Mayor Ana Lopez said the figures for district {n % 37} needed more work "
                "before a vote could be held, and officials agreed.",
                f"Residents asked about road repairs, the library and item {n} on the agenda.",
            ]
            record = {"id": f"art-{n:05d}", "title": f"Council debates the {word} ({n})",
                      "outlet": OUTLETS[n % len(OUTLETS)],
                      "published": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
                      "text": "\n\n".join(paragraphs)}
            fh.write(json.dumps(record) + "\n")
    return path
