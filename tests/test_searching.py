"""The search function shared by the CLI and the API, exercised on the seed index."""

from __future__ import annotations

import pytest

from searchsvc import indexing
from searchsvc.querying import QueryError
from searchsvc.searching import SearchRequest, SearchService


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("search-index")
    indexing.build(["seeds"], index_dir)
    return SearchService(index_dir)


def values(facet):
    return {f["value"]: f["count"] for f in facet}


def test_ranked_hits_carry_metadata_highlight_and_score(svc):
    resp = svc.search(SearchRequest(q="absolutely unacceptable"))
    assert resp.total == 2
    assert {h["outlet"] for h in resp.hits} == {"Forbes", "All Israel News"}
    top = resp.hits[0]
    assert "<mark>absolutely</mark> <mark>unacceptable</mark>" in top["highlight"]
    assert top["score"] > 0 and top["passage_id"].startswith(top["article_id"])
    assert top["text"][top["text"].index("absolutely"):].startswith("absolutely")


def test_phrase_query_marks_the_phrase_not_scattered_words(svc):
    resp = svc.search(SearchRequest(q='"siege of Leningrad"'))
    assert resp.total >= 1
    for hit in resp.hits:
        assert "<mark>siege of Leningrad</mark>" in hit["highlight"]
        assert hit["highlight"].count("<mark>") == 1


def test_boolean_prefix_and_field_syntax(svc):
    both = svc.search(SearchRequest(q="Putin Netanyahu")).total
    either = svc.search(SearchRequest(q="Putin OR Netanyahu")).total
    putin_only = svc.search(SearchRequest(q="Putin NOT Netanyahu")).total
    assert either > putin_only > 0 and either > both
    assert svc.search(SearchRequest(q="Leningr*")).total >= 2
    assert svc.search(SearchRequest(q="outlet:forbes")).total == values(
        svc.search(SearchRequest()).facets["outlet"])["Forbes"]
    assert svc.search(SearchRequest(q="speaker:peskov")).total >= 2


def test_syntax_errors_fall_back_to_plain_terms(svc):
    assert svc.search(SearchRequest(q='"Leningrad')).total >= 2
    assert svc.search(SearchRequest(q="(Leningrad OR")).total >= 2
    assert svc.search(SearchRequest(q="nosuchfield:Leningrad")).total >= 2


def test_title_words_rank_but_do_not_make_every_passage_match(svc):
    resp = svc.search(SearchRequest(q="tolerate"))
    assert resp.total == 0  # only in the Newsweek headline, not in any passage


def test_filters_or_within_a_facet_and_across_facets(svc):
    all_outlets = values(svc.search(SearchRequest()).facets["outlet"])
    two = svc.search(SearchRequest(outlets=["Forbes", "Newsweek"]))
    assert two.total == all_outlets["Forbes"] + all_outlets["Newsweek"]
    narrowed = svc.search(SearchRequest(outlets=["Forbes", "Newsweek"], actors=["Vladimir Putin"]))
    assert 0 < narrowed.total < two.total
    assert all(any(a["name"] == "Vladimir Putin" for a in h["actors"]) for h in narrowed.hits)


def test_facet_counts_are_multi_select(svc):
    everything = svc.search(SearchRequest(q="Putin"))
    picked = svc.search(SearchRequest(q="Putin", outlets=["Forbes"]))
    # The outlet facet ignores its own selection: other outlets keep their real counts.
    assert values(picked.facets["outlet"]) == values(everything.facets["outlet"])
    assert [f["value"] for f in picked.facets["outlet"] if f["selected"]] == ["Forbes"]
    # Other facets apply it.
    assert values(picked.facets["actor"]) != values(everything.facets["actor"])
    assert picked.total == values(everything.facets["outlet"])["Forbes"]


def test_date_filters_are_inclusive_on_publication_date(svc):
    only_day = svc.search(SearchRequest(date_from="2023-10-13", date_to="2023-10-13"))
    assert only_day.total > 0
    assert {h["published"] for h in only_day.hits} == {"2023-10-13"}
    year = svc.search(SearchRequest(date_to="2022-12-31", per_page=100))
    assert {h["outlet"] for h in year.hits} == {"Newsweek"}
    # The month histogram ignores the date filter (it is that facet's selection).
    assert len(year.facets["month"]) == 2
    assert [m["value"] for m in year.facets["month"] if m["selected"]] == ["2021-05"]


def test_sort_by_date_both_ways_and_browse_without_query(svc):
    newest = svc.search(SearchRequest(sort="-date", per_page=100)).hits
    oldest = svc.search(SearchRequest(sort="date", per_page=100)).hits
    dates = [h["published"] for h in newest]
    assert dates == sorted(dates, reverse=True)
    assert [h["published"] for h in oldest] == sorted(dates)


