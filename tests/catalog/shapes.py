"""Loading the official DCAT-AP 3.0.1 SHACL shapes (and our ADMS-AP shapes) for pyshacl.

The official files (tests/standards/dcat-ap-3.0.1/, pinned unmodified copies of
SEMICeu/DCAT-AP) cannot be used as they are. What this loader does, and why:

1. ``shacl/dcat-ap-SHACL.ttl`` and ``shacl/ranges.ttl`` are loaded into one graph: the
   release splits the node shapes' ``sh:property`` lists over both files (the class-range
   constraints live in ranges.ttl), and each file alone points at shapes of the other.
2. Dangling ``sh:property`` links are pruned: after merging, five property-shape IRIs are
   referenced (Dataset ×2, Distribution ×2, Relationship ×1) but defined in neither file,
   and pyshacl aborts on a property shape without ``sh:path``. Pruning removes only those
   links; no defined constraint is dropped (the test asserts the count stays five).
3. ``sh:class rdfs:Resource`` (on dcat:endpointURL, dcat:endpointDescription,
   foaf:primaryTopic) assumes RDFS entailment, under which every IRI and blank node is an
   ``rdfs:Resource``. Without inference it fails for any plain IRI. We replace it by
   ``sh:nodeKind sh:BlankNodeOrIRI``: what the entailed constraint accepts, minus literals,
   so it is no weaker for data that can meet it. No other ``sh:class`` is touched: our
   output states the classes the range shapes want (``foaf:Agent``, ``vcard:Kind``,
   ``dct:MediaType``, ``dct:MediaTypeOrExtent`` …) instead of relying on inference, so
   that harvesters validating without inference get the same answer.
4. The controlled-vocabulary shapes (``html/shacl/mdr-vocabularies.shape.ttl``), the
   recommended-property shapes (``shapes_recommended.ttl``, severity Warning) and the
   deprecated-URI shapes (``deprecateduris.ttl``, Warning) are added as they are. The
   mdr shapes check ``skos:inScheme`` of each controlled value (and that the scheme is a
   ``skos:ConceptScheme``), which is why our output carries those triples.

Validation runs with ``inference="none"`` so that nothing the output does not say is
taken for granted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS

SH = Namespace("http://www.w3.org/ns/shacl#")
REPO = Path(__file__).resolve().parents[2]
# Pinned copies (tests/standards/README.md); AVOINKUNTA_STANDARDS may point elsewhere.
STANDARDS = Path(__import__("os").environ.get("AVOINKUNTA_STANDARDS", REPO / "tests" / "standards"))
DCATAP = STANDARDS / "dcat-ap-3.0.1"
ADMS_SHAPES = REPO / "shapes" / "adms-ap.ttl"
SPDX_PATTERN = "^https?://spdx.org/rdf/terms#"


@dataclass(frozen=True)
class OfficialShapes:
    graph: Graph
    pruned: tuple[tuple[URIRef, URIRef], ...]
    rewritten: int


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: list[str]
    warnings: list[str]
    text: str


def load_dcatap_shapes(root: Path = DCATAP) -> OfficialShapes:
    shapes = Graph()
    for name in ("shacl/dcat-ap-SHACL.ttl", "shacl/ranges.ttl"):
        shapes.parse(root / name, format="turtle")
    pruned = tuple(
        (node, ref)
        for node, ref in shapes.subject_objects(SH.property)
        if (ref, SH.path, None) not in shapes
    )
    for node, ref in pruned:
        shapes.remove((node, SH.property, ref))
    rewritten = 0
    for shape in list(shapes.subjects(SH["class"], RDFS.Resource)):
        shapes.remove((shape, SH["class"], RDFS.Resource))
        shapes.add((shape, SH.nodeKind, SH.BlankNodeOrIRI))
        rewritten += 1
    for name in ("mdr-vocabularies.shape.ttl", "shapes_recommended.ttl", "deprecateduris.ttl"):
        shapes.parse(root / "html" / "shacl" / name, format="turtle")
    # The checksum-algorithm pattern says https://spdx.org/rdf/terms, but the SPDX
    # namespace (and DCAT-AP's own spdx: prefix) is http://spdx.org/rdf/terms#: no correct
    # value can match. Accept both schemes; anything outside the SPDX namespace still fails.
    for shape in list(shapes.subjects(SH.pattern, Literal("^https://spdx.org/rdf/terms"))):
        shapes.remove((shape, SH.pattern, Literal("^https://spdx.org/rdf/terms")))
        shapes.add((shape, SH.pattern, Literal(SPDX_PATTERN)))
        rewritten += 1
    return OfficialShapes(shapes, pruned, rewritten)


def load_adms_shapes(path: Path = ADMS_SHAPES) -> Graph:
    return Graph().parse(path, format="turtle")


def check(data: Graph, shapes: Graph) -> Report:
    conforms, results, text = validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    found: dict[URIRef, list[str]] = {SH.Violation: [], SH.Warning: [], SH.Info: []}
    # Top-level results only: pyshacl also lists each sh:node failure's inner results
    # (sh:detail), whose severity is that of the inner shape, not of the constraint.
    for result in results.objects(None, SH.result):
        severity = results.value(result, SH.resultSeverity)
        line = " | ".join(
            str(results.value(result, p))
            for p in (SH.focusNode, SH.resultPath, SH.value, SH.resultMessage)
        )
        found.setdefault(severity, []).append(line)
    violations = found[SH.Violation]
    return Report(not violations, sorted(violations), sorted(found[SH.Warning]), text)
