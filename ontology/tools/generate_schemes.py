"""Write the SKOS concept schemes in ontology/schemes/ from architecture-layers.yaml.

The generated Turtle files are committed and are the source of record; this script exists so
they can be regenerated (or checked with ``--check``) when the reference file changes.

    python ontology/tools/generate_schemes.py [--source PATH] [--out DIR] [--check]

IRIs are written RELATIVE (``<id/layer/…>``, ``ak:`` = ``<ontology#>``) and no ``@base`` is
written: the build parses each file with the configured base URI as publicID.

What comes from where:
  * ids, fi/en labels, layer order, layer membership and its confidence: the YAML
    (``shared/reference/architecture-layers.yaml``), whose fi labels are verbatim from the
    2014 deck and whose en labels are translations written for the project;
  * definitions, scope notes and the procurement routes: the texts in this file, written for
    the project from the deck (slides 7-12) and ``shared/reference/domain-facts.md``, each
    with the URLs it rests on (``dct:source``).
No Swedish labels: none are sourced.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = REPO.parent / "shared" / "reference" / "architecture-layers.yaml"
DEFAULT_OUT = REPO / "ontology" / "schemes"

DECK = "https://speakerdeck.com/opendatatre/avoin-kunta-aloite-timo-valiharju"
CC_BY = "http://creativecommons.org/licenses/by/4.0/"
ISSUED = "2026-11-26"

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


def texts(fi: str, en: str) -> tuple[Lit, Lit]:
    return Lit(fi, "fi"), Lit(en, "en")


def iris(values: Iterable[str]) -> list[IRI]:
    return [IRI(v) for v in values]


def document(header: str, resources: Sequence[Resource]) -> str:
    head = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    return head + "\n" + prefixes + "\n" + "\n".join(r.turtle() for r in resources)


# --------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------

CONFIDENCE_FI = {"high": "korkea", "medium": "keskitasoinen", "low": "matala"}

SOURCING_NOTE = texts(
    "Suomenkieliset nimet ovat sanatarkasti Avoin kunta -esityksestä (COSS ry, 2014); "
    "englanninkieliset ovat tätä julkaisua varten tehtyjä käännöksiä, eivät virallisia. "
    "Ruotsinkielisiä nimiä ei löytynyt lähteistä, joten niitä ei anneta.",
    "Finnish labels are verbatim from the Avoin kunta deck (COSS ry, 2014); English labels "
    "are translations written for this publication, not official ones. No Swedish labels "
    "were found in any source, so none are given.",
)


def scheme(
    key: str,
    title: tuple[Lit, Lit],
    description: tuple[Lit, Lit],
    top: Sequence[str],
    sources: Sequence[str],
    notes: Sequence[tuple[Lit, Lit]] = (),
) -> Resource:
    r = Resource(f"id/scheme/{key}", ["skos:ConceptScheme"])
    r.add("dct:identifier", Lit(key))
    r.add("dct:title", *title)
    r.add("skos:prefLabel", *title)
    r.add("dct:description", *description)
    for note in notes:
        r.add("skos:editorialNote", *note)
    r.add("dct:source", *iris(sources))
    r.add("dct:license", IRI(CC_BY))
    r.add("dct:issued", Lit(ISSUED, datatype="xsd:date"))
    r.add("dct:modified", Lit(ISSUED, datatype="xsd:date"))
    r.add("skos:hasTopConcept", *iris(top))
    return r


def concept(
    iri: str,
    ak_class: str | None,
    scheme_key: str,
    notation: str,
    fi: str,
    en: str,
    order: int,
) -> Resource:
    types = ["skos:Concept"] + ([ak_class] if ak_class else [])
    r = Resource(iri, types)
    r.add("skos:inScheme", IRI(f"id/scheme/{scheme_key}"))
    r.add("skos:prefLabel", *texts(fi, en))
    r.add("skos:notation", Lit(notation))
    r.add("ak:order", integer(order))
    return r


# --------------------------------------------------------------------------------------
# Architecture: 7 layers, 50 components (slides 14-15)
# --------------------------------------------------------------------------------------

ARCHITECTURE_DESCRIPTION_FI = (
    "Dia 14 esittää kuusi päällekkäistä kerrosta (alhaalta ylös: ICT-infrastruktuuri, Master "
    "datan hallinta, Toiminnanohjauksen tuki, Toimialakohtaiset ratkaisut, Palvelu- ja "
    "asiointialusta, Palvelukanavat ja sähköiset työpöydät). Dia 15 lisää seitsemännen, "
    "Tiedolla johtaminen, joka on piirretty niiden poikki. Dian 15 kaavion ympärillä on "
    'kolme toimijaryhmää: "Yhteistyökumppanit, viranomaistahot" (kahdesti) ja "Kuntalaiset, '
    'yritysasiakkaat". Diojen lähdemerkintä: Kuntien Tiera Oy.'
)
ARCHITECTURE_SOURCE_EN = " Slides credited: Kuntien Tiera Oy."

MEMBERSHIP_NOTE = (
    "Kerros on päätelty esityksen tekstiversion (dia 15) järjestyksestä ja merkityksestä, "
    "koska tekstiversio litistää dian; varmuus: {fi}.",
    "The layer is inferred from the order and meaning of the deck's transcript (slide 15), "
    "which flattens the slide; confidence: {en}.",
)

ARCHITECTURE_MEMBERSHIP_NOTE = texts(
    "Komponenttien kerrokset on päätelty esityksen tekstiversion (dia 15) järjestyksestä ja "
    "merkityksestä, koska tekstiversio litistää dian; kunkin komponentin ak:confidence kertoo "
    "päättelyn varmuuden. Tarkista kuvasta, jos dian kuva on saatavilla.",
    "The components' layers are inferred from the order and meaning of the deck's transcript "
    "(slide 15), which flattens the slide; each component's ak:confidence says how sure the "
    "inference is. Check against the slide image if it can be obtained.",
)

# fi translations of the YAML's (English) component notes, keyed by component id.
COMPONENT_NOTES_FI = {
    "application-platform-services": (
        "Tekstiversiossa ensimmäinen laatikko kerrosten nimien jälkeen; voi kuulua myös "
        "ICT-infrastruktuuriin."
    ),
    "e-communication-workspaces": (
        "Tekstiversiossa lukee 'Sähköinen viestintä ryhmätyötilat'; voi olla yksi laatikko "
        "tai kaksi."
    ),
}


def architecture(ref: dict[str, Any]) -> list[Resource]:
    layers = sorted(ref["layers"], key=lambda layer: layer["order"])
    components = ref["components"]
    info = ref["scheme"]
    resources = [
        scheme(
            "architecture",
            texts(info["fi"], info["en"]),
            texts(ARCHITECTURE_DESCRIPTION_FI, info["note"] + ARCHITECTURE_SOURCE_EN),
            [f"id/layer/{layer['id']}" for layer in layers],
            [info["source_url"]],
            [SOURCING_NOTE, ARCHITECTURE_MEMBERSHIP_NOTE],
        )
    ]
    for layer in layers:
        r = concept(
            f"id/layer/{layer['id']}",
            "ak:ArchitectureLayer",
            "architecture",
            layer["id"],
            layer["fi"],
            layer["en"],
            layer["order"],
        )
        r.add("skos:topConceptOf", IRI("id/scheme/architecture"))
        r.add("ak:crossCutting", boolean(bool(layer.get("cross_cutting", False))))
        r.add(
            "skos:narrower",
            *(IRI(f"id/component/{c['id']}") for c in components if c["layer"] == layer["id"]),
        )
        r.add("dct:source", IRI(info["source_url"]))
        resources.append(r)
    layer_ids = {layer["id"] for layer in layers}
    for order, c in enumerate(components, start=1):
        if c["layer"] not in layer_ids:
            raise ValueError(f"component {c['id']}: unknown layer {c['layer']!r}")
        # fi_qualified keeps fi prefLabels unique in the scheme; the short form stays findable.
        fi = c.get("fi_qualified", c["fi"])
        r = concept(
            f"id/component/{c['id']}",
            "ak:ArchitectureComponent",
            "architecture",
            c["id"],
            fi,
            c["en"],
            order,
        )
        if "fi_qualified" in c:
            r.add("skos:altLabel", Lit(c["fi"], "fi"))
        r.add("skos:broader", IRI(f"id/layer/{c['layer']}"))
        confidence = c["confidence"]
        r.add("ak:confidence", Lit(confidence))
        notes = [
            texts(
                MEMBERSHIP_NOTE[0].format(fi=CONFIDENCE_FI[confidence]),
                MEMBERSHIP_NOTE[1].format(en=confidence),
            )
        ]
        if "note" in c:
            if c["id"] not in COMPONENT_NOTES_FI:
                raise ValueError(f"component {c['id']}: note has no Finnish translation here")
            notes.append(texts(COMPONENT_NOTES_FI[c["id"]], c["note"]))
        for note in notes:
            r.add("skos:editorialNote", *note)
        r.add("dct:source", IRI(info["source_url"]))
        resources.append(r)
    return resources


# --------------------------------------------------------------------------------------
# Openness aspects (slide 10)
# --------------------------------------------------------------------------------------

# How the catalogue reads each claim: the 2014 rules (slide 10) made checkable.
ASPECT_SCOPE = {
    "open-source": texts(
        "Tuotteen lisenssi on avoimen lähdekoodin lisenssi (OSI-hyväksytty) ja sen lähdekoodi "
        "on julkisessa lähdekoodivarastossa (ak:sourceRepository). Jos tarjoomassa on avoimia "
        "ja suljettuja osia, osat luetellaan lisensseineen ja hintoineen.",
        "The product's licence is an open source licence (OSI approved) and its source code "
        "is in a public repository (ak:sourceRepository). When an offering mixes open and "
        "closed parts, the parts are listed with their licences and prices.",
    ),
    "open-standards": texts(
        "Tuote tai palvelu toteuttaa avoimia standardeja, ja väite nimeää ne (dct:conformsTo).",
        "The product or service implements open standards, and the claim names them "
        "(dct:conformsTo).",
    ),
    "open-interface": texts(
        "Tuotteella tai palvelulla on avoin rajapinta, jonka dokumentaatio on julkinen "
        "(ak:apiDocumentation).",
        "The product or service has an open interface (API) whose documentation is public "
        "(ak:apiDocumentation).",
    ),
    "open-architecture": texts(
        "Tuote tai palvelu sopii avoimeen, modulaariseen kokonaisarkkitehtuuriin ja auttaa "
        "kuntaa rakentamaan sellaisen.",
        "The product or service fits an open, modular enterprise architecture and helps the "
        "municipality build one.",
    ),
    "open-data": texts(
        "Tuote tai palvelu julkaisee dataa, tai antaa kunnan julkaista datansa, avoimena "
        "datana avoimella lisenssillä.",
        "The product or service publishes data, or lets the municipality publish its data, "
        "as open data under an open licence.",
    ),
}


def openness_aspects(ref: dict[str, Any]) -> list[Resource]:
    aspects = ref["openness_aspects"]
    resources = [
        scheme(
            "openness-aspects",
            texts("Avoimuuden osa-alueet", "Openness aspects"),
            texts(
                "Avoin kunta -aloitteen viisi avoimuuden osa-aluetta (dia 10). Käyttöhuomautukset "
                "kertovat, millä näytöllä luettelo hyväksyy väitteen; ne on kirjoitettu tätä "
                "julkaisua varten dian 10 pelisääntöjen pohjalta.",
                "The five openness aspects of the Avoin kunta initiative (slide 10). The scope "
                "notes say what evidence the catalogue accepts for a claim; they were written "
                "for this publication from the rules on slide 10.",
            ),
            [f"id/aspect/{a['id']}" for a in aspects],
            [DECK],
            [SOURCING_NOTE],
        )
    ]
    for order, a in enumerate(aspects, start=1):
        r = concept(
            f"id/aspect/{a['id']}",
            "ak:OpennessAspect",
            "openness-aspects",
            a["id"],
            a["fi"],
            a["en"],
            order,
        )
        r.add("skos:topConceptOf", IRI("id/scheme/openness-aspects"))
        r.add("skos:scopeNote", *ASPECT_SCOPE[a["id"]])
        r.add("dct:source", IRI(DECK))
        resources.append(r)
    return resources


# --------------------------------------------------------------------------------------
# Municipal service domains (slide 9)
# --------------------------------------------------------------------------------------

# The two headings of slide 9 become group concepts; fi verbatim from the slide.
DOMAIN_GROUPS = {
    "core": ("core-services", "Kunnan ydinpalvelut", "Core municipal services"),
    "support": ("support-services", "Kunnan tukipalvelut", "Municipal support services"),
}


def service_domains(ref: dict[str, Any]) -> list[Resource]:
    domains = ref["municipal_service_domains"]
    groups = [DOMAIN_GROUPS[g] for g in dict.fromkeys(d["group"] for d in domains)]
    resources = [
        scheme(
            "service-domains",
            texts("Kunnan palvelualueet", "Municipal service domains"),
            texts(
                "Kunnan ydin- ja tukipalvelut Avoin kunta -esityksen dian 9 mukaan. Ylimmät "
                "käsitteet ovat dian kaksi otsikkoa; palvelualueet ovat niiden kapeampia "
                "käsitteitä.",
                "A municipality's core and support services as slide 9 of the Avoin kunta deck "
                "lists them. The top concepts are the slide's two headings; the service domains "
                "are narrower than them.",
            ),
            [f"id/domain/{g[0]}" for g in groups],
            [DECK],
            [
                SOURCING_NOTE,
                texts(
                    "Jako ydin- ja tukipalveluihin on päätelty esityksen tekstiversion "
                    "järjestyksestä (neljä ja neljä).",
                    "The split into core and support services is inferred from the order of "
                    "the deck's transcript (four and four).",
                ),
            ],
        )
    ]
    for order, (key, fi, en) in enumerate(groups, start=1):
        group_name = next(name for name, g in DOMAIN_GROUPS.items() if g[0] == key)
        r = concept(f"id/domain/{key}", None, "service-domains", key, fi, en, order)
        r.add("skos:topConceptOf", IRI("id/scheme/service-domains"))
        r.add(
            "skos:narrower",
            *(IRI(f"id/domain/{d['id']}") for d in domains if d["group"] == group_name),
        )
        r.add("dct:source", IRI(DECK))
        resources.append(r)
    for order, d in enumerate(domains, start=1):
        r = concept(
            f"id/domain/{d['id']}",
            "ak:ServiceDomain",
            "service-domains",
            d["id"],
            d["fi"],
            d["en"],
            order,
        )
        r.add("skos:broader", IRI(f"id/domain/{DOMAIN_GROUPS[d['group']][0]}"))
        r.add("dct:source", IRI(DECK))
        resources.append(r)
    return resources


# --------------------------------------------------------------------------------------
# Delivery phases (slides 7-8)
# --------------------------------------------------------------------------------------

# Definitions condensed from slides 7 and 8 (fi in the deck's words, en translated).
PHASE_DEFINITIONS = {
    "strategy": texts(
        "Kunnan visiota ja missiota tukevan palvelustrategian laatiminen yhdessä kunnan "
        "avainhenkilöiden ja yhteisön kanssa: kunnan kokonaisrakenteen ja sen komponenttien "
        "kuvaus (prosessit ja palvelut, tietojärjestelmät, infrastruktuuri, organisaatio ja "
        "tarvittavat kyvykkyydet), kehittämisohjelma nykytilasta tavoitetilaan sekä "
        "kuntaliitostilanteissa kuntauudistuksen toteutusmalli.",
        "Drawing up, with the municipality's key people and community, a service strategy "
        "that supports the municipality's vision and mission: a description of the "
        "municipality's overall structure and its components (processes and services, "
        "information systems, infrastructure, organisation and the capabilities needed), a "
        "development programme from the current state to the target state, and, in municipal "
        "mergers, a model for carrying out the municipal reform.",
    ),
    "development": texts(
        "Toiminnan ja tietojärjestelmien kehittämisprojektit, jotka toteutetaan yhdessä "
        "asiakkaan kanssa ajallaan ja budjetissa: uudistetut prosessit, testatut ja toimivat "
        "tietojärjestelmät, uudistettu organisaatio ja tarvittava osaaminen sekä uusi "
        "toimintamalli hyötykäytössä mittareineen.",
        "Development projects for operations and information systems, carried out with the "
        "customer on time and within budget: renewed processes, tested and working "
        "information systems, a renewed organisation and the skills needed, and a new "
        "operating model in productive use with its indicators.",
    ),
    "production-support": texts(
        "Jatkuvat palvelut: tietojenkäsittelypalvelut, tietotekniikkainfrastruktuuripalvelut, "
        "tietojärjestelmien huolto ja ylläpito, käyttäjätuki sekä kunnan tukitoimintojen "
        "ulkoistetut palvelut.",
        "Continuous services: data processing services, IT infrastructure services, "
        "servicing and maintenance of information systems, user support, and outsourced "
        "services for the municipality's support functions.",
    ),
}


def delivery_phases(ref: dict[str, Any]) -> list[Resource]:
    phases = ref["offering_phases"]
    resources = [
        scheme(
            "delivery-phases",
            texts("Toimitusvaiheet", "Delivery phases"),
            texts(
                "Avoin kunta -kokonaistarjooman vaiheet strategiasta kehittämiseen sekä "
                "tuotantoon ja tukeen (diat 7 ja 8).",
                "The phases of the whole Avoin kunta offering, from strategy through "
                "development to production and support (slides 7 and 8).",
            ),
            [f"id/phase/{p['id']}" for p in phases],
            [DECK],
            [
                SOURCING_NOTE,
                texts(
                    "Määritelmät on tiivistetty diojen 7 ja 8 teksteistä esityksen sanoin; "
                    "englanninkieliset määritelmät ovat tätä julkaisua varten tehtyjä käännöksiä.",
                    "The definitions are condensed from the text of slides 7 and 8 in the deck's "
                    "words; the English definitions are translations written for this publication.",
                ),
            ],
        )
    ]
    for order, p in enumerate(phases, start=1):
        r = concept(
            f"id/phase/{p['id']}",
            "ak:DeliveryPhase",
            "delivery-phases",
            p["id"],
            p["fi"],
            p["en"],
            order,
        )
        r.add("skos:topConceptOf", IRI("id/scheme/delivery-phases"))
        r.add("skos:definition", *PHASE_DEFINITIONS[p["id"]])
        r.add("dct:source", IRI(DECK))
        resources.append(r)
    return resources


# --------------------------------------------------------------------------------------
# Procurement routes (slide 12 and domain-facts.md)
# --------------------------------------------------------------------------------------

KIVISTO = "http://www.kivistoconsulting.fi/articles/1021/"
TEM_THRESHOLDS = "https://tem.fi/eu-ja-kansalliset-kynnysarvot"
HANKINNAT_THRESHOLDS = "https://www.hankinnat.fi/mika-julkinen-hankinta/kynnysarvot"
TIERA_SAGAPEDIA = "https://sagapedia.com/fi/Tiera_(verkosto)"
JAMSA_TIERA = "https://jamsa10.oncloudos.com/cgi/DREQUEST.PHP?id=2025574-14&page=meetingitem"


@dataclass(frozen=True)
class Route:
    key: str
    label: tuple[Lit, Lit]
    definition: tuple[Lit, Lit]
    sources: tuple[str, ...]


ROUTES: tuple[Route, ...] = (
    Route(
        "direct-purchase",
        texts(
            "Kansallisen kynnysarvon alittava hankinta",
            "Direct purchase below the national threshold",
        ),
        texts(
            "Kunta ostaa suoraan toimittajalta ilman kilpailutusta, koska koko hankinnan "
            "arvioitu arvo (kokonaiselinkaarikustannus ilman arvonlisäveroa, optiot mukaan "
            "lukien) alittaa tavara- ja palveluhankintojen kansallisen kynnysarvon: 30 000 "
            "euroa hankintalain 348/2007 aikaan, kuten Avoin kunta -esitys (2014) toteaa, ja "
            "1.1.2017 alkaen 60 000 euroa lain 1397/2016 mukaan.",
            "The municipality buys directly from the supplier without a competitive tender, "
            "because the estimated value of the whole procurement (total life-cycle cost, "
            "without VAT, options included) is below the national threshold for goods and "
            "services: 30,000 EUR under the Act on Public Procurement 348/2007, as the Avoin "
            "kunta deck (2014) states, and 60,000 EUR from 1.1.2017 under Act 1397/2016.",
        ),
        (DECK, KIVISTO, TEM_THRESHOLDS, HANKINNAT_THRESHOLDS),
    ),
    Route(
        "joint-procurement",
        texts("Yhteishankinta", "Joint procurement"),
        texts(
            "Kunta ostaa puitejärjestelyn kautta, jonka yhteishankintayksikkö on jo "
            "kilpailuttanut, esimerkiksi Kuntien Tiera Oy (vuodesta 2024 Tiera Oy): sen "
            "omistajat voivat ostaa sen kilpailuttamia palveluita ilman uutta kilpailutusta.",
            "The municipality buys under a framework agreement that a joint procurement unit "
            "has already tendered, such as Kuntien Tiera Oy (Tiera Oy since 2024): its owners "
            "can buy the services it has tendered without a new tender.",
        ),
        (DECK, TIERA_SAGAPEDIA),
    ),
    Route(
        "in-house",
        texts("Sidosyksikköhankinta", "In-house procurement"),
        texts(
            "Kunta ostaa ilman kilpailutusta sidosyksiköltä, jonka se omistaa yksin tai yhdessä "
            "muiden hankintayksiköiden kanssa ja joka toimii pääasiassa omistajilleen, "
            "esimerkiksi Tiera Oy:ltä (laki julkisista hankinnoista ja käyttöoikeussopimuksista "
            "1397/2016, 15 §).",
            "The municipality buys, without a tender, from an in-house entity that it owns "
            "alone or together with other contracting entities and that works mainly for its "
            "owners, such as Tiera Oy (Act on Public Procurement and Concession Contracts "
            "1397/2016, section 15).",
        ),
        (JAMSA_TIERA,),
    ),
    Route(
        "competitive-tender",
        texts("Kilpailutus", "Competitive tender"),
        texts(
            "Kunta kilpailuttaa hankinnan itse, kuten hankintalaki edellyttää, kun hankinnan "
            "arvo ylittää kansallisen kynnysarvon.",
            "The municipality tenders the procurement itself, as the procurement act requires "
            "when the value of the procurement is above the national threshold.",
        ),
        (DECK, HANKINNAT_THRESHOLDS),
    ),
    Route(
        "no-charge",
        texts("Ei lisenssimaksua", "No licence fee"),
        texts(
            "Lisenssistä ei makseta, joten itse lisenssiä ei tarvitse hankkia. Tuotteeseen "
            "liittyvät palvelut, kuten käyttöönotto, ylläpito, tuki tai kehitys, voi silti "
            "joutua hankkimaan jollakin muulla hankintatavalla.",
            "There is no licence fee, so there is nothing to procure for the licence itself. "
            "Services around the product, such as deployment, hosting, support or "
            "development, may still have to be procured by one of the other routes.",
        ),
        (),
    ),
)


def procurement_routes(ref: dict[str, Any]) -> list[Resource]:
    del ref  # the routes are not in the reference YAML
    resources = [
        scheme(
            "procurement-routes",
            texts("Hankintatavat", "Procurement routes"),
            texts(
                "Tavat, joilla kunta voi hankkia tarjooman tuotteen tai palvelun: Avoin kunta "
                "-esityksen dia 12 ja hankintalain kynnysarvot. Kynnysarvot ovat ilman "
                "arvonlisäveroa, ja hankinnan arvo on koko sopimuskauden suurin maksettava "
                "kokonaiskorvaus optioineen.",
                "The ways a municipality can procure a product or service in the offering: "
                "slide 12 of the Avoin kunta deck and the thresholds of the procurement act. "
                "Thresholds are without VAT, and the value of a procurement is the largest "
                "total payable over the whole contract, options included.",
            ),
            [f"id/route/{route.key}" for route in ROUTES],
            [DECK, KIVISTO, TEM_THRESHOLDS, HANKINNAT_THRESHOLDS],
            [
                texts(
                    "Nimet ja määritelmät on kirjoitettu tätä julkaisua varten suomeksi ja "
                    "englanniksi lähteiden pohjalta; ne eivät ole virallisia termejä.",
                    "Labels and definitions were written in Finnish and English for this "
                    "publication from the sources; they are not official terms.",
                )
            ],
        )
    ]
    for order, route in enumerate(ROUTES, start=1):
        r = concept(
            f"id/route/{route.key}",
            "ak:ProcurementRoute",
            "procurement-routes",
            route.key,
            route.label[0].text,
            route.label[1].text,
            order,
        )
        r.add("skos:topConceptOf", IRI("id/scheme/procurement-routes"))
        r.add("skos:definition", *route.definition)
        r.add("dct:source", *iris(route.sources))
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

Generated by ontology/tools/generate_schemes.py from shared/reference/architecture-layers.yaml
and the texts in that script; committed as the source of record. Regenerate rather than edit
by hand (tests/test_ontology.py checks that the two agree).
IRIs are relative: parse with the base URI as publicID (no @base on purpose)."""


def render(ref: dict[str, Any]) -> dict[str, str]:
    """File name → Turtle text for every scheme."""
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
    files = render(ref)
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