def test_pagination_walks_all_hits_once(svc):
    first = svc.search(SearchRequest(q="Israel", per_page=5))
    seen = []
    for page in range(1, first.pages + 1):
        seen += [h["passage_id"] for h in
                 svc.search(SearchRequest(q="Israel", per_page=5, page=page)).hits]
    assert len(seen) == len(set(seen)) == first.total


def test_spelling_suggestion(svc):
    assert svc.search(SearchRequest(q="Netanyahoo ceasefire")).suggestion == "netanyahu ceasefire"
    assert svc.search(SearchRequest(q="Netanyahu ceasefire")).suggestion is None


def test_spelling_suggestion_only_when_few_hits(svc, monkeypatch):
    """A search that finds enough passages gets no suggestion, and the speller is not asked."""
    from searchsvc import searching

    many = svc.search(SearchRequest(q="Israel OR Netanyahoo"))
    assert many.total > searching.SUGGEST_MAX_HITS and many.suggestion is None
    asked = []
    monkeypatch.setattr(searching.Speller, "suggest", lambda self, q: asked.append(q))
    fresh = SearchService(svc.index_dir, cache_responses=False)
    fresh.search(SearchRequest(q="Israel"))
    assert asked == []
    fresh.search(SearchRequest(q="Netanyahoo"))
    assert asked == ["Netanyahoo"]


@pytest.mark.parametrize("request_kwargs,param", [
    ({"page": 0}, "page"), ({"per_page": 101}, "per_page"), ({"per_page": 0}, "per_page"),
    ({"page": 10**9}, "page"), ({"sort": "popular"}, "sort"), ({"date_from": "yesterday"}, "from"),
    ({"date_from": "2024-01-02", "date_to": "2024-01-01"}, "from"),
    ({"q": "x" * 5000}, "q"), ({"q": "*ing"}, "q"), ({"q": "a*"}, "q"), ({"q": "putin~5"}, "q"),
    ({"q": " ".join(f"w{i}" for i in range(200))}, "q"),
])
def test_expensive_or_invalid_requests_are_refused_naming_the_parameter(svc, request_kwargs,
                                                                        param):
    with pytest.raises(QueryError) as info:
        svc.search(SearchRequest(**request_kwargs))
    assert info.value.param == param


def test_article_has_metadata_provenance_passages_and_removed_lines(svc):
    art = svc.article("004_9bb485b22de1bfd6")
    assert art["outlet"] == "The Moscow Times" and art["provenance"]["outlet"] == "manifest"
    assert {r["rule"] for r in art["removed"]} >= {"donation-appeal", "headline"}
    assert [p["ordinal"] for p in art["passages"]] == list(range(len(art["passages"])))
    assert svc.article("../../etc/passwd") is None and svc.article("nope") is None


def test_facet_values_lists_everything_with_prefix(svc):
    everything = svc.facet_values("actor", limit=1000)
    assert len(everything) > 10
    v = svc.facet_values("actor", prefix="vlad")
    assert [x["value"] for x in v] == ["Vladimir Putin"]
    with pytest.raises(QueryError):
        svc.facet_values("colour")


def test_relevance_hits_respect_every_filter(svc):
    resp = svc.search(SearchRequest(q="civilian casualties", outlets=["Forbes", "The Moscow Times"],
                                    date_from="2023-01-01", per_page=100))
    assert resp.total == len(resp.hits) > 0
    assert {h["outlet"] for h in resp.hits} <= {"Forbes", "The Moscow Times"}


def test_a_tiny_time_budget_returns_partial_results_marked_timed_out(tmp_path):
    index_dir = tmp_path / "ix"
    indexing.build(["seeds"], index_dir)
    slow = SearchService(index_dir, time_limit=0.0)
    resp = slow.search(SearchRequest(q="Israel OR Russia OR Putin"))
    assert resp.timed_out is True


def test_facet_field_syntax_resolves_to_canonical_values(svc):
    putin = svc.search(SearchRequest(actors=["Vladimir Putin"])).total
    assert svc.search(SearchRequest(q="actor:putin")).total == putin
    assert svc.search(SearchRequest(q='actor:"vladimir putin"')).total == putin
    peskov = svc.search(SearchRequest(speakers=["Dmitry Peskov"])).total
    assert svc.search(SearchRequest(q="speaker:pesk*")).total == peskov
    both = svc.search(SearchRequest(outlets=["The Times of Israel"])).total
    assert svc.search(SearchRequest(q='outlet:"times of israel"')).total == both
    assert svc.search(SearchRequest(q="actor:nobody")).total == 0
    assert svc.search(SearchRequest(q="actor:nobody OR Leningrad")).total >= 2


