"""Matching names to our entities, with the site's search machinery.

Candidates come from the site index's full-text search (``SiteIndex.hits``: Finnish base
forms and compound parts, Swedish and English stems, typo correction), so "Oskarin",
"oskri" and "Helsingin kaupungin" find what the site's search finds. Each candidate is then
scored 0–100 by how well the query matches one of its names:

* 100: the same name (ignoring case, accents and punctuation), its key or its IRI;
* 98 × the share of words that match by their analysed forms (an inflected name);
* else the string similarity of the closest name (a typo), and at most 60 for a thing
  that matches only by its description.

``match`` is true only when certain: one candidate scores 100, no other scores 90 or more,
and every property constraint of the query holds for it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from publisher.siteindex import SiteIndex
from publisher.siteindex.reader import Entity, best_label
from publisher.uris import UriScheme

# type local name → (site index kind, card type or None, names)
TYPES: dict[str, tuple[str, str | None, dict[str, str]]] = {
    "Offering": ("offering", None, {"en": "Offering", "fi": "Tarjooma"}),
    "Product": ("offering", "product", {"en": "Product", "fi": "Tuote"}),
    "Service": ("offering", "service", {"en": "Service", "fi": "Palvelu"}),
    "Supplier": ("supplier", None, {"en": "Supplier", "fi": "Toimittaja"}),
    "Licence": ("licence", None, {"en": "Licence", "fi": "Lisenssi"}),
    "ArchitectureComponent": (
        "component",
        None,
        {"en": "Architecture component", "fi": "Arkkitehtuurin osa"},
    ),
}
DEFAULT_TYPES = ("Offering", "Supplier", "Licence", "ArchitectureComponent")
# property id → (names, kinds it applies to)
PROPERTIES: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "supplier": ({"en": "supplier", "fi": "toimittaja"}, ("offering",)),
    "licence": ({"en": "licence", "fi": "lisenssi"}, ("offering",)),
    "components": ({"en": "architecture components", "fi": "arkkitehtuurin osat"}, ("offering",)),
    "homepage": ({"en": "homepage", "fi": "kotisivu"}, ("offering", "supplier")),
    "repository": ({"en": "source repository", "fi": "lähdekoodi"}, ("offering",)),
    "price": ({"en": "price (amount)", "fi": "hinta (määrä)"}, ("offering",)),
    "price_text": ({"en": "price (as text)", "fi": "hinta (tekstinä)"}, ("offering",)),
    "open_source": (
        {"en": "open source licence", "fi": "avoimen lähdekoodin lisenssi"},
        ("licence", "offering"),
    ),
    "layer": ({"en": "architecture layer", "fi": "arkkitehtuurin kerros"}, ("component",)),
}
CERTAIN, CLOSE = 100.0, 90.0


def fold(text: str) -> str:
    """Lowercase, accents off, punctuation as spaces: what 'the same name' compares."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


@dataclass
class Candidate:
    entity: Entity
    name: str
    lang: str
    score: float
    types: list[str]
    description: str = ""
    features: list[tuple[str, str, float]] = field(default_factory=list)  # id, name, value
    constraints_ok: bool = True
    match: bool = False


