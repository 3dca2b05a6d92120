"""The worker's row cap: the engine serialises, the worker counts line breaks (no Python
object per term), and the capped answer is the same as the engine's own answer to the
query with that LIMIT, in every format."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from sparql_endpoint.worker import _Capped, _capped, _Full

XSD = "http://www.w3.org/2001/XMLSchema#"
RESULTS = [
    ox.QueryResultsFormat.JSON,
    ox.QueryResultsFormat.XML,
    ox.QueryResultsFormat.CSV,
    ox.QueryResultsFormat.TSV,
]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    objects = [
        ox.Literal("line\nbreak\r\nand\ttab", language="fi"),
        ox.Literal("7", datatype=ox.NamedNode(XSD + "integer")),
        ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal")),
        ox.Literal('quote " and \\ backslash'),
        ox.BlankNode("b1"),
        ox.NamedNode("http://example.org/o"),
    ]
    for i in range(30):
        store.add(
            ox.Quad(
                ox.NamedNode(f"http://example.org/s{i:02d}"),
                ox.NamedNode("http://example.org/p"),
                objects[i % len(objects)],
                ox.DefaultGraph(),
            )
        )
    return store


SELECT = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <http://nope> ?none } } ORDER BY ?s"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s"


@pytest.mark.parametrize("cap", [1, 5, 29, 30, 31, 100])
def test_capped_solutions_equal_the_engines_own_limit(store: ox.Store, cap: int) -> None:
    data, cut = _capped(store.query(SELECT), cap)
    assert cut == (cap < 30)
    assert data.count(b"\n") == min(cap, 30) + 1  # the header and the rows
    limited = f"{SELECT} LIMIT {cap}"
    for fmt in RESULTS:
        parsed = ox.parse_query_results(data, ox.QueryResultsFormat.TSV)
        assert isinstance(parsed, ox.QuerySolutions)
        assert parsed.serialize(format=fmt) == store.query(limited).serialize(format=fmt)


@pytest.mark.parametrize("cap", [1, 29, 30, 31])
def test_capped_triples_equal_the_engines_own_limit(store: ox.Store, cap: int) -> None:
    data, cut = _capped(store.query(CONSTRUCT), cap)
    assert cut == (cap < 30)
    expected = sorted(store.query(f"{CONSTRUCT} LIMIT {cap}").serialize(
        format=ox.RdfFormat.N_TRIPLES
    ).splitlines())  # fmt: skip
    assert sorted(data.splitlines()) == expected


def test_a_solution_without_variables_is_one_row(store: ox.Store) -> None:
    assert _capped(store.query("SELECT * {}"), 1) == (b"\n\n", False)
    data, cut = _capped(store.query("SELECT * { VALUES ?x { 1 2 3 } } "), 2)
    assert (data, cut) == (b"?x\n1\n2\n", True)


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1000])
def test_the_cut_falls_on_a_line_break_however_the_writes_are_split(size: int) -> None:
    text = b"".join(b"row %d\n" % i for i in range(10))
    for lines, cut in ((3, True), (10, False), (11, False)):
        buffer = _Capped(lines)
        try:
            for start in range(0, len(text), size):
                buffer.write(text[start : start + size])
        except _Full:
            pass
        assert buffer.cut == cut
        assert buffer.value() == b"".join(text.splitlines(keepends=True)[:lines])


def test_writing_stops_at_the_first_byte_beyond_the_cap() -> None:
    buffer = _Capped(2)
    buffer.write(b"a\nb\n")  # exactly the cap: more may or may not follow
    assert not buffer.cut
    with pytest.raises(_Full):
        buffer.write(b"c")
    assert buffer.cut and buffer.value() == b"a\nb\n"


def test_the_engine_parses_with_the_prefixes_the_query_uses(store: ox.Store) -> None:
    """The web process sends the predeclared prefixes the query uses and does not declare
    (``parse_prefixes``); had its scan missed one, the worker parses again with all."""
    from sparql_endpoint.execute import check_policy
    from sparql_endpoint.settings import SparqlSettings
    from sparql_endpoint.worker import _query

    prefixes = {"ex": "http://example.org/", "un": "http://unused.example/"}
    text = "PREFIX own: <http://example.org/> SELECT ?o { ex:s01 own:p ?o }"
    found = check_policy(text, SparqlSettings())
    assert found.names_used == {"ex", "own"}
    job = {"query": text, "prefixes": prefixes, "parse_prefixes": {"ex": prefixes["ex"]}}
    expected = b"?o\n7\n"
    assert _query(store, job, {}).serialize(format=ox.QueryResultsFormat.TSV) == expected
    missed = {**job, "parse_prefixes": {}}  # as if the scan had not seen ex:
    assert _query(store, missed, {}).serialize(format=ox.QueryResultsFormat.TSV) == expected
    with pytest.raises(SyntaxError):
        _query(store, {**missed, "query": "SELECT * { nope:s ?p ?o }"}, {})