def test_repeated_searches_are_served_from_the_generation_cache(tmp_path):
    index_dir = tmp_path / "ix"
    indexing.build(["seeds"], index_dir)
    svc = SearchService(index_dir)
    first = svc.search(SearchRequest(q="Leningrad"))
    again = svc.search(SearchRequest(q="Leningrad"))
    assert again.hits is first.hits and again.total == first.total
    assert svc.search(SearchRequest(q="Leningrad", per_page=1)).hits is not first.hits
    indexing.add(["seeds/002_4192582332c1c77f.txt"], index_dir)
    fresh = svc.search(SearchRequest(q="Leningrad"))
    assert fresh.generation != first.generation and fresh.hits is not first.hits
    uncached = SearchService(index_dir, cache_responses=False)
    assert uncached.search(SearchRequest(q="x")).hits is not uncached.search(
        SearchRequest(q="x")).hits


def test_an_unknown_facet_value_in_an_and_matches_nothing(svc):
    assert svc.search(SearchRequest(q="Leningrad")).total >= 2
    assert svc.search(SearchRequest(q="outlet:nope Leningrad")).total == 0
    assert svc.search(SearchRequest(q="actor:nobody AND Leningrad")).total == 0
    assert svc.search(SearchRequest(q="outlet:nope OR Leningrad")).total >= 2


# -- per-document arrays saved with a generation (searchsvc.columns) ---------------------------


def _column_arrays(cols) -> dict:
    out = {"day": cols.day, "live": cols.live}
    for name, col in [*cols.facets.items(), ("quoted", cols.quoted)]:
        out[name] = (col.values, col.offsets, col.docs, col.vals, col.weights,
                     sorted(col.by_doc.items()))
    return out


def _assert_same_arrays(a: dict, b: dict) -> None:
    import numpy as np

    assert a.keys() == b.keys()
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, tuple):
            assert x[0] == y[0], key
            for u, v in zip(x[1:5], y[1:5], strict=True):
                assert (u is None) == (v is None), key
                if u is not None:
                    assert np.array_equal(u, v), key
            assert [k for k, _ in x[5]] == [k for k, _ in y[5]], key
            for (_, u), (_, v) in zip(x[5], y[5], strict=True):
                assert np.array_equal(u, v), key
        else:
            assert np.array_equal(x, y), key


@pytest.fixture
def copied_index(tmp_path, svc):
    """A private copy of the seed index (these tests write into its generation)."""
    import shutil

    shutil.copytree(svc.index_dir, tmp_path / "ix")
    return tmp_path / "ix"


def _served_columns(index_dir):
    fresh = SearchService(index_dir, cache_responses=False)
    served = fresh.served()
    searcher, _ = fresh._searchers(served)
    return fresh, served, searcher, served.columns(searcher)


def test_saved_arrays_are_mapped_and_equal_the_computed_ones(copied_index):
    from searchsvc import columns

    gen = indexing.current_generation(copied_index)
    for leftover in gen.path.glob("columns.*"):  # in case the build already wrote them
        leftover.unlink()
    plain, _, _, computed = _served_columns(copied_index)
    assert computed.source == "postings"
    manifest = columns.write_facet_arrays(gen.path)
    assert manifest.name == "columns.json" and manifest.is_file()
    mapped_svc, _, searcher, mapped = _served_columns(copied_index)
    assert mapped.source == "file"
    _assert_same_arrays(_column_arrays(computed), _column_arrays(mapped))
    for field in ("text", "title"):
        assert (mapped.scorer._norms[field] == computed.scorer._norms[field]).all()
    for req in [SearchRequest(q="putin"), SearchRequest(q='"prime minister"', sort="date"),
                SearchRequest(q="israel", outlets=["Forbes"], date_from="2023-10-10"),
                SearchRequest(), SearchRequest(q="hamas", actors=["Hamas"], facet_limit=50)]:
        a, b = plain.search(req).to_dict(), mapped_svc.search(req).to_dict()
        a.pop("took_ms"), b.pop("took_ms")
        assert a == b, req


