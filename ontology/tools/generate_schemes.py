"""Write the SKOS concept schemes in ontology/schemes/ from the two data files beside this script.

The generated Turtle files are committed and are the source of record; this script exists so
they can be regenerated (or checked with ``--check``) when a data file changes.

    python ontology/tools/generate_schemes.py [--source PATH] [--texts PATH] [--out DIR] [--check]

IRIs are written RELATIVE (``<id/layer/…>``, ``ak:`` = ``<ontology#>``) and no ``@base`` is
written: the build parses each file with the configured base URI as publicID.

What comes from where:
  * ``architecture-layers.yaml`` (a copy of ``shared/reference/architecture-layers.yaml``; a
    test checks the two agree where shared/ is present): ids, fi/en labels, layer order, layer
    membership and its confidence; its fi labels are verbatim from the 2014 deck and its en
    labels are translations written for the project;
  * ``scheme-texts.yaml``: titles, definitions, scope notes, editorial notes and the
    procurement routes, written for the project from the deck (slides 7-12) and
    ``shared/reference/domain-facts.md``, each with the URLs it rests on (``dct:source``).
Swedish labels are written where a data file gives them (``sv:``); none are invented.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE / "architecture-layers.yaml"
DEFAULT_TEXTS = HERE / "scheme-texts.yaml"
DEFAULT_OUT = HERE.parent / "schemes"

# scheme-texts.yaml, loaded by render()
TEXTS: dict[str, Any] = {}

PREFIXES: dict[str, str] = {
    "ak": "ontology#",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# --------------------------------------------------------------------------------------
# A tiny Turtle writer: the files are meant to be read and reviewed by people, so the
# output is grouped by subject, in source order, with one predicate per line.
# --------------------------------------------------------------------------------------


BARE_DATATYPES = ("xsd:integer", "xsd:boolean")


@dataclass(frozen=True)
class IRI:
    value: str  # relative to the base URI, or absolute

    def turtle(self) -> str:
        return f"<{self.value}>"


@dataclass(frozen=True)
class Lit:
    text: str
    lang: str | None = None
    datatype: str | None = None  # a prefixed name such as "xsd:date"

    def turtle(self) -> str:
        quoted = '"' + _escape(self.text) + '"'
        if self.lang:
            return f"{quoted}@{self.lang}"
        if self.datatype in BARE_DATATYPES:
            return self.text  # Turtle's shorthand for integers and booleans
        if self.datatype:
            return f"{quoted}^^{self.datatype}"
        return quoted


@dataclass(frozen=True)
class Name:
    """A prefixed name (``skos:Concept``) used as an object."""

    value: str

    def turtle(self) -> str:
        return self.value


Obj = IRI | Lit | Name


@dataclass
class Resource:
    subject: str  # relative IRI
    types: list[str]
    props: list[tuple[str, list[Obj]]] = field(default_factory=list)

    def add(self, predicate: str, *objects: Obj) -> Resource:
        if objects:
            self.props.append((predicate, list(objects)))
        return self

    def turtle(self) -> str:
        lines = [f"<{self.subject}>", f"    a {', '.join(self.types)}"]
        for predicate, objects in self.props:
            lines[-1] += " ;"
            terms = [o.turtle() for o in objects]
            line = f"    {predicate} " + ", ".join(terms)
            if len(terms) > 1 and len(line) > 100:
                line = f"    {predicate}\n        " + ",\n        ".join(terms)
            lines.append(line)
        return "\n".join(lines) + " .\n"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def integer(n: int) -> Lit:
    return Lit(str(n), datatype="xsd:integer")


def boolean(flag: bool) -> Lit:
    return Lit("true" if flag else "false", datatype="xsd:boolean")


def iris(values: Iterable[str]) -> list[IRI]:
    return [IRI(v) for v in values]


def document(header: str, resources: Sequence[Resource]) -> str:
    head = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    return head + "\n" + prefixes + "\n" + "\n".join(r.turtle() for r in resources)


# --------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------

Texts = dict[str, str]  # {"fi": …, "en": …, optionally "sv": …}


def lits(text: Texts) -> tuple[Lit, ...]:
    """The texts as language-tagged literals, fi and en first, then any other language."""
    order = sorted(text, key=lambda lang: ({"fi": 0, "en": 1}.get(lang, 2), lang))
    return tuple(Lit(text[lang], lang) for lang in order)


def scheme(key: str, prose: dict[str, Any], top: Sequence[str], **texts_: Any) -> Resource:
    """The skos:ConceptScheme ``key``; ``prose`` is its section of scheme-texts.yaml
    (``title``, ``description``, ``notes``, ``sourcing_note``, ``sources``), overridden by
    ``texts_``."""
    prose = {**prose, **texts_}
    r = Resource(f"id/scheme/{key}", ["skos:ConceptScheme"])
    r.add("dct:identifier", Lit(key))
    r.add("dct:title", *lits(prose["title"]))
    r.add("skos:prefLabel", *lits(prose["title"]))
    r.add("dct:description", *lits(prose["description"]))
    notes = ([TEXTS["sourcing_note"]] if prose.get("sourcing_note") else []) + prose["notes"]
    for note in notes:
        r.add("skos:editorialNote", *lits(note))
    r.add("dct:source", *iris(prose["sources"]))
    r.add("dct:license", IRI(TEXTS["licence"]))
    r.add("dct:issued", Lit(TEXTS["issued"], datatype="xsd:date"))
    r.add("dct:modified", Lit(TEXTS["issued"], datatype="xsd:date"))
    r.add("skos:hasTopConcept", *iris(top))
    return r


def concept(
    iri: str, ak_class: str | None, scheme_key: str, notation: str, label: Texts, order: int
) -> Resource:
    types = ["skos:Concept"] + ([ak_class] if ak_class else [])
    r = Resource(iri, types)
    r.add("skos:inScheme", IRI(f"id/scheme/{scheme_key}"))
    r.add("skos:prefLabel", *lits(label))
    r.add("skos:notation", Lit(notation))
    r.add("ak:order", integer(order))
    return r


def label(entry: dict[str, Any], fi_key: str = "fi") -> Texts:
    """The fi/en (and sv, when sourced) label of a reference entry."""
    return {
        lang: entry[key]
        for lang, key in (("fi", fi_key), ("en", "en"), ("sv", "sv"))
        if key in entry
    }


# --------------------------------------------------------------------------------------
# Architecture: 7 layers, 50 components (slides 14-15)
# --------------------------------------------------------------------------------------


def architecture(ref: dict[str, Any]) -> list[Resource]:
    layers = sorted(ref["layers"], key=lambda layer: layer["order"])
    components = ref["components"]
    info = ref["scheme"]
    prose = TEXTS["architecture"]
    deck = info["source_url"]
    resources = [
        scheme(
            "architecture",
            {"sourcing_note": True, "notes": [prose["scheme_note"]], "sources": [deck]},
            [f"id/layer/{layer['id']}" for layer in layers],
            title=label(info),
            description={
                "fi": prose["description_fi"],
                "en": f"{info['note']} {prose['description_en_suffix']}",
            },
        )
    ]
    for layer in layers:
        r = concept(
            f"id/layer/{layer['id']}",
            "ak:ArchitectureLayer",
            "architecture",
            layer["id"],
            label(layer),
            layer["order"],
        )
        r.add("skos:topConceptOf", IRI("id/scheme/architecture"))
        r.add("ak:crossCutting", boolean(bool(layer.get("cross_cutting", False))))
        r.add(
            "skos:narrower",
            *(IRI(f"id/component/{c['id']}") for c in components if c["layer"] == layer["id"]),
        )
        r.add("dct:source", IRI(deck))
        resources.append(r)
    layer_ids = {layer["id"] for layer in layers}
    for order, c in enumerate(components, start=1):
        if c["layer"] not in layer_ids:
            raise ValueError(f"component {c['id']}: unknown layer {c['layer']!r}")
        # fi_qualified keeps fi prefLabels unique in the scheme; the short form stays findable.
        qualified = "fi_qualified" if "fi_qualified" in c else "fi"
        r = concept(
            f"id/component/{c['id']}",
            "ak:ArchitectureComponent",
            "architecture",
            c["id"],
            label(c, qualified),
            order,
        )
        if "fi_qualified" in c:
            r.add("skos:altLabel", Lit(c["fi"], "fi"))
        r.add("skos:broader", IRI(f"id/layer/{c['layer']}"))
        confidence = c["confidence"]
        r.add("ak:confidence", Lit(confidence))
        words = prose["confidence"][confidence]
        notes = [
            {
                lang: text.format(confidence=words[lang])
                for lang, text in prose["membership_note"].items()
            }
        ]
        if "note" in c:
            if c["id"] not in prose["component_notes_fi"]:
                raise ValueError(f"component {c['id']}: note has no Finnish translation")
            notes.append({"fi": prose["component_notes_fi"][c["id"]], "en": c["note"]})
        for note in notes:
            r.add("skos:editorialNote", *lits(note))
        r.add("dct:source", IRI(deck))
        resources.append(r)
    return resources


# --------------------------------------------------------------------------------------
# Openness aspects (slide 10), service domains (slide 9), delivery phases (slides 7-8)
# --------------------------------------------------------------------------------------


def openness_aspects(ref: dict[str, Any]) -> list[Resource]:
    aspects = ref["openness_aspects"]
    prose = TEXTS["openness-aspects"]
    resources = [scheme("openness-aspects", prose, [f"id/aspect/{a['id']}" for a in aspects])]
    for order, a in enumerate(aspects, start=1):
        r = concept(
            f"id/aspect/{a['id']}",
            "ak:OpennessAspect",
            "openness-aspects",
            a["id"],
            label(a),
            order,
        )
        r.add("skos:topConceptOf", IRI("id/scheme/openness-aspects"))
        r.add("skos:scopeNote", *lits(prose["scope_notes"][a["id"]]))
        r.add("dct:source", IRI(TEXTS["deck"]))
        resources.append(r)
    return resources


def service_domains(ref: dict[str, Any]) -> list[Resource]:
    domains = ref["municipal_service_domains"]
    prose = TEXTS["service-domains"]
    # The two headings of slide 9 become group concepts; fi verbatim from the slide.
    groups = {name: prose["groups"][name] for name in dict.fromkeys(d["group"] for d in domains)}
    resources = [
        scheme("service-domains", prose, [f"id/domain/{g['id']}" for g in groups.values()])
    ]
    for order, (group_name, group) in enumerate(groups.items(), start=1):
        key = group["id"]
        r = concept(f"id/domain/{key}", None, "service-domains", key, label(group), order)
        r.add("skos:topConceptOf", IRI("id/scheme/service-domains"))
        r.add(
            "skos:narrower",
            *(IRI(f"id/domain/{d['id']}") for d in domains if d["group"] == group_name),
        )
        r.add("dct:source", IRI(TEXTS["deck"]))
        resources.append(r)
    for order, d in enumerate(domains, start=1):
        r = concept(
            f"id/domain/{d['id']}", "ak:ServiceDomain", "service-domains", d["id"], label(d), order
        )
        r.add("skos:broader", IRI(f"id/domain/{groups[d['group']]['id']}"))
        r.add("dct:source", IRI(TEXTS["deck"]))
        resources.append(r)
    return resources


def delivery_phases(ref: dict[str, Any]) -> list[Resource]:
    phases = ref["offering_phases"]
    prose = TEXTS["delivery-phases"]
    resources = [scheme("delivery-phases", prose, [f"id/phase/{p['id']}" for p in phases])]
    for order, p in enumerate(phases, start=1):
        r = concept(
            f"id/phase/{p['id']}", "ak:DeliveryPhase", "delivery-phases", p["id"], label(p), order
        )
        r.add("skos:topConceptOf", IRI("id/scheme/delivery-phases"))
        r.add("skos:definition", *lits(prose["definitions"][p["id"]]))
        r.add("dct:source", IRI(TEXTS["deck"]))
        resources.append(r)
    return resources


# --------------------------------------------------------------------------------------
# Procurement routes (slide 12 and domain-facts.md): not in the reference YAML
# --------------------------------------------------------------------------------------


def procurement_routes(ref: dict[str, Any]) -> list[Resource]:
    del ref
    prose = TEXTS["procurement-routes"]
    routes = prose["routes"]
    resources = [scheme("procurement-routes", prose, [f"id/route/{r['id']}" for r in routes])]
    for order, route in enumerate(routes, start=1):
        r = concept(
            f"id/route/{route['id']}",
            "ak:ProcurementRoute",
            "procurement-routes",
            route["id"],
            route["label"],
            order,
        )
        r.add("skos:topConceptOf", IRI("id/scheme/procurement-routes"))
        r.add("skos:definition", *lits(route["definition"]))
        r.add("dct:source", *iris(route["sources"]))
        resources.append(r)
    return resources


# --------------------------------------------------------------------------------------

SCHEMES = {
    "architecture": architecture,
    "openness-aspects": openness_aspects,
    "service-domains": service_domains,
    "delivery-phases": delivery_phases,
    "procurement-routes": procurement_routes,
}

HEADER = """\
SKOS concept scheme "{key}" of the Avoin kunta publication.

