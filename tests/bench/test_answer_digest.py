"""bench/bench_sparql.py's comparison of two servers' answers (its "same"/"DIFF" column)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:  # bench_sparql imports its neighbours as top-level modules
    sys.path.insert(0, str(BENCH))

from bench.bench_sparql import digest, same_answer  # noqa: E402

OURS = b'<o> <q> _:b.offering-1.pricing .\n_:b.offering-1.pricing <p> "0" .\n'
THEIRS = b'_:f3a9c0 <p> "0" .\n<o> <q> _:f3a9c0 .\n'


def test_a_graph_with_other_blank_node_labels_has_the_same_digest() -> None:
    # the build's labels hold dots and hyphens; Oxigraph's own are alphanumeric
    assert digest(200, OURS, True) == digest(200, THEIRS, True)


def test_a_graph_with_another_value_has_another_digest() -> None:
    assert digest(200, OURS, True) != digest(200, OURS.replace(b'"0"', b'"1"'), True)


def test_rows_picked_by_a_limit_without_order_need_only_agree_in_number() -> None:
    one = '{"head": {"vars": ["o"]}, "results": {"bindings": [{"o": {"value": "a"}}]}}'
    other = one.replace('"a"', '"b"')
    a, b = digest(200, one.encode(), False), digest(200, other.encode(), False)
    assert a != b
    assert same_answer(a, b, "SELECT ?o WHERE { ?o ?p ?v } LIMIT 1")
    assert not same_answer(a, b, "SELECT ?o WHERE { ?o ?p ?v } ORDER BY ?o LIMIT 1")
    assert not same_answer(a, b, "SELECT ?o WHERE { ?o ?p ?v }")