def _probe_articles(tmp_path, name: str, n: int = 3) -> object:
    import json

    rows = [{"id": f"{name}-{i}", "url": f"https://example.com/{name}/{i}",
             "title": f"Probe {i}", "outlet": "The Probe" if i % 2 else "Probe Weekly",
             "published": f"2024-02-0{i + 1}",
             "text": f"The zqx{name} passage {i} quoted the minister.\n\n"
                     f"\u201cWe will act,\u201d Vladimir Putin said of zqx{name}."}
            for i in range(n)]
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_saved_arrays_are_reused_for_the_segments_an_add_keeps(copied_index, tmp_path):
    """``index add`` copies a generation with its array files: the segments it kept are
    taken from them, the new segment (and deletions) from the index; same arrays."""
    from searchsvc import columns

    old = indexing.current_generation(copied_index)
    columns.write_facet_arrays(old.path)
    indexing.add([_probe_articles(tmp_path, "colprobe")], copied_index)
    middle = indexing.current_generation(copied_index)
    indexing.add([_probe_articles(tmp_path, "colprobe", 2)], copied_index)  # replaces two
    new = indexing.current_generation(copied_index)
    assert new.name != old.name and (new.path / columns.MANIFEST).is_file()
    reader = new.open().reader()
    assert reader.has_deletions()
    fresh, _, _, cols = _served_columns(copied_index)
    assert cols.source == "file+postings"
    reference = columns.compute(reader)
    _assert_same_arrays(_column_arrays(reference), _column_arrays(cols))
    for field in ("text", "title"):
        assert (cols.scorer._norms[field] == reference.lengths[field]).all()
    resp = fresh.search(SearchRequest(q="zqxcolprobe"))
    assert resp.total == 3
    assert {v["value"]: v["count"] for v in resp.facets["outlet"]} == {
        "The Probe": 1, "Probe Weekly": 2}
    linked = (middle.path / "columns.day.npy").stat()
    assert linked.st_ino == (new.path / "columns.day.npy").stat().st_ino  # a hard link
    columns.write_facet_arrays(new.path)  # replaces the hard links, never writes through
    assert (middle.path / "columns.day.npy").stat().st_ino == linked.st_ino
    assert (new.path / "columns.day.npy").stat().st_ino != linked.st_ino
    assert _served_columns(copied_index)[3].source == "file"


def test_saved_arrays_of_other_segments_are_not_used(copied_index):
    import json

    from searchsvc import columns

    gen = indexing.current_generation(copied_index)
    columns.write_facet_arrays(gen.path)
    manifest = json.loads((gen.path / columns.MANIFEST).read_text("utf-8"))
    for segment in manifest["fingerprint"]:
        segment[0] = "someothersegment"
    (gen.path / columns.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert _served_columns(copied_index)[3].source == "postings"


def test_damaged_saved_arrays_fall_back_to_the_index(copied_index):
    from searchsvc import columns

    gen = indexing.current_generation(copied_index)
    columns.write_facet_arrays(gen.path)
    (gen.path / "columns.facet.actor.docs.npy").write_bytes(b"not an array")
    assert _served_columns(copied_index)[3].source == "postings"
    (gen.path / columns.MANIFEST).write_text("{", encoding="utf-8")
    assert _served_columns(copied_index)[3].source == "postings"


def test_days_and_lengths_read_at_once_equal_reading_document_by_document(copied_index,
                                                                          tmp_path,
                                                                          monkeypatch):
    """The column files read in one go (Whoosh 2.7.4 layout) give what Whoosh's per-document
    calls give, on several segments and with deletions; and so does the fallback."""
    import json

    import numpy as np

    from searchsvc import columns

    article = {"id": "days-probe", "url": "https://example.com/days", "title": "Days probe",
               "outlet": "The Probe", "published": "2021-03-04",
               "text": "A passage about the days probe.\n\nAnother, longer passage about it."}
    undated = {**article, "id": "days-undated", "url": "https://example.com/u", "published": ""}
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(article) + "\n" + json.dumps(undated) + "\n", encoding="utf-8")
    indexing.add([one], copied_index)
    indexing.add([one], copied_index)  # the same ids again: the first copies are deleted
    reader = indexing.current_generation(copied_index).open().reader()
    assert len(list(reader.leaf_readers())) >= 2 and reader.has_deletions()
    n = reader.doc_count_all()
    day = reader.column_reader("day")
    want_day = [day[i] for i in range(n)]
    want = {f: [reader.doc_field_length(i, f, 0) or 0 for i in range(n)]
            for f in ("text", "title", "no_such_field")}
    assert indexing.NO_DAY in want_day

    def check() -> None:
        assert columns._day(reader, n).tolist() == want_day
        for f, lengths in want.items():
            assert np.array_equal(columns.field_lengths(reader, f, n), lengths), f

    check()
    monkeypatch.setattr(columns, "W3PerDocReader", type(None))
    monkeypatch.setattr(columns, "NumericColumn", type("NotIt", (), {"Reader": type(None)}))
    check()