class Reconciler:
    def __init__(
        self,
        index: SiteIndex,
        uris: UriScheme,
        *,
        lang: str = "en",
        homepage_of: Callable[[str], str | None] | None = None,
    ) -> None:
        self.index = index
        self.uris = uris
        self.lang = lang
        self.homepage_of = homepage_of or (lambda _iri: None)

    # -------------------------------------------------------------- identities

    def type_id(self, local: str) -> str:
        return f"{self.uris.vocab}{local}"

    def type_local(self, type_id: str | None) -> str | None:
        if not type_id:
            return None
        local = type_id.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        return local if local in TYPES else "?"

    def types_of(self, entity: Entity) -> list[str]:
        if entity.kind == "offering":
            card = self.index.card(entity.key) or {}
            return ["Offering", "Product" if card.get("type") == "product" else "Service"]
        return [
            name for name, (kind, sub, _n) in TYPES.items() if kind == entity.kind and sub is None
        ]

    def entity_of(self, ident: str) -> Entity | None:
        """An entity by its IRI, or by ``kind/key``."""
        found = self.index.entity_of(ident)
        if found is None and "/" in ident and not ident.startswith("http"):
            kind, _, key = ident.partition("/")
            found = self.index.entity(kind, key)
        return found

    def name(self, entity: Entity, lang: str | None = None) -> tuple[str, str]:
        labels = self._labels(entity)
        label = best_label(labels, lang or self.lang, fallback=entity.key)
        return label.text, label.lang

    def _labels(self, entity: Entity) -> dict[str, str]:
        labels = dict(self.index.labels(entity.kind, entity.key))
        if entity.kind == "offering" and not labels:
            labels = dict((self.index.card(entity.key) or {}).get("title", {}))
        return labels

    # -------------------------------------------------------------- matching

    def match(
        self,
        query: str,
        *,
        type_id: str | None = None,
        properties: list[tuple[str, Any]] | None = None,
        limit: int = 5,
        lang: str | None = None,
    ) -> list[Candidate]:
        local = self.type_local(type_id)
        if local == "?":
            return []  # a type we do not have
        query = str(query or "").strip()
        candidates: dict[int, Candidate] = {}
        direct = self.entity_of(query) if query else None
        if direct is not None:
            candidates[direct.id] = self._candidate(direct, query, lang, exact=True)
        if query:
            for hit in self.index.hits(query)[:200]:
                if hit.entity in candidates:
                    continue
                entity = self.index.entity_by_id(hit.entity)
                candidates[entity.id] = self._candidate(entity, query, lang)
        found = [c for c in candidates.values() if self._of_type(c, local)]
        for candidate in found:
            self._constrain(candidate, properties or [])
        found.sort(key=lambda c: (-c.score, c.name.casefold(), c.entity.iri))
        found = found[: max(1, min(int(limit or 5), 100))]
        if found and found[0].score >= CERTAIN and found[0].constraints_ok:
            rivals = [c for c in found[1:] if c.score >= CLOSE]
            found[0].match = not rivals
        return found

    def _of_type(self, candidate: Candidate, local: str | None) -> bool:
        if local is None:
            return candidate.entity.kind in {TYPES[t][0] for t in DEFAULT_TYPES}
        return local in candidate.types

    def _candidate(
        self, entity: Entity, query: str, lang: str | None, *, exact: bool = False
    ) -> Candidate:
        labels = self._labels(entity)
        names = [*labels.values(), entity.key]
        by_name = 100.0 if exact else max((self._similarity(query, n) for n in names), default=0)
        name, name_lang = self.name(entity, lang)
        # A thing the search found only in its description, not its names.
        score = by_name if by_name >= 60 else min(60.0, by_name)
        candidate = Candidate(
            entity=entity,
            name=name,
            lang=name_lang,
            score=round(score, 1),
            types=self.types_of(entity),
            description=self._description(entity, lang),
        )
        candidate.features.append(("name_similarity", "name similarity", round(by_name / 100, 3)))
        return candidate

    def _similarity(self, query: str, name: str) -> float:
        q, n = fold(query), fold(name)
        if not q or not n:
            return 0.0
        if q == n:
            return 100.0
        ratio = difflib.SequenceMatcher(None, q, n).ratio() * 100
        by_terms = self._term_share(query, name) * 98
        return max(ratio, by_terms)

    def _term_share(self, query: str, name: str) -> float:
        """Share of words that match by their analysed forms (base forms, stems)."""
        analyser = self.index.analyser
        q_words = fold(query).split()
        n_words = fold(name).split()
        if not q_words or not n_words:
            return 0.0
        n_terms = [set(analyser.word_terms(w, None)) | {w} for w in n_words]
        matched = 0
        for word in q_words:
            terms = set(analyser.word_terms(word, None)) | {word}
            if any(terms & other for other in n_terms):
                matched += 1
        return matched / max(len(q_words), len(n_words))

    def _description(self, entity: Entity, lang: str | None) -> str:
        if entity.kind != "offering":
            return ""
        card = self.index.card(entity.key) or {}
        summary = card.get("summary") or {}
        text = best_label(summary, lang or self.lang, fallback="").text
        return text if len(text) <= 200 else text[:197] + "…"

    # -------------------------------------------------------------- constraints

    def _constrain(self, candidate: Candidate, properties: list[tuple[str, Any]]) -> None:
        for pid, value in properties:
            values = value if isinstance(value, list) else [value]
            ok = any(self.property_matches(candidate.entity, pid, v) for v in values)
            candidate.features.append((f"property:{pid}", f"{pid} matches", 1.0 if ok else 0.0))
            if not ok:
                candidate.constraints_ok = False
                candidate.score = round(candidate.score * 0.5, 1)

    def property_matches(self, entity: Entity, pid: str, value: Any) -> bool:
        wanted = value.get("id") if isinstance(value, dict) else value
        if wanted is None:
            return False
        wanted_text = str(wanted)
        for have_id, have_names in self._property_values(entity, pid):
            if have_id and (wanted_text == have_id or wanted_text == have_id.rsplit("/", 1)[-1]):
                return True
            for name in have_names:
                if fold(name) == fold(wanted_text) or self._term_share(wanted_text, name) == 1.0:
                    return True
        return False

    def _property_values(self, entity: Entity, pid: str) -> list[tuple[str | None, list[str]]]:
        """(IRI or None, names) of each value of a property, for constraints."""
        if entity.kind == "offering":
            card = self.index.card(entity.key) or {}
            if pid == "supplier" and card.get("supplier"):
                key = card["supplier"]
                return [
                    (
                        str(self.uris.thing("supplier", key)),
                        [key, *self.index.labels("supplier", key).values()],
                    )
                ]
            if pid == "licence" and card.get("licence"):
                keys = [
                    card["licence"],
                    *self.index.licences.get(card["licence"], {}).get("members", []),
                ]
                return [
                    (
                        str(self.uris.thing("licence", k)),
                        [k, k.replace("-", " "), *self.index.labels("licence", k).values()],
                    )
                    for k in keys
                ]
            if pid == "components":
                return [
                    (
                        str(self.uris.thing("component", k)),
                        [k, *self.index.labels("component", k).values()],
                    )
                    for k in card.get("components", [])
                ]
        return [(None, [str(v.get("str", v.get("float", "")))]) for v in self.values(entity, pid)]

    # -------------------------------------------------------------- suggest

    def suggest_entities(
        self, prefix: str, *, type_id: str | None = None, limit: int = 10, lang: str | None = None
    ) -> list[dict[str, Any]]:
        local = self.type_local(type_id)
        if local == "?":
            return []
        found = []
        for suggestion in self.index.suggest(
            prefix, lang=lang or self.lang, limit=max(limit * 3, 10)
        ):
            types = self.types_of(suggestion.entity)
            if local is None and suggestion.entity.kind not in {TYPES[t][0] for t in DEFAULT_TYPES}:
                continue
            if local is not None and local not in types:
                continue
            item: dict[str, Any] = {"id": suggestion.entity.iri, "name": suggestion.label.text}
            description = self._description(suggestion.entity, lang)
            if description:
                item["description"] = description
            item["notable"] = [{"id": self.type_id(t), "name": TYPES[t][2]["en"]} for t in types]
            found.append(item)
            if len(found) >= limit:
                break
        return found

    def suggest_types(self, prefix: str, limit: int = 10) -> list[dict[str, str]]:
        wanted = fold(prefix)
        found = []
        for local, (_kind, _sub, names) in TYPES.items():
            if not wanted or any(
                fold(n).startswith(wanted) or any(w.startswith(wanted) for w in fold(n).split())
                for n in names.values()
            ):
                found.append({"id": self.type_id(local), "name": names["en"]})
        return found[:limit]

    def suggest_properties(
        self, prefix: str, limit: int = 10, type_id: str | None = None
    ) -> list[dict[str, str]]:
        wanted = fold(prefix)
        local = self.type_local(type_id)
        kind = TYPES[local][0] if local and local != "?" else None
        found = []
        for pid, (names, kinds) in PROPERTIES.items():
            if kind is not None and kind not in kinds:
                continue
            if (
                not wanted
                or pid.startswith(wanted)
                or any(fold(n).startswith(wanted) for n in names.values())
            ):
                found.append({"id": pid, "name": names["en"]})
        return found[:limit]

    def propose(self, type_id: str | None, limit: int = 10) -> list[dict[str, str]]:
        return self.suggest_properties("", limit=limit, type_id=type_id)

    # -------------------------------------------------------------- extension

    def values(self, entity: Entity, pid: str) -> list[dict[str, Any]]:
        """The values of one property of an entity, as the extension protocol writes
        them: ``{"id", "name"}`` for our things, ``{"str"}``, ``{"float"}``, ``{"bool"}``."""

        def thing(kind: str, key: str) -> dict[str, Any]:
            entity_ = self.index.entity(kind, key)
            name = self.name(entity_)[0] if entity_ else key
            return {"id": str(self.uris.thing(kind, key)), "name": name}

        if entity.kind == "offering":
            card = self.index.card(entity.key) or {}
            detail = self.index.detail(entity.key) or {}
            if pid == "supplier":
                return [thing("supplier", card["supplier"])] if card.get("supplier") else []
            if pid == "licence":
                return [thing("licence", card["licence"])] if card.get("licence") else []
            if pid == "components":
                return [thing("component", k) for k in card.get("components", [])]
            if pid in ("homepage", "repository"):
                return [{"str": detail[pid]}] if detail.get(pid) else []
            if pid == "price":
                return [
                    {"float": float(Decimal(p["amount"]))}
                    for p in card.get("prices", [])
                    if p.get("amount") is not None
                ]
            if pid == "price_text":
                return [{"str": _price_text(p, self.lang)} for p in card.get("prices", [])]
            if pid == "open_source":
                return [{"bool": bool(card.get("open"))}]
        if entity.kind == "supplier" and pid == "homepage":
            homepage = self.homepage_of(entity.iri)
            return [{"str": homepage}] if homepage else []
        if entity.kind == "licence" and pid == "open_source":
            info = self.index.licences.get(entity.key)
            return [{"bool": bool(info["open"])}] if info else []
        if entity.kind == "component" and pid == "layer":
            concept = self.index.concepts.get(("component", entity.key), {})
            broader = concept.get("broader")
            return [thing("layer", broader)] if broader else []
        return []


def _price_text(price: dict[str, Any], lang: str) -> str:
    parts = []
    if price.get("amount") is not None:
        parts.append(f"{price['amount']} {price.get('currency') or ''}".strip())
    unit = price.get("unit") or {}
    if unit:
        parts.append(unit.get(lang) or next(iter(unit.values())))
    if price.get("list"):
        parts.append(str(price["list"]))
    return " / ".join(parts)
