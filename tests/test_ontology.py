"""The vocabulary (ontology/avoinkunta.ttl) and the concept schemes (ontology/schemes/*.ttl).

The files are parsed the way the build parses them: relative IRIs resolved against the base
URI given as publicID. A base other than the default is used throughout, so an IRI that does
not follow the base (an absolute localhost IRI, say) shows up as a failure.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import owlrl
import pyoxigraph as ox
import pytest
import yaml
from rdflib import Graph, Literal, URIRef

from publisher import namespaces as ns
from publisher.uris import SCHEME_KINDS, UriScheme

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
VOCABULARY = ONTOLOGY_DIR / "avoinkunta.ttl"
SCHEME_FILES = sorted((ONTOLOGY_DIR / "schemes").glob("*.ttl"))
ALL_FILES = [VOCABULARY, *SCHEME_FILES]
GENERATOR = ONTOLOGY_DIR / "tools" / "generate_schemes.py"
REFERENCE_YAML = ROOT.parent / "shared" / "reference" / "architecture-layers.yaml"
REFERENCE_COPY = ONTOLOGY_DIR / "tools" / "architecture-layers.yaml"
TEXTS_YAML = ONTOLOGY_DIR / "tools" / "scheme-texts.yaml"

BASE = "https://example.org/ak/"
URIS = UriScheme(BASE)
AK = URIS.vocab
ONTOLOGY = URIS.ontology
DECLARATION_TYPES = {ns.OWL.Class, ns.OWL.ObjectProperty, ns.OWL.DatatypeProperty}


def parse(path: Path, base: str = BASE) -> Graph:
    return Graph().parse(path, format="turtle", publicID=base)


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    return parse(VOCABULARY)


@pytest.fixture(scope="module")
def schemes() -> dict[str, Graph]:
    return {path.stem: parse(path) for path in SCHEME_FILES}


@pytest.fixture(scope="module")
def everything(vocabulary: Graph, schemes: dict[str, Graph]) -> Graph:
    graph = Graph()
    for part in (vocabulary, *schemes.values()):
        graph += part
    return graph


def langs(graph: Graph, subject: URIRef, predicate: URIRef) -> Counter[str | None]:
    return Counter(o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal))


def ak_terms_used(graph: Graph) -> set[URIRef]:
    return {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(AK)) and term != URIRef(AK)
    }


# --------------------------------------------------------------------------------------
# Parsing and base URIs
# --------------------------------------------------------------------------------------


def test_expected_scheme_files_exist() -> None:
    assert {p.stem for p in SCHEME_FILES} == set(SCHEME_KINDS)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_sources_write_no_base_and_no_absolute_own_iris(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert not re.search(r"^\s*@base|^\s*BASE\b", text, re.MULTILINE | re.IGNORECASE)
    assert "localhost" not in text


@pytest.mark.parametrize("base", ["http://localhost:8080/", BASE, "https://data.example.fi/x/"])
@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_iris_follow_the_base_in_rdflib_and_pyoxigraph(path: Path, base: str) -> None:
    graph = parse(path, base)
    with path.open("rb") as stream:
        quads = list(ox.parse(stream, format=ox.RdfFormat.TURTLE, base_iri=base))
    assert len(quads) == len(graph) > 0

    ours = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    ox_iris = {
        t.value
        for q in quads
        for t in (q.subject, q.predicate, q.object)
        if isinstance(t, ox.NamedNode)
    }
    assert ours == ox_iris
    own = {iri for iri in ours if iri.startswith(base)}
    assert own, "no IRI followed the base"
    # Relative references resolved against the base: the vocabulary's and the ids' paths.
    assert all(iri[len(base) :].startswith(("ontology", "id/")) for iri in own), own
    if "localhost" not in base:
        assert not any("localhost" in iri for iri in ours)


def test_ontology_header(vocabulary: Graph) -> None:
    assert (ONTOLOGY, ns.RDF.type, ns.OWL.Ontology) in vocabulary
    assert vocabulary.value(ONTOLOGY, ns.OWL.versionInfo) == Literal("0.1.0")
    assert vocabulary.value(ONTOLOGY, ns.OWL.versionIRI) == URIRef(BASE + "ontology/0.1.0")
    assert vocabulary.value(ONTOLOGY, ns.DCT.license) == URIRef(
        "http://creativecommons.org/licenses/by/4.0/"
    )
    assert vocabulary.value(ONTOLOGY, ns.VANN.preferredNamespacePrefix) == Literal("ak")
    assert vocabulary.value(ONTOLOGY, ns.VANN.preferredNamespaceUri) == URIRef(str(AK))
    for predicate in (ns.DCT.title, ns.DCT.description):
        assert langs(vocabulary, ONTOLOGY, predicate) == Counter({"fi": 1, "en": 1})
    assert vocabulary.value(ONTOLOGY, ns.DCT.creator) is not None
    for predicate in (ns.DCT.issued, ns.DCT.modified):
        assert vocabulary.value(ONTOLOGY, predicate).datatype == ns.XSD.date


# --------------------------------------------------------------------------------------
# Vocabulary terms
# --------------------------------------------------------------------------------------


def test_every_ak_term_used_anywhere_is_declared_and_documented(
    vocabulary: Graph, everything: Graph
) -> None:
    used = ak_terms_used(everything)
    assert len(used) >= 36
    for term in sorted(used):
        types = set(vocabulary.objects(term, ns.RDF.type))
        assert types & DECLARATION_TYPES, f"{term} is used but not declared"
        for predicate in (ns.RDFS.label, ns.RDFS.comment):
            assert langs(vocabulary, term, predicate) == Counter({"fi": 1, "en": 1}), (
                f"{term} needs exactly one fi and one en {predicate}"
            )
        assert vocabulary.value(term, ns.RDFS.isDefinedBy) == ONTOLOGY, term


def test_every_ak_term_named_in_the_architecture_contract_is_declared(
    vocabulary: Graph,
) -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Vocabulary terms used by the mapping", 1)[1].split("\n## ", 1)[0]
    in_mapping = set(re.findall(r"\bak:([A-Za-z]+)", section))
    assert {"Offering", "pricing", "spdxLicense"} <= in_mapping  # the section was found
    everywhere = set(re.findall(r"\bak:([A-Za-z]+)", text))
    missing = sorted(
        name for name in everywhere if not set(vocabulary.objects(AK[name], ns.RDF.type))
    )
    assert not missing, f"named in docs/architecture.md but not declared: {missing}"


def test_domains_and_ranges_name_declared_or_external_terms(vocabulary: Graph) -> None:
    for predicate in (ns.RDFS.domain, ns.RDFS.range, ns.RDFS.subClassOf):
        for term, value in vocabulary.subject_objects(predicate):
            if isinstance(value, URIRef) and str(value).startswith(str(AK)):
                assert (value, ns.RDF.type, ns.OWL.Class) in vocabulary, (term, predicate, value)


# (term, alignment predicate, target): the alignment table of ontology/README.md.
ALIGNMENTS = [
    ("Supplier", ns.RDFS.subClassOf, ns.FOAF.Organization),
    ("Supplier", ns.RDFS.subClassOf, ns.ORG.Organization),
    ("Offering", ns.RDFS.subClassOf, ns.DCAT.Resource),
    ("Offering", ns.RDFS.subClassOf, ns.ADMS.Asset),
    ("Product", ns.RDFS.subClassOf, ns.SCHEMA.SoftwareApplication),
    ("Service", ns.RDFS.subClassOf, ns.SCHEMA.Service),
    ("Licence", ns.RDFS.subClassOf, ns.DCT.LicenseDocument),
    ("PriceSpecification", ns.RDFS.subClassOf, ns.SCHEMA.PriceSpecification),
    ("ArchitectureLayer", ns.RDFS.subClassOf, ns.SKOS.Concept),
    ("ArchitectureComponent", ns.RDFS.subClassOf, ns.SKOS.Concept),
    ("sourceRepository", ns.RDFS.subPropertyOf, ns.SCHEMA.codeRepository),
    ("pricing", ns.RDFS.subPropertyOf, ns.SCHEMA.priceSpecification),
    ("businessId", ns.RDFS.subPropertyOf, ns.ORG.identifier),
    ("order", ns.RDFS.subPropertyOf, ns.SCHEMA.position),
]


@pytest.mark.parametrize(("term", "predicate", "target"), ALIGNMENTS)
def test_alignment(vocabulary: Graph, term: str, predicate: URIRef, target: URIRef) -> None:
    assert (AK[term], predicate, target) in vocabulary


def test_alignment_table_in_readme_matches_the_vocabulary(vocabulary: Graph) -> None:
    """Every row of the README's alignment table is an axiom of the vocabulary."""
    readme = (ONTOLOGY_DIR / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Alignment", 1)[1].split("\n## ", 1)[0]
    predicates = {
        "⊑": (ns.RDFS.subClassOf, ns.RDFS.subPropertyOf),
        "≡": (ns.OWL.equivalentClass, ns.OWL.equivalentProperty),
    }
    prefixes = {**ns.PREFIXES, "ak": AK}
    rows = re.findall(r"^\| `ak:(\w+)` \| (⊑|≡) \| (.+?) \|", table, re.MULTILINE)
    assert len(rows) >= 20
    for term, symbol, targets in rows:
        for prefix, local in re.findall(r"`(\w+):(\w+)`", targets):
            target = URIRef(str(prefixes[prefix]) + local)
            assert any((AK[term], p, target) in vocabulary for p in predicates[symbol]), (
                f"README says ak:{term} {symbol} {prefix}:{local}; the vocabulary does not"
            )


def test_readme_counts_match_the_vocabulary(vocabulary: Graph) -> None:
    readme = (ONTOLOGY_DIR / "README.md").read_text(encoding="utf-8")
    classes = set(vocabulary.subjects(ns.RDF.type, ns.OWL.Class))
    properties = set(vocabulary.subjects(ns.RDF.type, ns.OWL.ObjectProperty)) | set(
        vocabulary.subjects(ns.RDF.type, ns.OWL.DatatypeProperty)
    )
    own = {t for t in classes | properties if str(t).startswith(str(AK))}
    n_classes = len(own & classes)
    n_properties = len(own & properties)
    assert f"{n_classes} classes, {n_properties} properties" in readme


# One offering, written the way publisher/mapping writes it (only the ak: parts matter here).
EXAMPLE_OFFERING = """
@prefix ak: <ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
<id/offering/example> a ak:Offering, ak:Product ;
    ak:sourceRepository <https://example.org/git/example> ;
    ak:apiDocumentation <https://example.org/api> ;
    ak:serviceDomain <id/domain/land-use> ;
    ak:opennessClaim [ a ak:OpennessClaim ; ak:aspect <id/aspect/open-source> ;
                       ak:evidence <https://example.org/git/example/LICENSE> ] ;
    ak:pricing [ a ak:PriceSpecification ; ak:priceList <https://example.org/prices> ] .
<id/supplier/example> a ak:Supplier ; ak:businessId "2077474-0" .
"""


def test_alignments_hold_under_owl_rl_inference(vocabulary: Graph) -> None:
    """A real reasoner (owlrl, OWL 2 RL) draws the conclusions the alignment table promises."""
    graph = Graph()
    graph += vocabulary
    graph.parse(data=EXAMPLE_OFFERING, format="turtle", publicID=BASE)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    offering = URIS.thing("offering", "example")
    supplier = URIS.thing("supplier", "example")
    for cls in (ns.DCAT.Resource, ns.ADMS.Asset, ns.SCHEMA.SoftwareApplication):
        assert (offering, ns.RDF.type, cls) in graph, cls
    for cls in (ns.FOAF.Organization, ns.ORG.Organization):
        assert (supplier, ns.RDF.type, cls) in graph, cls
    assert (offering, ns.SCHEMA.codeRepository, URIRef("https://example.org/git/example")) in graph
    assert (offering, ns.FOAF.page, URIRef("https://example.org/api")) in graph
    assert (offering, ns.DCT.subject, URIS.thing("domain", "land-use")) in graph
    assert (supplier, ns.ORG.identifier, Literal("2077474-0")) in graph
    pricing = graph.value(offering, AK.pricing)
    assert (offering, ns.SCHEMA.priceSpecification, pricing) in graph
    assert (pricing, ns.RDF.type, ns.SCHEMA.PriceSpecification) in graph
    # The property chain: a claim about an aspect entails the shortcut.
    assert (offering, AK.opennessAspect, URIS.thing("aspect", "open-source")) in graph
    assert (URIS.thing("aspect", "open-source"), ns.RDF.type, AK.OpennessAspect) in graph


def test_product_and_service_are_disjoint_offerings(vocabulary: Graph) -> None:
    for cls in (AK.Product, AK.Service):
        assert (cls, ns.RDFS.subClassOf, AK.Offering) in vocabulary
    assert (AK.Product, ns.OWL.disjointWith, AK.Service) in vocabulary


# --------------------------------------------------------------------------------------
# Concept schemes
# --------------------------------------------------------------------------------------


def concepts_of(graph: Graph) -> list[URIRef]:
    return sorted(graph.subjects(ns.RDF.type, ns.SKOS.Concept))


def test_every_scheme_is_described(schemes: dict[str, Graph]) -> None:
    for key, graph in schemes.items():
        scheme = scheme_iri(key)
        assert (scheme, ns.RDF.type, ns.SKOS.ConceptScheme) in graph
        assert langs(graph, scheme, ns.DCT.title) == Counter({"fi": 1, "en": 1}), key
        assert langs(graph, scheme, ns.DCT.description) == Counter({"fi": 1, "en": 1}), key
        assert list(graph.objects(scheme, ns.DCT.source)), key
        assert list(graph.objects(scheme, ns.SKOS.hasTopConcept)), key


def scheme_iri(key: str) -> URIRef:
    return URIS.thing("scheme", key)


def test_every_concept_is_labelled_in_fi_and_en_and_has_a_notation(
    schemes: dict[str, Graph],
) -> None:
    for key, graph in schemes.items():
        concepts = concepts_of(graph)
        assert concepts, key
        for concept in concepts:
            assert langs(graph, concept, ns.SKOS.prefLabel) == Counter({"fi": 1, "en": 1}), concept
            assert "sv" not in langs(graph, concept, ns.SKOS.altLabel)  # no unsourced Swedish
            assert list(graph.objects(concept, ns.SKOS.inScheme)) == [scheme_iri(key)]
            assert len(list(graph.objects(concept, ns.SKOS.notation))) == 1, concept


def test_concept_iris_follow_the_uri_scheme(schemes: dict[str, Graph]) -> None:
    for key, graph in schemes.items():
        for concept in concepts_of(graph):
            parsed = URIS.parse(str(concept))
            assert parsed is not None, concept
            kind, slug = parsed
            assert kind in SCHEME_KINDS[key], concept
            assert graph.value(concept, ns.SKOS.notation) == Literal(slug)


def test_preflabels_are_unique_per_language_within_each_scheme(
    schemes: dict[str, Graph],
) -> None:
    for key, graph in schemes.items():
        seen: dict[tuple[str | None, str], URIRef] = {}
        for concept in concepts_of(graph):
            for label in graph.objects(concept, ns.SKOS.prefLabel):
                slot = (label.language, str(label).casefold())
                assert slot not in seen, f"{key}: {label!r} on {seen.get(slot)} and {concept}"
                seen[slot] = concept


def test_top_concepts_agree_both_ways(schemes: dict[str, Graph]) -> None:
    for key, graph in schemes.items():
        scheme = scheme_iri(key)
        assert set(graph.objects(scheme, ns.SKOS.hasTopConcept)) == set(
            graph.subjects(ns.SKOS.topConceptOf, scheme)
        ), key


def test_broader_and_narrower_are_inverse(schemes: dict[str, Graph]) -> None:
    for key, graph in schemes.items():
        broader = set(graph.subject_objects(ns.SKOS.broader))
        narrower = {(b, a) for a, b in graph.subject_objects(ns.SKOS.narrower)}
        assert broader == narrower, key


def test_architecture_has_seven_ordered_layers(schemes: dict[str, Graph]) -> None:
    graph = schemes["architecture"]
    layers = set(graph.subjects(ns.RDF.type, AK.ArchitectureLayer))
    assert len(layers) == 7
    assert layers == set(graph.objects(scheme_iri("architecture"), ns.SKOS.hasTopConcept))
    orders = {
        URIS.parse(str(layer))[1]: graph.value(layer, AK.order).toPython() for layer in layers
    }
    assert sorted(orders.values()) == list(range(1, 8))
    assert orders["ict-infrastructure"] == 1  # 1 = bottom of the stack on slide 14
    assert orders["service-channels"] == 6
    crossing = {
        URIS.parse(str(layer))[1]
        for layer in layers
        if graph.value(layer, AK.crossCutting).toPython() is True
    }
    assert crossing == {"knowledge-management"}


def test_architecture_has_fifty_components_each_under_one_layer(
    schemes: dict[str, Graph],
) -> None:
    graph = schemes["architecture"]
    layers = set(graph.subjects(ns.RDF.type, AK.ArchitectureLayer))
    components = set(graph.subjects(ns.RDF.type, AK.ArchitectureComponent))
    assert len(components) == 50
    assert not layers & components
    for component in components:
        parents = list(graph.objects(component, ns.SKOS.broader))
        assert len(parents) == 1 and parents[0] in layers, component
        assert graph.value(component, AK.confidence) in {
            Literal("high"),
            Literal("medium"),
            Literal("low"),
        }
        assert langs(graph, component, ns.SKOS.editorialNote)["fi"] >= 1
        assert langs(graph, component, ns.SKOS.editorialNote)["en"] >= 1
    orders = sorted(graph.value(c, AK.order).toPython() for c in components)
    assert orders == list(range(1, 51))


def test_qualified_finnish_labels_keep_the_short_form_as_alt_label(
    schemes: dict[str, Graph],
) -> None:
    graph = schemes["architecture"]
    km_finance = URIS.thing("component", "km-finance")
    assert Literal("Taloushallinto (tiedolla johtaminen)", lang="fi") in set(
        graph.objects(km_finance, ns.SKOS.prefLabel)
    )
    assert Literal("Taloushallinto", lang="fi") in set(graph.objects(km_finance, ns.SKOS.altLabel))


def test_service_domains_are_grouped_as_on_slide_nine(schemes: dict[str, Graph]) -> None:
    graph = schemes["service-domains"]
    core = URIS.thing("domain", "core-services")
    support = URIS.thing("domain", "support-services")
    assert Literal("Kunnan ydinpalvelut", lang="fi") in set(graph.objects(core, ns.SKOS.prefLabel))
    assert Literal("Kunnan tukipalvelut", lang="fi") in set(
        graph.objects(support, ns.SKOS.prefLabel)
    )
    domains = set(graph.subjects(ns.RDF.type, AK.ServiceDomain))
    assert len(domains) == 8
    assert core not in domains and support not in domains  # groups are not offering domains
    by_group: dict[URIRef, set[str]] = defaultdict(set)
    for domain in domains:
        by_group[graph.value(domain, ns.SKOS.broader)].add(URIS.parse(str(domain))[1])
    assert by_group == {
        core: {"social-services", "health", "education", "land-use"},
        support: {"finance", "it-management", "hr", "municipal-engineering"},
    }


@pytest.mark.parametrize(
    ("scheme", "cls", "keys"),
    [
        (
            "openness-aspects",
            "OpennessAspect",
            {"open-source", "open-standards", "open-interface", "open-architecture", "open-data"},
        ),
        ("delivery-phases", "DeliveryPhase", {"strategy", "development", "production-support"}),
        (
            "procurement-routes",
            "ProcurementRoute",
            {"direct-purchase", "joint-procurement", "in-house", "competitive-tender", "no-charge"},
        ),
    ],
)
def test_flat_schemes_hold_the_contracted_ids(
    schemes: dict[str, Graph], scheme: str, cls: str, keys: set[str]
) -> None:
    graph = schemes[scheme]
    members = set(graph.subjects(ns.RDF.type, AK[cls]))
    assert {URIS.parse(str(m))[1] for m in members} == keys
    assert members == set(graph.objects(scheme_iri(scheme), ns.SKOS.hasTopConcept))


@pytest.mark.parametrize("scheme", ["delivery-phases", "procurement-routes"])
def test_phases_and_routes_are_defined_in_fi_and_en(schemes: dict[str, Graph], scheme: str) -> None:
    graph = schemes[scheme]
    for concept in concepts_of(graph):
        assert langs(graph, concept, ns.SKOS.definition) == Counter({"fi": 1, "en": 1}), concept


def test_direct_purchase_states_both_thresholds(schemes: dict[str, Graph]) -> None:
    graph = schemes["procurement-routes"]
    route = URIS.thing("route", "direct-purchase")
    definition = {d.language: str(d) for d in graph.objects(route, ns.SKOS.definition)}
    for text in definition.values():
        assert "348/2007" in text and "1397/2016" in text and "1.1.2017" in text
    assert "30,000 EUR" in definition["en"] and "60,000 EUR" in definition["en"]
    assert "30 000 euroa" in definition["fi"] and "60 000 euroa" in definition["fi"]


def test_concept_values_have_the_declared_datatypes(vocabulary: Graph, everything: Graph) -> None:
    for prop in vocabulary.subjects(ns.RDF.type, ns.OWL.DatatypeProperty):
        declared = vocabulary.value(prop, ns.RDFS.range)
        if not isinstance(declared, URIRef) or declared == ns.RDF.langString:
            continue
        for value in everything.objects(None, prop):
            assert value.datatype == declared, (prop, value)


# --------------------------------------------------------------------------------------
# Loaded into a real store, as the build does
# --------------------------------------------------------------------------------------


def test_components_per_layer_through_sparql_on_pyoxigraph() -> None:
    store = ox.Store()
    graph = ox.NamedNode(BASE + "graph/vocabulary")
    for path in ALL_FILES:
        with path.open("rb") as stream:
            store.load(stream, format=ox.RdfFormat.TURTLE, base_iri=BASE, to_graph=graph)
    query = f"""
        PREFIX skos: <{ns.SKOS}>
        PREFIX ak: <{AK}>
        SELECT ?notation (COUNT(?c) AS ?n) WHERE {{
          GRAPH ?g {{
            ?layer a ak:ArchitectureLayer ; skos:notation ?notation ; ak:order ?order .
            ?c skos:broader ?layer .
          }}
        }} GROUP BY ?notation ?order ORDER BY ?order
    """
    rows = [(s["notation"].value, int(s["n"].value)) for s in store.query(query)]
    assert rows == [
        ("ict-infrastructure", 5),
        ("master-data-management", 6),
        ("operational-control-support", 9),
        ("domain-solutions", 4),
        ("service-platform", 8),
        ("service-channels", 6),
        ("knowledge-management", 12),
    ]


def readme_queries() -> list[str]:
    readme = (ONTOLOGY_DIR / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sparql\n(.*?)```", readme, re.DOTALL)


def test_readme_queries_run_on_the_vocabulary() -> None:
    queries = readme_queries()
    assert len(queries) >= 3
    store = ox.Store()
    for path in ALL_FILES:
        with path.open("rb") as stream:
            store.load(stream, format=ox.RdfFormat.TURTLE, base_iri=BASE)
    results = [list(store.query(q.replace("http://localhost:8080/", BASE))) for q in queries]
    layers = [(int(row["components"].value)) for row in results[0]]
    assert layers == [5, 6, 9, 4, 8, 6, 12]
    assert results[1] == []  # no offerings in the vocabulary alone
    assert [row["label"].value for row in results[2]][0].startswith("Direct purchase")


# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------


def test_committed_schemes_are_what_the_generator_writes() -> None:
    # The generator reads only data files in the repository, so this runs on a clean clone.
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not REFERENCE_YAML.is_file(), reason="shared reference file not present")
def test_copied_reference_file_is_the_shared_one() -> None:
    assert REFERENCE_COPY.read_bytes() == REFERENCE_YAML.read_bytes()


def test_generator_check_notices_a_hand_edit(tmp_path: Path) -> None:
    for path in SCHEME_FILES:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    edited = tmp_path / "delivery-phases.ttl"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Strategia", "Strategy"))
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "delivery-phases.ttl" in result.stderr


def test_generator_writes_a_sourced_swedish_label(tmp_path: Path) -> None:
    texts = yaml.safe_load(TEXTS_YAML.read_text(encoding="utf-8"))
    texts["procurement-routes"]["routes"][1]["label"]["sv"] = "Samupphandling"
    edited = tmp_path / "scheme-texts.yaml"
    edited.write_text(yaml.safe_dump(texts, allow_unicode=True), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--texts", str(edited), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "procurement-routes.ttl" in result.stdout
    graph = parse(tmp_path / "procurement-routes.ttl")
    labels = set(graph.objects(URIS.thing("route", "joint-procurement"), ns.SKOS.prefLabel))
    assert Literal("Samupphandling", lang="sv") in labels
    assert Literal("Yhteishankinta", lang="fi") in labels
