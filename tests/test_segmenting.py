"""Passages are paragraphs: fragments merge, long paragraphs split at sentences."""

from __future__ import annotations

from searchsvc.segmenting import MAX_CHARS, MIN_CHARS, segment, sentence_spans

LONG_SENTENCE = "The council met again on Tuesday to discuss the ceasefire proposal in detail. "


def test_paragraphs_become_passages_with_exact_offsets():
    text = ("First paragraph of reporting, long enough to stand alone as a passage.\n\n"
            "Second paragraph of reporting, also long enough to stand on its own here.")
    spans = segment(text)
    assert len(spans) == 2
    assert text[spans[0][0]:spans[0][1]].startswith("First paragraph")
    assert text[spans[1][0]:spans[1][1]].endswith("on its own here.")


def test_tiny_fragment_merges_with_the_next_paragraph():
    text = "MOSCOW —\n\nThe Kremlin said on Monday that talks would resume next week in Geneva."
    (span,) = segment(text)
    assert span == (0, len(text))


def test_trailing_fragment_merges_with_the_previous_paragraph():
    text = ("The Kremlin said on Monday that talks would resume next week in Geneva.\n\n"
            "He agreed.")
    (span,) = segment(text)
    assert text[span[0]:span[1]].endswith("He agreed.")


def test_long_paragraph_splits_at_sentence_boundaries():
    paragraph = LONG_SENTENCE * 30
    spans = segment(paragraph.strip())
    assert len(spans) > 1
    for start, end in spans:
        chunk = paragraph[start:end]
        assert MIN_CHARS <= len(chunk) <= MAX_CHARS
        assert chunk.startswith("The council") and chunk.endswith("detail.")


def test_sentences_do_not_break_after_abbreviations():
    text = "Mr. Smith flew to the U.S. on Oct. 7. He said “yes.” Then he left."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Mr. Smith flew to the U.S. on Oct. 7.", "He said “yes.”", "Then he left."]


def test_seed_article_segments_cover_every_paragraph():
    text = open("seeds/002_4192582332c1c77f.txt", encoding="utf-8").read()
    spans = segment(text)
    covered = " ".join(text[s:e] for s, e in spans)
    for paragraph in text.split("\n\n"):
        assert paragraph.strip()[:40] in covered
