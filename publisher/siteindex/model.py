"""From what the store holds (``extract.Extract``) to the rows of the site index: entities
and their labels, concepts, licences, offering cards with their facet memberships, the
sort orders and the texts to search. Plain data; ``writer`` puts it into SQLite."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from publisher.namespaces import ADMS, DCAT, DCT, FOAF, SCHEMA, SKOS
from publisher.siteindex.extract import Extract, Text, decimal, status_key
from publisher.uris import KINDS

# predicate IRIs as strings, made once (rdflib namespace lookups are slow in loops)
P_PUBLISHER = str(DCT.publisher)
P_LICENSE = str(DCT.license)
P_THEME = str(DCAT.theme)
P_HAS_PART = str(DCT.hasPart)
P_TITLE = str(DCT.title)
P_DESCRIPTION = str(DCT.description)
P_STATUS = str(ADMS.status)
P_ISSUED = str(DCT.issued)
P_MODIFIED = str(DCT.modified)
P_CONFORMS_TO = str(DCT.conformsTo)
P_LANDING_PAGE = str(DCAT.landingPage)
P_KEYWORD = str(DCAT.keyword)
P_PRICE = str(SCHEMA.price)
P_CURRENCY = str(SCHEMA.priceCurrency)
P_UNIT = str(SCHEMA.unitText)
P_ALT_LABEL = str(SKOS.altLabel)
P_BROADER = str(SKOS.broader)
P_IN_SCHEME = str(SKOS.inScheme)
P_DEFINITION = str(SKOS.definition)

SUMMARY_CHARS = 280
LANG_ORDER = ("fi", "sv", "en", "")


class Entity(NamedTuple):
    """A thing of ours in the index (a named tuple: tens of thousands are made per build)."""

    id: int
    kind: str
    key: str
    iri: str
    labels: tuple[Text, ...]


@dataclass(frozen=True)
class SearchDoc:
    """The texts of one entity to search, by field; each text with its language."""

    entity: int
    kind: str
    title: tuple[Text, ...]
    keywords: tuple[Text, ...]
    names: tuple[Text, ...]
    body: tuple[Text, ...]


@dataclass
class Model:
    entities: list[Entity] = field(default_factory=list)
    concepts: list[dict[str, Any]] = field(default_factory=list)
    licences: list[dict[str, Any]] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)  # by ordinal
    details: list[dict[str, Any]] = field(default_factory=list)  # by ordinal
    # facet → value → ordinals of the offerings that have it
    memberships: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    sorts: dict[str, list[int]] = field(default_factory=dict)
    docs: list[SearchDoc] = field(default_factory=list)


class _Terms:
    """``ak.pricing`` → the term's IRI as a plain string, looked up once."""

    def __init__(self, namespace: str) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        value = self._namespace + name
        setattr(self, name, value)
        return value


@lru_cache(maxsize=8)
def terms_of(namespace: str) -> _Terms:
    return _Terms(namespace)


def build_model(extract: Extract, ledger: dict[str, Any] | None = None) -> Model:
    uris = extract.uris
    ak = terms_of(str(uris.vocab))
    model = Model()
    offering_iris = extract.of_type(str(ak.Offering))
    # Offerings first, so that an offering's ordinal is its entity id.
    things: list[tuple[str, str, str]] = []
    for iri in offering_iris:
        key = extract.key_of(iri)
        if key:
            things.append(("offering", key, iri))
    seen = {iri for _, _, iri in things}
    others = []
    for iri in sorted(extract.types):
        parsed = uris.parse(iri)
        if parsed and iri not in seen and parsed[0] != "offering":
            others.append((KINDS.index(parsed[0]), parsed[1], parsed[0], iri))
    things += [(kind, key, iri) for _, key, kind, iri in sorted(others)]
    ids: dict[str, int] = {}
    for number, (kind, key, iri) in enumerate(things):
        ids[iri] = number
        model.entities.append(Entity(number, kind, key, iri, tuple(extract.labels(iri))))

    layers_of = _layers_of_components(extract)
    licences = _licences(extract, model)
    _concepts(extract, model, ids)

    for ordinal, (kind, key, iri) in enumerate(things[: len(offering_iris)]):
        assert kind == "offering"
        card, detail = _offering(extract, iri, key, layers_of, licences)
        model.cards.append(card)
        model.details.append(detail)
        model.docs.append(_offering_doc(extract, ordinal, iri))
    model.memberships = memberships_of(model.cards, licences)
    model.sorts = _sorts(model, ledger or {})
    for entity in model.entities[len(model.cards) :]:
        model.docs.append(_other_doc(extract, entity))
    return model


# --- offerings ---------------------------------------------------------------------


