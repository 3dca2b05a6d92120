"""A valid publiccode.yml document → an offering and its supplier in our source format.

Pure: plain data in, plain data out (the dicts that ``data/suppliers/<id>.yaml`` holds),
plus what could not be mapped. ``docs/publiccode.md`` has the mapping as a table; keep the
two together. Writing the files and checking the result are ``importer.py``'s work.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from publisher.publiccode import standard
from publisher.publiccode.yaml12 import Node

LANGUAGES = ("fi", "sv", "en")  # the languages our source format holds
STATUS = {
    "concept": "under-development",
    "development": "under-development",
    "beta": "under-development",
    "stable": "completed",
    "obsolete": "deprecated",
}
# The first paragraph of an exported longDescription is the offering's own description; a
# paragraph that starts with one of these was added by the export and is dropped on import.
CATALOGUE_NOTE = {
    "fi": "Avoin kunta -luettelossa:",
    "sv": "I Avoin kunta-katalogen:",
    "en": "In the Avoin kunta catalogue:",
}
_HOSTS = ("github.com", "gitlab.com", "codeberg.org", "bitbucket.org", "gitlab.opencode.de")


@cache
def crosswalk() -> dict[str, dict[str, str]]:
    path = Path(__file__).with_name("crosswalk.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Unmapped:
    """A value of the file with no home in our source format (reported, never dropped
    silently; the importer keeps it as a comment in the written file)."""

    key: str
    value: Any
    reason: str


@dataclass
class Converted:
    offering: dict[str, Any]
    supplier: dict[str, Any]
    supplier_basis: str  # which key of the file the supplier came from
    unmapped: list[Unmapped] = field(default_factory=list)
    # description texts in languages we do not hold, kept for the translator
    other_languages: dict[str, str] = field(default_factory=dict)


def slug(text: str) -> str:
    """An id from a name: ``Città di Roma`` → ``citta-di-roma``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:60].strip("-") or "unnamed"


def repository_owner(url: str) -> tuple[str, str] | None:
    """(owner, owner's page) of a repository on a well-known forge, or None."""
    parts = urlsplit(url.strip())
    path = [p for p in parts.path.split("/") if p]
    if parts.hostname in _HOSTS and len(path) >= 2:
        return path[0], f"{parts.scheme}://{parts.hostname}/{path[0]}"
    return None


def repository_page(url: str) -> str:
    """The browsable page of a repository (``….git`` stripped)."""
    url = url.strip()
    return url[: -len(".git")] if url.endswith(".git") else url


def convert(document: Node, source_url: str) -> Converted:
    data: dict[str, Any] = document.data()
    unmapped: list[Unmapped] = []
    other: dict[str, str] = {}
    offering: dict[str, Any] = {"id": slug(str(data["name"])), "type": "product"}
    offering["title"] = _titles(data)
    offering["description"], keywords, api_docs = _descriptions(data, unmapped, other)
    if keywords:
        offering["keywords"] = keywords
    components = _components(data, unmapped)
    if components:
        offering["components"] = components
    domains = _domains(data, unmapped)
    if domains:
        offering["domains"] = domains
    licence, _problem, _old = standard.spdx_expression(str(data["legal"]["license"]))
    offering["licence"] = licence
    offering["repository"] = repository_page(str(data["url"]))
    if data.get("landingURL"):
        offering["homepage"] = str(data["landingURL"]).strip()
    if api_docs:
        offering["api_documentation"] = api_docs
    standards = _standards(data, unmapped)
    if standards:
        offering["standards"] = standards
    _release(data, offering, unmapped)
    offering["status"] = STATUS[str(data["developmentStatus"])]
    offering["sources"] = [source_url]
    offering["provenance"] = _provenance(source_url, data)
    supplier, basis = _supplier(data, source_url, unmapped)
    _report_rest(data, unmapped)
    return Converted(offering, supplier, basis, unmapped, other)


def _titles(data: dict[str, Any]) -> dict[str, str]:
    # The name is a proper name, the same in every language unless localised; Swedish only
    # where the file describes the software in Swedish.
    name = " ".join(str(data["name"]).split())
    titles = {}
    for lang in ("fi", "en", "sv"):
        body = _description_in(data, lang)
        if lang == "sv" and not body:
            continue
        localised = body.get("localisedName")
        titles[lang] = " ".join(str(localised).split()) if localised else name
    return titles