Generated by ontology/tools/generate_schemes.py from the data files beside it
(architecture-layers.yaml, scheme-texts.yaml); committed as the source of record. Regenerate
rather than edit by hand (tests/test_ontology.py checks that they agree).
IRIs are relative: parse with the base URI as publicID (no @base on purpose)."""


def render(ref: dict[str, Any], texts: dict[str, Any]) -> dict[str, str]:
    """File name → Turtle text for every scheme."""
    TEXTS.clear()
    TEXTS.update(texts)
    return {
        f"{key}.ttl": document(HEADER.format(key=key), build(ref)) for key, build in SCHEMES.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help="architecture-layers.yaml (default: %(default)s)",
    )
    parser.add_argument(
        "--texts",
        type=Path,
        default=DEFAULT_TEXTS,
        help="scheme-texts.yaml (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="directory for the .ttl files (default: %(default)s)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a file differs from what would be written",
    )
    args = parser.parse_args(argv)
    ref = yaml.safe_load(args.source.read_text(encoding="utf-8"))
    texts = yaml.safe_load(args.texts.read_text(encoding="utf-8"))
    files = render(ref, texts)
    stale = [
        name
        for name, text in files.items()
        if not (args.out / name).is_file() or (args.out / name).read_text(encoding="utf-8") != text
    ]
    if args.check:
        for name in stale:
            print(f"{args.out / name}: differs from the generator's output", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