def _offering(
    x: Extract,
    iri: str,
    key: str,
    layers_of: dict[str, list[str]],
    licences: dict[str, dict[str, Any]],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An offering's card and its details."""
    ak = terms_of(str(x.uris.vocab))
    types = x.types.get(iri, set())
    offering_type = (
        "product" if str(ak.Product) in types else "service" if str(ak.Service) in types else None
    )
    supplier = _first(x.keys_of(x.iris(iri, P_PUBLISHER)))
    licence = _first(x.keys_of(x.iris(iri, P_LICENSE)))
    licence_info = licences.get(licence or "", {})
    components = x.keys_of(x.iris(iri, P_THEME))
    layers = sorted({layer for c in components for layer in layers_of.get(c, [])})
    # Blank nodes (prices, parts, claims) are ordered by their content, never by their
    # labels, which may differ between builds of the same sources.
    prices = _by_content(_price(x, node) for node in x.iris(iri, str(ak.pricing)))
    parts: list[dict[str, Any]] = []
    for node in x.iris(iri, P_HAS_PART):
        part_licence = _first(x.keys_of(x.iris(node, P_LICENSE)))
        parts.append(
            {
                "title": x.lang_texts(node, P_TITLE),
                "description": x.lang_texts(node, P_DESCRIPTION),
                "licence": part_licence,
                "open": licences.get(part_licence or "", {}).get("open"),
                "prices": _by_content(_price(x, p) for p in x.iris(node, str(ak.pricing))),
            }
        )
    if len(parts) > 1:
        parts.sort(key=lambda p: (p["open"] is not True, _best(p["title"]) or "", _canonical(p)))
    all_prices = prices + [p for part in parts for p in part["prices"]]
    pricing = []
    if any(p["amount"] is not None and Decimal(p["amount"]) == 0 for p in all_prices):
        pricing.append("no-licence-fee")
    if any(p["amount"] is not None and Decimal(p["amount"]) > 0 for p in all_prices):
        pricing.append("published-price")
    if any(p["list"] for p in all_prices):
        pricing.append("price-list")
    statuses = [s for s in (status_key(i) for i in x.iris(iri, P_STATUS)) if s]
    status = _first(statuses)
    issued = _canonical_time(x.one_text(iri, P_ISSUED))
    modified = _canonical_time(x.one_text(iri, P_MODIFIED))
    aspects = x.keys_of(x.iris(iri, str(ak.opennessAspect)))
    card = {
        "key": key,
        "type": offering_type,
        "title": x.lang_texts(iri, P_TITLE),
        "summary": {
            lang: _summary(text) for lang, text in x.lang_texts(iri, P_DESCRIPTION).items()
        },
        "supplier": supplier,
        "licence": licence,
        "open": licence_info.get("open"),
        "parts": [
            {"title": p["title"], "licence": p["licence"], "open": p["open"], "prices": p["prices"]}
            for p in parts
        ],
        "prices": prices,
        "pricing": pricing,
        "route": _first(x.keys_of(x.iris(iri, str(ak.procurementRoute)))),
        "components": components,
        "layers": layers,
        "aspects": aspects,
        "domains": x.keys_of(x.iris(iri, str(ak.serviceDomain))),
        "phases": x.keys_of(x.iris(iri, str(ak.deliveryPhase))),
        "status": status,
        "issued": issued,
        "modified": modified,
    }
    claims = []
    for node in x.iris(iri, str(ak.opennessClaim)):
        claims.append(
            {
                "aspect": _first(x.keys_of(x.iris(node, str(ak.aspect)))),
                "evidence": x.iris(node, str(ak.evidence)),
                "standards": x.iris(node, P_CONFORMS_TO),
                "note": x.lang_texts(node, P_DESCRIPTION),
            }
        )
    if len(claims) > 1:
        claims.sort(
            key=lambda c: (
                aspects.index(c["aspect"]) if c["aspect"] in aspects else 99,
                _canonical(c),
            )
        )
    detail = {
        "description": x.lang_texts(iri, P_DESCRIPTION),
        "keywords": x.lang_lists(iri, P_KEYWORD),
        "claims": claims,
        "standards": x.iris(iri, P_CONFORMS_TO),
        "homepage": _first(x.iris(iri, P_LANDING_PAGE)),
        "repository": _first(x.iris(iri, str(ak.sourceRepository))),
        "api": _first(x.iris(iri, str(ak.apiDocumentation))),
        "procurement_note": x.lang_texts(iri, str(ak.procurementNote)),
        "price_notes": _by_content(
            x.lang_texts(node, P_DESCRIPTION) for node in x.iris(iri, str(ak.pricing))
        ),
        "parts": [{"description": p["description"]} for p in parts],
    }
    return card, detail


def member_of(card: dict[str, Any], licences: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """The facet values of an offering, from its card (and the licences' members)."""
    licence_values = set()
    for k in [card["licence"], *(p["licence"] for p in card["parts"])]:
        if k:
            licence_values.add(k)
            licence_values.update(licences.get(k, {}).get("members", []))
    opened = card["open"]
    route, offering_type, status, supplier = (
        card["route"],
        card["type"],
        card["status"],
        card["supplier"],
    )
    return {
        "layer": card["layers"],
        "component": card["components"],
        "aspect": card["aspects"],
        "open": ["yes"] if opened is True else ["no"] if opened is False else [],
        "licence": sorted(licence_values),
        "pricing": card["pricing"],
        "route": [route] if route else [],
        "domain": card["domains"],
        "phase": card["phases"],
        "type": [offering_type] if offering_type else [],
        "status": [status] if status else [],
        "supplier": [supplier] if supplier else [],
    }


def memberships_of(
    cards: list[dict[str, Any]], licences: dict[str, dict[str, Any]]
) -> dict[str, dict[str, list[int]]]:
    """facet → value → the ordinals of the offerings that have it."""
    found: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for ordinal, card in enumerate(cards):
        for facet, values in member_of(card, licences).items():
            for value in values:
                found[facet][value].append(ordinal)
    return {f: dict(v) for f, v in found.items()}


def _price(x: Extract, node: str) -> dict[str, Any]:
    amount = decimal(x.one_text(node, P_PRICE))
    return {
        "amount": None if amount is None else _plain_decimal(amount),
        "currency": x.one_text(node, P_CURRENCY),
        "unit": x.lang_texts(node, P_UNIT),
        "list": _first(x.iris(node, str(x.uris.vocab) + "priceList")),
    }


def _canonical_time(text: str | None) -> str | None:
    """One form for one instant: ``…+00:00`` and ``…Z`` (serialisers differ) both
    become ``…Z``; a date stays a date."""
    if not text:
        return text
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if "T" not in text:
        return parsed.date().isoformat()
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
        return parsed.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return parsed.isoformat(timespec="seconds")


def _canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _by_content(items: Iterable[Any]) -> list[Any]:
    found = list(items)
    return sorted(found, key=_canonical) if len(found) > 1 else found


def _plain_decimal(value: Decimal) -> str:
    """One lexical form for one number: 0.0 and 0 are both "0", 12.50 is "12.5"."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def _summary(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[: SUMMARY_CHARS - 1]
    sentence = cut.rfind(". ")
    if sentence > SUMMARY_CHARS // 2:
        return cut[: sentence + 1]
    return cut.rsplit(" ", 1)[0] + "…"


def _offering_doc(x: Extract, ordinal: int, iri: str) -> SearchDoc:
    names: list[Text] = []
    for supplier in x.iris(iri, P_PUBLISHER):
        names += x.labels(supplier)
        names += x.texts(supplier, P_ALT_LABEL)
    for component in x.iris(iri, P_THEME):
        names += x.labels(component)
    for licence in x.iris(iri, P_LICENSE):
        names += x.labels(licence)
    body = list(x.texts(iri, P_DESCRIPTION))
    body += sorted(t for part in x.iris(iri, P_HAS_PART) for t in x.texts(part, P_TITLE))
    return SearchDoc(
        entity=ordinal,
        kind="offering",
        title=tuple(x.texts(iri, P_TITLE)),
        keywords=tuple(x.texts(iri, P_KEYWORD)),
        names=tuple(sorted(set(names))),
        body=tuple(body),
    )


def _other_doc(x: Extract, entity: Entity) -> SearchDoc:
    iri = entity.iri
    title = list(entity.labels) + x.texts(iri, P_ALT_LABEL)
    if entity.kind == "licence":
        title.append(Text("", entity.key))
    body = x.texts(iri, P_DESCRIPTION) + x.texts(iri, P_DEFINITION)
    return SearchDoc(entity.id, entity.kind, tuple(sorted(set(title))), (), (), tuple(body))


# --- concepts, licences ------------------------------------------------------------


def _layers_of_components(x: Extract) -> dict[str, list[str]]:
    ak = terms_of(str(x.uris.vocab))
    layers = set(x.of_type(str(ak.ArchitectureLayer)))
    out: dict[str, list[str]] = {}
    for component in x.of_type(str(ak.ArchitectureComponent)):
        key = x.key_of(component)
        if key:
            out[key] = x.keys_of([b for b in x.iris(component, P_BROADER) if b in layers])
    return out


def _concepts(x: Extract, model: Model, ids: dict[str, int]) -> None:
    ak = terms_of(str(x.uris.vocab))
    for entity in model.entities:
        if entity.kind not in {"layer", "component", "aspect", "domain", "phase", "route"}:
            continue
        iri = entity.iri
        order = x.one_text(iri, str(ak.order))
        model.concepts.append(
            {
                "entity": entity.id,
                "scheme": _first(x.keys_of(x.iris(iri, P_IN_SCHEME))),
                "broader": _first(x.keys_of(x.iris(iri, P_BROADER))),
                "position": int(order) if order and order.lstrip("-").isdigit() else None,
                "confidence": x.one_text(iri, str(ak.confidence)),
                "cross_cutting": x.one_text(iri, str(ak.crossCutting)) == "true",
            }
        )


def _licences(x: Extract, model: Model) -> dict[str, dict[str, Any]]:
    ak = terms_of(str(x.uris.vocab))
    out: dict[str, dict[str, Any]] = {}
    for entity in model.entities:
        if entity.kind != "licence":
            continue
        iri = entity.iri
        open_source = x.one_text(iri, str(ak.openSource))
        osi = x.one_text(iri, str(ak.osiApproved))
        info = {
            "entity": entity.id,
            "key": entity.key,
            "open": None if open_source is None else open_source == "true",
            "osi": None if osi is None else osi == "true",
            "members": x.keys_of(x.iris(iri, str(ak.licenceMember))),
            "expression": x.one_text(iri, str(ak.licenseExpression)),
        }
        out[entity.key] = info
        model.licences.append(info)
    return out


# --- sort orders -------------------------------------------------------------------


def collation_key(text: str, lang: str) -> str:
    """A sort key that puts å, ä, ö after z in Finnish and Swedish, as their alphabets do."""
    folded = text.casefold()
    if lang in {"fi", "sv"}:
        folded = folded.replace("å", "z\u0101").replace("ä", "z\u0102").replace("ö", "z\u0103")
    return folded


def supplier_names(entities: Iterable[Entity]) -> dict[str, dict[str, str]]:
    return {e.key: {t.lang: t.value for t in e.labels} for e in entities if e.kind == "supplier"}


SortKey = Callable[[int], Any]


def sort_keys(
    card_of: Callable[[int], dict[str, Any]],
    iri_of: Callable[[int], str],
    names: dict[str, dict[str, str]],
    ledger: dict[str, Any],
) -> dict[str, SortKey]:
    """The key of an offering's ordinal in each sort order (each a total order: the last
    part is the offering's key)."""
    keys: dict[str, SortKey] = {}
    for lang in ("fi", "sv", "en"):

        def title(i: int, lang: str = lang) -> str:
            return collation_key(_best(card_of(i)["title"], lang) or "", lang)

        def by_name(i: int, title: Callable[[int], str] = title) -> tuple[str, str]:
            return (title(i), card_of(i)["key"])

        def by_supplier(
            i: int, lang: str = lang, title: Callable[[int], str] = title
        ) -> tuple[str, str, str]:
            card = card_of(i)
            supplier = collation_key(_best(names.get(card["supplier"] or "", {}), lang) or "", lang)
            return (supplier, title(i), card["key"])

        keys[f"name:{lang}"] = by_name
        keys[f"supplier:{lang}"] = by_supplier

    def newest(i: int) -> tuple[tuple[int, ...], tuple[int, ...], str]:
        # Newest first: first published here, then the release date, then the name.
        entry = ledger.get(iri_of(i)) or {}
        card = card_of(i)
        return (
            _desc(str(entry.get("first_published") or "")),
            _desc(card["issued"] or ""),
            card["key"],
        )

    keys["newest"] = newest
    return keys


def _sorts(model: Model, ledger: dict[str, Any]) -> dict[str, list[int]]:
    cards, entities = model.cards, model.entities
    keys = sort_keys(cards.__getitem__, lambda i: entities[i].iri, supplier_names(entities), ledger)
    ordinals = range(len(cards))
    return {name: sorted(ordinals, key=key) for name, key in keys.items()}


def _desc(text: str) -> tuple[int, ...]:
    """Sorts strings in descending order inside an ascending sort."""
    return tuple(-ord(c) for c in text) + (1,)


def _best(texts: dict[str, str], lang: str = "fi") -> str | None:
    for wanted in (lang, "fi", "en", "", "sv"):
        if texts.get(wanted):
            return texts[wanted]
    return next(iter(texts.values()), None)


def _first(items: list[str]) -> str | None:
    return items[0] if items else None


__all__ = ["FOAF", "Model", "build_model", "collation_key"]