def _description_in(data: dict[str, Any], lang: str) -> dict[str, Any]:
    for tag, body in (data.get("description") or {}).items():
        if _primary(tag) == lang and isinstance(body, dict):
            return body
    return {}


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def _descriptions(
    data: dict[str, Any], unmapped: list[Unmapped], other: dict[str, str]
) -> tuple[dict[str, str], dict[str, list[str]], str | None]:
    texts: dict[str, str] = {}
    keywords: dict[str, list[str]] = {}
    api_docs: dict[str, str] = {}
    for tag, body in (data.get("description") or {}).items():
        lang = _primary(tag)
        text = _one_text(body, lang)
        where = f"description.{tag}"
        if lang not in LANGUAGES or lang in texts:
            other[tag] = text
            unmapped.append(
                Unmapped(where, "…", f"a description in {tag}: our catalogue holds fi, sv and en")
            )
            continue
        texts[lang] = text
        features = [" ".join(str(f).split()) for f in body.get("features") or [] if str(f).strip()]
        if features:
            keywords[lang] = features
        if body.get("apiDocumentation"):
            api_docs[lang] = str(body["apiDocumentation"]).strip()
        for key in ("screenshots", "videos", "awards", "genericName"):
            if body.get(key):
                unmapped.append(Unmapped(f"{where}.{key}", body[key], "no field for it yet"))
    chosen = api_docs.get("en") or api_docs.get("fi") or api_docs.get("sv")
    for tag, body in (data.get("description") or {}).items():
        docs = body.get("apiDocumentation") if isinstance(body, dict) else None
        if docs and str(docs).strip() != chosen and _primary(tag) in LANGUAGES:
            unmapped.append(
                Unmapped(
                    f"description.{tag}.apiDocumentation",
                    docs,
                    "we keep one API documentation link",
                )
            )
    return texts, keywords, chosen


def _one_text(body: dict[str, Any], lang: str) -> str:
    """shortDescription and longDescription as our one description text."""
    short = " ".join(str(body.get("shortDescription") or "").split())
    paragraphs = re.split(r"\n\s*\n", str(body.get("longDescription") or "").strip())
    note = CATALOGUE_NOTE.get(lang)
    if note and len(paragraphs) > 1 and paragraphs[-1].strip().startswith(note):
        paragraphs = paragraphs[:-1]
    long = " ".join(plain_text(" ".join(paragraphs)).split())
    short = plain_text(short)
    if not long:
        return short
    if not short or long.startswith(short.rstrip(".…")) or short in long:
        return long
    return f"{short} {long}" if short.endswith((".", "!", "?")) else f"{short}. {long}"


