"""An offering as publiccode.yml (standard 0.7) and as CodeMeta 3.0 JSON-LD.

Both are made from the offering's published description (the store), so they say what
``/doc/offering/{key}`` says. ``docs/publiccode.md`` has the mapping table. Keys that the
standard makes mandatory and our catalogue does not record (platforms, software type,
the software's languages, a named maintainer) are filled with the most neutral value the
standard allows and marked with a comment, so that a supplier who adopts the file knows
what to correct; the file is valid either way (``validate`` checks every export).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from publisher.namespaces import ADMS, DCAT, SCHEMA
from publisher.publiccode import standard
from publisher.publiccode.to_source import CATALOGUE_NOTE, crosswalk
from publisher.store import ReadStore
from publisher.uris import UriScheme

LANGS = ("fi", "en", "sv")
STATUS_TO_DEVELOPMENT = {
    "Completed": "stable",
    "UnderDevelopment": "development",
    "Deprecated": "obsolete",
    "Withdrawn": "obsolete",
}
# repostatus.org, the vocabulary CodeMeta recommends for developmentStatus
STATUS_TO_REPOSTATUS = {
    "Completed": "https://www.repostatus.org/#active",
    "UnderDevelopment": "https://www.repostatus.org/#wip",
    "Deprecated": "https://www.repostatus.org/#unsupported",
    "Withdrawn": "https://www.repostatus.org/#abandoned",
}
CODEMETA_CONTEXT = "https://w3id.org/codemeta/3.0"


@dataclass
class OfferingFacts:
    iri: str
    key: str
    is_product: bool
    title: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, list[str]]
    repository: str | None
    homepage: str | None
    api_documentation: str | None
    standards: list[str]
    licence: str | None  # SPDX expression or local id
    status: str  # ADMS status local name
    supplier_iri: str | None
    supplier_name: dict[str, str]
    supplier_homepage: str | None
    supplier_email: str | None
    components: list[str]  # component keys
    component_labels: dict[str, dict[str, str]]
    domains: list[str]
    modified: str | None
    same_as: list[str] = field(default_factory=list)
    documentation: str | None = None
    version: str | None = None
    released: str | None = None
    logo: str | None = None


def offering_facts(store: ReadStore, uris: UriScheme, key: str) -> OfferingFacts | None:
    iri = uris.thing("offering", key)
    graph = store.describe(str(iri), vocab=str(uris.vocab))
    if (iri, RDF.type, None) not in graph:
        return None
    ak = uris.vocab
    supplier = graph.value(iri, DCTERMS.publisher)
    supplier_graph = store.describe(str(supplier)) if isinstance(supplier, URIRef) else Graph()
    licence_iri = graph.value(iri, DCTERMS.license)
    licence = None
    if isinstance(licence_iri, URIRef):
        licence = _text(store.describe(str(licence_iri)).value(licence_iri, DCTERMS.identifier))
    components, labels = [], {}
    for theme in sorted(graph.objects(iri, DCAT.theme), key=str):
        parsed = uris.parse(str(theme))
        if parsed and parsed[0] == "component":
            components.append(parsed[1])
            labels[parsed[1]] = _texts(graph, theme, SKOS.prefLabel)
    domains = []
    for domain in sorted(graph.objects(iri, ak.serviceDomain), key=str):
        parsed = uris.parse(str(domain))
        if parsed:
            domains.append(parsed[1])
    status = graph.value(iri, ADMS.status)
    keywords: dict[str, list[str]] = {}
    for word in sorted(graph.objects(iri, DCAT.keyword), key=str):
        if isinstance(word, Literal) and word.language:
            keywords.setdefault(word.language, []).append(str(word))
    contact = supplier_graph.value(supplier, DCAT.contactPoint) if supplier is not None else None
    email = supplier_graph.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"))
    modified = graph.value(iri, DCTERMS.modified)
    return OfferingFacts(
        iri=str(iri),
        key=key,
        is_product=(iri, RDF.type, ak.Product) in graph,
        title=_texts(graph, iri, DCTERMS.title),
        description=_texts(graph, iri, DCTERMS.description),
        keywords=keywords,
        repository=_text(graph.value(iri, ak.sourceRepository)),
        homepage=_text(graph.value(iri, DCAT.landingPage)),
        api_documentation=_text(graph.value(iri, ak.apiDocumentation)),
        standards=sorted(str(s) for s in graph.objects(iri, DCTERMS.conformsTo)),
        licence=licence,
        status=str(status).rsplit("/", 1)[-1] if status is not None else "Completed",
        supplier_iri=str(supplier) if supplier is not None else None,
        supplier_name=_texts(supplier_graph, supplier, FOAF.name) if supplier is not None else {},
        supplier_homepage=_text(supplier_graph.value(supplier, FOAF.homepage))
        if supplier
        else None,
        supplier_email=str(email).removeprefix("mailto:") if email is not None else None,
        components=components,
        component_labels=labels,
        domains=domains,
        modified=str(modified) if modified is not None else None,
        documentation=_text(graph.value(iri, SCHEMA.softwareHelp)),
        version=_text(graph.value(iri, SCHEMA.softwareVersion)),
        released=_text(graph.value(iri, SCHEMA.datePublished)),
        logo=_text(graph.value(iri, SCHEMA.logo)),
        same_as=sorted(
            str(s) for s in graph.objects(iri, URIRef("http://www.w3.org/2002/07/owl#sameAs"))
        ),
    )


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


def _texts(graph: Graph, subject: Any, predicate: URIRef) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal):
            found.setdefault(value.language or "", str(value))
    return {
        k: found[k]
        for k in sorted(
            found, key=lambda k: (k not in LANGS, LANGS.index(k) if k in LANGS else 0, k)
        )
    }


# ---------------------------------------------------------------------------- publiccode


def short_description(text: str) -> str:
    """The first sentence, at most 150 characters (cut at a word, with an ellipsis)."""
    first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    if standard.grapheme_count(first) <= 150:
        return first
    words, out = first.split(), ""
    for word in words:
        if standard.grapheme_count(f"{out} {word}".strip()) > 148:
            break
        out = f"{out} {word}".strip()
    return out + "…"


def catalogue_note(facts: OfferingFacts, lang: str) -> str:
    """The paragraph the export adds to longDescription (which the standard wants at least
    150 characters long): facts of our catalogue, starting with ``CATALOGUE_NOTE``, which
    the importer recognises and drops."""
    supplier = facts.supplier_name.get(lang) or facts.supplier_name.get("en") or ""
    components = ", ".join(
        facts.component_labels[c].get(lang) or facts.component_labels[c].get("en") or c
        for c in facts.components
    )
    if lang == "fi":
        body = f"toimittaja {supplier}; kunnallisen palveluarkkitehtuurin osat: {components}"
    elif lang == "sv":
        body = f"leverantör {supplier}; delar av den kommunala tjänstearkitekturen: {components}"
    else:
        body = f"supplied by {supplier}; municipal service architecture: {components}"
    return f"{CATALOGUE_NOTE[lang]} {body}; {facts.iri}."


def to_publiccode(facts: OfferingFacts) -> str:
    """The offering as a publiccode.yml 0.7 document (text)."""
    name = facts.title.get("en") or next(iter(facts.title.values()), facts.key)
    lines = [
        "# publiccode.yml of an offering of the Avoin kunta catalogue (standard 0.7).",
        f"# Made from {facts.iri}; keys marked 'not recorded' are not in the catalogue.",
        'publiccodeYmlVersion: "0.7"',
        f"name: {_q(name)}",
        f"url: {_q(facts.repository or facts.homepage or facts.iri)}",
    ]
    if facts.homepage:
        lines.append(f"landingURL: {_q(facts.homepage)}")
    if facts.version:
        lines.append(f"softwareVersion: {_q(facts.version)}")
    if facts.released:
        lines.append(f"releaseDate: {_q(facts.released[:10])}")
    if facts.logo:
        lines.append(f"logo: {_q(facts.logo)}")
    lines += [
        "platforms:  # not recorded in the catalogue: the supplier should name them",
        "  - other",
    ]
    categories = _categories(facts.components)
    if categories:
        lines.append("categories:")
        lines += [f"  - {c}" for c in categories]
    lines.append(f"developmentStatus: {STATUS_TO_DEVELOPMENT.get(facts.status, 'stable')}")
    lines.append("softwareType: standalone/other  # not recorded in the catalogue")
    if facts.standards:
        lines.append("supports:")
        lines += [f"  - id: {_q(s)}" for s in facts.standards]
    if facts.supplier_iri:
        lines += ["organisation:", f"  uri: {_q(facts.supplier_iri)}"]
        supplier = facts.supplier_name.get("en") or next(iter(facts.supplier_name.values()), "")
        if supplier:
            lines.append(f"  name: {_q(supplier)}")
    scopes = _scopes(facts.domains)
    lines += ["intendedAudience:", "  countries:", "    - FI"]
    if scopes:
        lines.append("  scope:")
        lines += [f"    - {s}" for s in scopes]
    lines.append("description:")
    for lang in LANGS:
        if lang in facts.description:
            lines += _description(facts, lang, name)
    licence = _publiccode_licence(facts.licence)
    lines += ["legal:", f"  license: {_q(licence)}"]
    supplier = facts.supplier_name.get("en") or next(iter(facts.supplier_name.values()), "")
    lines += [
        "maintenance:",
        "  type: internal  # the supplier maintains it, as the catalogue records",
        "  contacts:  # the catalogue names organisations, not persons",
        f"    - name: {_q(supplier or facts.key)}",
    ]
    if facts.supplier_email:
        lines.append(f"      email: {_q(facts.supplier_email)}")
    if supplier:
        lines.append(f"      affiliation: {_q(supplier)}")
    lines += [
        "localisation:",
        "  localisationReady: false  # not recorded in the catalogue",
        "  availableLanguages:  # the languages the catalogue describes it in",
    ]
    lines += [f"    - {lang}" for lang in LANGS if lang in facts.description]
    return "\n".join(lines) + "\n"


def _description(facts: OfferingFacts, lang: str, name: str) -> list[str]:
    """The ``description.<lang>`` section of publiccode.yml."""
    text = facts.description[lang]
    features = (
        facts.keywords.get(lang)
        or [facts.component_labels[c].get(lang) or c for c in facts.components]
        or [name]
    )
    lines = [f"  {lang}:"]
    title = facts.title.get(lang)
    if title and title != name:
        lines.append(f"    localisedName: {_q(title)}")
    lines.append(f"    shortDescription: {_q(short_description(text))}")
    lines.append("    longDescription: |-")
    lines += _block(text, 6)
    lines.append("")
    lines += _block(catalogue_note(facts, lang), 6)
    if facts.documentation:
        lines.append(f"    documentation: {_q(facts.documentation)}")
    if facts.api_documentation:
        lines.append(f"    apiDocumentation: {_q(facts.api_documentation)}")
    lines.append("    features:")
    lines += [f"      - {_q(f)}" for f in features]
    return lines


def _publiccode_licence(licence: str | None) -> str:
    """An SPDX expression as publiccode.yml wants it; ours that SPDX does not know (the
    proprietary ones of licences.yaml) as a LicenseRef."""
    licence = licence or "NOASSERTION"
    normalised, problem, _old = standard.spdx_expression(licence)
    if problem:
        return f"LicenseRef-avoinkunta-{re.sub(r'[^A-Za-z0-9.-]', '-', licence)}"
    return normalised or licence


def _categories(components: list[str]) -> list[str]:
    table = crosswalk()["categories"]
    found = []
    for component in components:
        found += sorted(c for c, comp in table.items() if comp == component)
    return list(dict.fromkeys(found))


def _scopes(domains: list[str]) -> list[str]:
    table = crosswalk()["scopes"]
    return [s for d in domains for s, dom in table.items() if dom == d]


def _codemeta_licence(licence: str | None) -> str | list[str] | None:
    """SPDX licence URLs: one for a single licence, each member's for an expression."""
    if not licence:
        return None
    normalised, problem, _old = standard.spdx_expression(licence)
    if problem or not normalised:
        return None
    if " " not in normalised:
        return f"https://spdx.org/licenses/{normalised}"
    members = re.findall(r"[A-Za-z0-9.+-]+", normalised)
    return [f"https://spdx.org/licenses/{m}" for m in members if m not in ("AND", "OR", "WITH")]


def _codemeta_supplier(facts: OfferingFacts) -> dict[str, Any]:
    supplier: dict[str, Any] = {
        "@type": "Organization",
        "@id": facts.supplier_iri,
        "name": facts.supplier_name.get("en") or next(iter(facts.supplier_name.values()), ""),
    }
    if facts.supplier_homepage:
        supplier["url"] = facts.supplier_homepage
    if facts.supplier_email:
        supplier["email"] = facts.supplier_email
    return supplier


def _q(text: str) -> str:
    """A YAML double-quoted scalar (always text, whatever it looks like)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _block(text: str, indent: int) -> list[str]:
    # One line per paragraph: a wrapped line could start with "- " or "#", which the
    # Markdown the standard allows would read as a list item or a heading.
    return [" " * indent + " ".join(text.split())]


# ---------------------------------------------------------------------------- CodeMeta


def to_codemeta(facts: OfferingFacts) -> dict[str, Any]:
    """The offering as CodeMeta 3.0 JSON-LD (schema.org SoftwareSourceCode)."""
    name = facts.title.get("en") or next(iter(facts.title.values()), facts.key)
    document: dict[str, Any] = {
        "@context": CODEMETA_CONTEXT,
        "@type": "SoftwareSourceCode",
        "@id": facts.iri,
        "identifier": facts.iri,
        "name": name,
        "description": facts.description.get("en") or next(iter(facts.description.values()), ""),
        "developmentStatus": STATUS_TO_REPOSTATUS.get(
            facts.status, STATUS_TO_REPOSTATUS["Completed"]
        ),
    }
    if facts.repository:
        document["codeRepository"] = facts.repository
    if facts.homepage:
        document["url"] = facts.homepage
    licence = _codemeta_licence(facts.licence)
    if licence:
        document["license"] = licence
    keywords = facts.keywords.get("en") or next(iter(facts.keywords.values()), [])
    if keywords:
        document["keywords"] = keywords
    if facts.components:
        # an IRI in CodeMeta's context: our architecture components
        document["applicationCategory"] = [
            f"{facts.iri.split('/id/')[0]}/id/component/{c}" for c in facts.components
        ]
    if facts.api_documentation:
        document["softwareHelp"] = {"@type": "WebSite", "url": facts.api_documentation}
    if facts.supplier_iri:
        document["maintainer"] = document["provider"] = _codemeta_supplier(facts)
    if facts.modified:
        document["dateModified"] = facts.modified[:10]
    if facts.version:
        document["version"] = facts.version
    if facts.released:
        document["datePublished"] = facts.released[:10]
    if facts.documentation:
        helps = [{"@type": "WebSite", "url": facts.documentation}]
        if "softwareHelp" in document:
            helps.append(document["softwareHelp"])
        document["softwareHelp"] = helps if len(helps) > 1 else helps[0]
    if facts.same_as:
        document["sameAs"] = facts.same_as
    return document