def plain_text(markdown: str) -> str:
    """The basic Markdown the standard allows in descriptions, as plain text: headings,
    emphasis and list marks dropped, links as their text."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s*", "", text)  # headings
    text = re.sub(r"(?m)^\s*[-*+]\s+", "", text)  # bullets
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)  # bold
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)  # italic
    text = text.replace("\u00b6", "").replace("`", "")
    return text


def _components(data: dict[str, Any], unmapped: list[Unmapped]) -> list[str]:
    table = crosswalk()["categories"]
    components: list[str] = []
    for category in data.get("categories") or []:
        component = table.get(str(category))
        if component is None:
            unmapped.append(
                Unmapped("categories", category, "no architecture component has the same meaning")
            )
        elif component not in components:
            components.append(component)
    return components


def _domains(data: dict[str, Any], unmapped: list[Unmapped]) -> list[str]:
    table = crosswalk()["scopes"]
    domains: list[str] = []
    for scope in (data.get("intendedAudience") or {}).get("scope") or []:
        domain = table.get(str(scope))
        if domain is None:
            unmapped.append(
                Unmapped("intendedAudience.scope", scope, "no service domain has the same meaning")
            )
        elif domain not in domains:
            domains.append(domain)
    return domains


def _standards(data: dict[str, Any], unmapped: list[Unmapped]) -> list[str]:
    result: list[str] = []
    for item in data.get("supports") or []:
        ident = str(item.get("id", ""))
        url = standard.ALIASES.get(ident[len("alias:") :]) if ident.startswith("alias:") else ident
        if url and url.startswith(("http://", "https://")):
            result.append(url)
        else:
            unmapped.append(
                Unmapped("supports", ident, "not a web address (our standards are links)")
            )
    return result


def _release(data: dict[str, Any], offering: dict[str, Any], unmapped: list[Unmapped]) -> None:
    """softwareVersion, releaseDate, logo and the user documentation."""
    if data.get("softwareVersion"):
        offering["version"] = " ".join(str(data["softwareVersion"]).split())
    if data.get("releaseDate"):
        offering["released"] = str(data["releaseDate"])
    logo = str(data.get("logo") or "").strip()
    if logo.startswith(("http://", "https://")):
        offering["logo"] = logo
    elif logo:
        owner = repository_owner(str(data["url"]))
        if owner is not None and urlsplit(str(data["url"])).hostname == "github.com":
            offering["logo"] = f"{repository_page(str(data['url']))}/raw/HEAD/{logo.lstrip('./')}"
        else:
            unmapped.append(
                Unmapped("logo", logo, "a path in the repository; give its web address")
            )
    documentation = None
    for lang in ("en", "fi", "sv"):
        body = _description_in(data, lang)
        if body.get("documentation"):
            documentation = str(body["documentation"]).strip()
            break
    if documentation:
        offering["documentation"] = documentation


def _supplier(
    data: dict[str, Any], source_url: str, unmapped: list[Unmapped]
) -> tuple[dict[str, Any], str]:
    maintenance = data.get("maintenance") or {}
    organisation = data.get("organisation") if isinstance(data.get("organisation"), dict) else None
    legal = data.get("legal") or {}
    contractors = maintenance.get("contractors") or []
    supplier: dict[str, Any] = {}
    if maintenance.get("type") == "contract" and contractors:
        first = contractors[0]
        supplier = {"name": str(first["name"])}
        if first.get("website"):
            supplier["homepage"] = str(first["website"]).strip()
        if first.get("email"):
            supplier["contact"] = {"email": str(first["email"]).strip()}
        basis = "maintenance.contractors[0]"
        for index, extra in enumerate(contractors[1:], start=1):
            unmapped.append(
                Unmapped(
                    f"maintenance.contractors[{index}]",
                    extra.get("name"),
                    "one supplier per offering",
                )
            )
    elif organisation and organisation.get("name"):
        supplier = {"name": str(organisation["name"])}
        basis = "organisation"
    elif legal.get("repoOwner"):
        supplier = {"name": str(legal["repoOwner"])}
        basis = "legal.repoOwner"
    else:
        owner = repository_owner(str(data["url"]))
        if owner is not None:
            supplier = {"name": owner[0], "homepage": owner[1]}
            basis = "url (the repository's owner)"
        else:
            supplier = {"name": urlsplit(str(data["url"])).hostname or "unknown"}
            basis = "url (the repository's host)"
    if organisation and organisation.get("uri"):
        uri = str(organisation["uri"])
        if uri.startswith(("http://", "https://")):
            supplier["same_as"] = [uri]
        else:
            unmapped.append(Unmapped("organisation.uri", uri, "same_as holds web addresses only"))
    name = " ".join(supplier.pop("name").split())
    result = {"id": slug(name), "name": {"fi": name, "en": name}, **supplier}
    result["sources"] = [source_url]
    return result, basis


def _provenance(source_url: str, data: dict[str, Any]) -> dict[str, str]:
    version = data.get("publiccodeYmlVersion")
    return {
        "fi": f"Tuotu publiccode.yml-tiedostosta (versio {version}): {source_url}. Tiedot ovat "
        "toimittajan omia; puuttuvat Avoin kunta -tiedot on lisättävä käsin.",
        "en": f"Imported from the publiccode.yml file (version {version}): {source_url}. The "
        "facts are the supplier's own; the Avoin kunta details it lacks are added by hand.",
    }


# Keys of the standard with no field in our source format yet, and why.
_NO_FIELD = {
    "applicationSuite": "no field for the suite a product belongs to",
    "isBasedOn": "no field for the software it is a fork of",
    "monochromeLogo": "deprecated; no field for it",
    "platforms": "no field for the platforms",
    "usedBy": "no field for adopters yet",
    "fundedBy": "no field for funders",
    "roadmap": "no field for the roadmap",
    "inputTypes": "deprecated; no field for it",
    "outputTypes": "deprecated; no field for it",
    "dependsOn": "no field for dependencies yet",
    "IT": "country section (deprecated): no field for it",
    "it": "country section (deprecated): no field for it",
}


def _report_rest(data: dict[str, Any], unmapped: list[Unmapped]) -> None:
    for key, reason in _NO_FIELD.items():
        if data.get(key) not in (None, "", [], {}):
            unmapped.append(Unmapped(key, data[key], reason))
    audience = data.get("intendedAudience") or {}
    for key in ("countries", "unsupportedCountries"):
        if audience.get(key):
            unmapped.append(
                Unmapped(f"intendedAudience.{key}", audience[key], "no field for it yet")
            )
    localisation = data.get("localisation") or {}
    if localisation.get("availableLanguages"):
        unmapped.append(
            Unmapped(
                "localisation.availableLanguages",
                localisation["availableLanguages"],
                "no field for the software's languages yet",
            )
        )
    legal = data.get("legal") or {}
    if legal.get("mainCopyrightOwner"):
        unmapped.append(
            Unmapped("legal.mainCopyrightOwner", legal["mainCopyrightOwner"], "no field for it")
        )
    maintenance = data.get("maintenance") or {}
    unmapped.append(Unmapped("maintenance.type", maintenance.get("type"), "no field for it yet"))
    if maintenance.get("contacts"):
        names = [c.get("name") for c in maintenance["contacts"] if isinstance(c, dict)]
        unmapped.append(
            Unmapped("maintenance.contacts", names, "we publish organisations, not persons")
        )
    if data.get("softwareType"):
        unmapped.append(
            Unmapped(
                "softwareType", data["softwareType"], "every publiccode.yml file is a product here"
            )
        )
