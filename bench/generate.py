"""A deterministic generator of valid Avoin kunta source data, at any size.

    python bench/generate.py --offerings 30000 --out var/bench/data-30000 [--seed 0]

writes ``suppliers/*.yaml`` (about five offerings per supplier, from one to nine),
``licences.yaml`` (proprietary licences of the suppliers) and ``retired.yaml``, in the
format of ``data/README.md``. The same size and seed give the same bytes, so that figures
and caches can be compared between runs and machines.

The data is meant to look like a real national catalogue, so that the build meets the
variety it meets in real life: products and services; SPDX licences, expressions
(``MIT OR EUPL-1.1``, ``GPL-3.0-or-later AND acme-proprietary``) and proprietary
licences; open-source, open-standards, open-interface, open-architecture and open-data
claims, each with its evidence (and so a repository, standards or interface
documentation where the rules ask for them); prices with units and notes, price lists,
free software priced at zero; parts (an open-source core with a paid service or add-on);
Finnish and English texts of varying length, Swedish ones now and then; keywords,
domains, phases, procurement routes, statuses, dates, business ids with valid check
digits, contact points and ``same_as`` links. Every record is valid: ``avoinkunta
validate`` accepts the result. ``edit_one_file`` makes the one-file edit that the
incremental-build benchmark republishes.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

# libyaml's emitter when PyYAML has it (it is in PyYAML's wheels): the same output as the
# Python one, about ten times faster
_Dumper: type[yaml.CSafeDumper | yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

PROJECT = Path(__file__).resolve().parent.parent

# Ids of the concept schemes (ontology/schemes/*.ttl). Read from the vocabulary at run time
# (vocabulary_ids), so that generated data stays valid when the schemes change.
OPEN_SPDX = (
    "MIT",
    "Apache-2.0",
    "EUPL-1.2",
    "EUPL-1.1",
    "GPL-3.0-or-later",
    "GPL-2.0-only",
    "AGPL-3.0-or-later",
    "LGPL-2.1-or-later",
    "MPL-2.0",
    "BSD-3-Clause",
    "BSD-2-Clause",
    "ISC",
    "PostgreSQL",
)
OPEN_EXPRESSIONS = ("MIT OR EUPL-1.1", "Apache-2.0 OR MIT", "GPL-2.0-only OR MPL-2.0")
SUPPLIER_KINDS = (
    ("company", 10),
    ("public-company", 2),
    ("non-profit", 2),
    ("community", 2),
    ("local-authority", 2),
    ("national-authority", 1),
    ("academia", 1),
)
STATUSES = (("completed", 14), ("under-development", 3), ("deprecated", 1), ("withdrawn", 1))

FI_WORDS = (
    "asiakas palvelu tieto järjestelmä kunta kaupunki asukas hakemus lupa rekisteri kartta "
    "paikkatieto varaus ajanvaraus kirjasto koulu oppilas opettaja terveys hoito potilas "
    "sosiaalityö talous kirjanpito lasku hankinta henkilöstö palkka arkisto asiakirja päätös "
    "kokous valtuusto hallinto rajapinta integraatio tunnistautuminen käyttäjä raportti "
    "tilasto analyysi avoin data julkaisu verkkosivu sisällönhallinta viestintä palaute "
    "osallistuminen kysely tapahtuma liikunta kulttuuri nuoriso liikenne joukkoliikenne "
    "pysäköinti katu kiinteistö rakennus rakennuslupa ympäristö vesihuolto jäte energia "
    "ylläpito tuki koulutus käyttöönotto pilvipalvelu palvelin tietoturva varmuuskopio"
).split()
EN_WORDS = (
    "customer service data system municipality city resident application permit register "
    "map geodata booking appointment library school pupil teacher health care patient "
    "social work finance accounting invoice procurement staff payroll archive document "
    "decision meeting council administration interface integration authentication user "
    "report statistics analysis open data publishing website content management "
    "communication feedback participation survey event sports culture youth traffic "
    "public transport parking street property building building permit environment water "
    "waste energy maintenance support training deployment cloud service server security backup"
).split()
SV_WORDS = (
    "kund tjänst data system kommun stad invånare ansökan tillstånd register karta bokning "
    "bibliotek skola hälsa vård ekonomi upphandling personal arkiv beslut förvaltning "
    "gränssnitt integration användare rapport statistik öppen publicering webbplats"
).split()
NAME_PARTS = (
    "Aalto Kivi Koski Lahti Mänty Niemi Pelto Saari Salo Vaara Virta Järvi Laakso Harju "
    "Kallio Rinne Metsä Ranta Kuusi Tammi Pihlaja Koivu Lehto Mäki Suo Vuori Haapa Leppä"
).split()
NAME_SUFFIXES = ("Data", "Soft", "Tieto", "Systems", "Solutions", "Digital", "Labs", "Works")
COMPANY_FORMS = ("Oy", "Oy", "Ab", "ry", "Oyj", "Ltd")
UNITS = (
    ({"fi": "kuukaudessa", "en": "per month"}, (50, 5000)),
    ({"fi": "vuodessa", "en": "per year"}, (500, 60000)),
    ({"fi": "käyttäjää kohden kuukaudessa", "en": "per user per month"}, (2, 40)),
    ({"fi": "asukasta kohden vuodessa", "en": "per resident per year"}, (0, 3)),
    ({"fi": "tunnilta", "en": "per hour"}, (60, 180)),
    ({"fi": "kertamaksu", "en": "one-off fee"}, (1000, 90000)),
)
STANDARDS = (
    "https://www.w3.org/TR/vocab-dcat-3/",
    "https://www.ogc.org/standard/wms/",
    "https://www.ogc.org/standard/wfs/",
    "https://spec.openapis.org/oas/v3.1.0",
    "https://www.w3.org/TR/WCAG21/",
    "https://openid.net/specs/openid-connect-core-1_0.html",
    "https://www.hl7.org/fhir/",
    "https://www.w3.org/TR/rdf11-concepts/",
    "https://datatracker.ietf.org/doc/html/rfc6749",
    "https://docs.oasis-open.org/security/saml/v2.0/",
)


@dataclass(frozen=True)
class VocabularyIds:
    components: tuple[str, ...]
    domains: tuple[str, ...]
    phases: tuple[str, ...]
    routes: tuple[str, ...]


def vocabulary_ids(ontology_dir: Path = PROJECT / "ontology") -> VocabularyIds:
    """The concept ids source files may use, from the project's vocabulary."""
    sys.path.insert(0, str(PROJECT))
    from publisher.mapping.vocabulary import known_ids, load_vocabulary
    from publisher.uris import UriScheme

    uris = UriScheme("http://localhost:8080/")
    known = known_ids(load_vocabulary(ontology_dir, uris), uris)
    return VocabularyIds(
        components=tuple(sorted(known.components)),
        domains=tuple(sorted(known.domains)),
        phases=tuple(sorted(known.phases)),
        routes=tuple(sorted(known.routes)),
    )


class _Generator:
    def __init__(self, seed: int, ids: VocabularyIds) -> None:
        self.rng = random.Random(seed)
        self.ids = ids
        self.used_names: set[str] = set()
        self.proprietary: list[dict[str, Any]] = []
        self.host = "example.fi"  # the current supplier's web host
        self.closed_licence = "proprietary"  # the current supplier's closed licence

    # ------------------------------------------------------------------ small pieces

    def weighted(self, choices: tuple[tuple[str, int], ...]) -> str:
        values = [c for c, _ in choices]
        weights = [w for _, w in choices]
        return self.rng.choices(values, weights)[0]

    def sentence(self, words: tuple[str, ...] | list[str], low: int, high: int) -> str:
        count = self.rng.randint(low, high)
        text = " ".join(self.rng.choice(words) for _ in range(count))
        return text[0].upper() + text[1:] + "."

    def text(self, low: int = 1, high: int = 3, sv: float = 0.15) -> dict[str, str]:
        sentences = self.rng.randint(low, high)
        texts = {
            "fi": " ".join(self.sentence(FI_WORDS, 5, 16) for _ in range(sentences)),
            "en": " ".join(self.sentence(EN_WORDS, 5, 16) for _ in range(sentences)),
        }
        if self.rng.random() < sv:
            texts["sv"] = " ".join(self.sentence(SV_WORDS, 5, 14) for _ in range(sentences))
        return texts

    def title(self, sv: float = 0.15) -> dict[str, str]:
        texts = {
            "fi": self.sentence(FI_WORDS, 2, 5)[:-1],
            "en": self.sentence(EN_WORDS, 2, 5)[:-1],
        }
        if self.rng.random() < sv:
            texts["sv"] = self.sentence(SV_WORDS, 2, 4)[:-1]
        return texts

    def sample(self, values: tuple[str, ...], low: int, high: int) -> list[str]:
        return sorted(self.rng.sample(values, self.rng.randint(low, min(high, len(values)))))

    def business_id(self) -> str:
        while True:
            digits = [self.rng.randint(0, 9) for _ in range(7)]
            remainder = sum(d * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True))
            remainder %= 11
            if remainder != 1:
                check = 0 if remainder == 0 else 11 - remainder
                return "".join(map(str, digits)) + f"-{check}"

    def amount(self, low: int, high: int) -> float | int:
        if self.rng.random() < 0.5:
            return self.rng.randint(low, high)
        return round(self.rng.uniform(low, high), 2)

    def pricing(self, free: bool = False) -> dict[str, Any]:
        if free:
            return {
                "amount": 0,
                "currency": "EUR",
                "unit": {"fi": "lisenssimaksu", "en": "licence fee"},
                "note": {
                    "fi": "Ohjelmisto on maksuton; asennus, ylläpito ja tuki hankitaan erikseen.",
                    "en": "The software is free of charge; installation, hosting and support "
                    "are bought separately.",
                },
            }
        roll = self.rng.random()
        unit, (low, high) = self.rng.choice(UNITS)
        if roll < 0.2:  # a price list only
            return {"price_list": self.url("hinnasto")}
        pricing: dict[str, Any] = {"amount": self.amount(low, high), "currency": "EUR"}
        pricing["unit"] = dict(unit)
        if roll > 0.7:
            pricing["price_list"] = self.url("hinnasto")
        if roll > 0.85:
            pricing["note"] = self.text(1, 1, sv=0)
        return pricing

    def url(self, *path: str) -> str:
        return f"https://{self.host}/" + "/".join(path)

    # ------------------------------------------------------------------ records

    def supplier(self, index: int) -> tuple[str, dict[str, Any]]:
        while True:
            name = (
                f"{self.rng.choice(NAME_PARTS)}{self.rng.choice(NAME_PARTS).lower()} "
                f"{self.rng.choice(NAME_SUFFIXES)}"
            )
            if name not in self.used_names:
                break
            name = f"{name} {index}"
            if name not in self.used_names:
                break
        self.used_names.add(name)
        kind = self.weighted(SUPPLIER_KINDS)
        form = "ry" if kind in ("non-profit", "community") else self.rng.choice(COMPANY_FORMS)
        full = f"{name} {form}"
        slug = "-".join(full.lower().replace("ä", "a").replace("ö", "o").split())
        supplier_id = f"{slug}-{index}"
        self.host = f"{slug}.example.fi"
        record: dict[str, Any] = {
            "id": supplier_id,
            "name": {"fi": full, "en": full},
            "kind": kind,
        }
        if self.rng.random() < 0.2:
            record["name"]["sv"] = full
        if self.rng.random() < 0.08:
            record["former_names"] = [{"fi": f"{self.rng.choice(NAME_PARTS)} {form}"}]
        if kind in ("company", "public-company") or self.rng.random() < 0.5:
            record["business_id"] = self.business_id()
        record["homepage"] = self.url()
        if self.rng.random() < 0.7:
            contact: dict[str, str] = {"email": f"info@{self.host}"}
            if self.rng.random() < 0.5:
                contact["url"] = self.url("yhteystiedot")
            record["contact"] = contact
        if self.rng.random() < 0.8:
            record["description"] = self.text(1, 3)
        if self.rng.random() < 0.1:
            record["role"] = self.text(1, 1, sv=0)
        if self.rng.random() < 0.3:
            record["same_as"] = [f"https://www.wikidata.org/entity/Q{self.rng.randint(1, 10**8)}"]
        record["sources"] = [self.url(), self.url("yritys")][: self.rng.randint(1, 2)]
        if self.rng.random() < 0.25:
            licence_id = f"{supplier_id}-licence"
            self.proprietary.append(
                {
                    "id": licence_id,
                    "name": {
                        "fi": f"{full}: käyttöoikeussopimus",
                        "en": f"{full} licence agreement",
                    },
                    "open_source": False,
                    "type": "RoyaltiesRequired",
                    "url": self.url("lisenssi"),
                }
            )
            self.closed_licence = licence_id
        else:
            self.closed_licence = self.rng.choice(
                ("proprietary", "proprietary", "service-agreement")
            )
        return supplier_id, record

    def offering(self, offering_id: str) -> dict[str, Any]:
        rng = self.rng
        kind = rng.choice(("product", "product", "service"))
        # What kind of offering: plain open source, open core with a paid part, an open
        # service, a closed product (which may still claim open interfaces or data).
        shape = rng.choices(("open", "open-core", "service", "closed"), (5, 2, 2, 2))[0]
        record: dict[str, Any] = {
            "id": offering_id,
            "type": "service" if shape == "service" else kind,
            "title": self.title(),
            "description": self.text(1, 4),
        }
        if rng.random() < 0.7:
            record["keywords"] = {
                "fi": self.sample(tuple(FI_WORDS), 1, 5),
                "en": self.sample(tuple(EN_WORDS), 1, 5),
            }
        record["components"] = self.sample(self.ids.components, 1, 3)
        if rng.random() < 0.7:
            record["domains"] = self.sample(self.ids.domains, 1, 2)
        if rng.random() < 0.6:
            record["phases"] = self.sample(self.ids.phases, 1, 3)
        open_licence = rng.choice(OPEN_SPDX + OPEN_EXPRESSIONS)
        closed = self.closed_licence
        aspects: dict[str, Any] = {}
        parts: list[dict[str, Any]] = []
        if shape == "open":
            record["licence"] = open_licence
        elif shape == "open-core":
            record["licence"] = (
                f"{rng.choice(OPEN_SPDX)} AND {closed}" if rng.random() < 0.5 else open_licence
            )
        elif shape == "service":
            record["licence"] = open_licence if rng.random() < 0.6 else closed
        else:
            record["licence"] = closed
        repo = f"https://git.example.org/{offering_id}"
        if record["licence"] != closed:  # open, or open AND closed: it may claim open source
            record["repository"] = repo
            aspects["open-source"] = {"evidence": f"{repo}/blob/main/LICENSE"}
        if rng.random() < 0.6:
            record["homepage"] = self.url(offering_id)
        if rng.random() < 0.35:
            record["standards"] = self.sample(STANDARDS, 1, 3)
            aspects["open-standards"] = {"evidence": self.url(offering_id, "standardit")}
        if rng.random() < 0.4:
            record["api_documentation"] = self.url(offering_id, "api")
            aspects["open-interface"] = {"evidence": self.url(offering_id, "api")}
            if rng.random() < 0.3:
                aspects["open-interface"]["note"] = self.text(1, 1, sv=0)
        if rng.random() < 0.1:
            aspects["open-architecture"] = {"evidence": self.url(offering_id, "arkkitehtuuri")}
        if rng.random() < 0.15:
            aspects["open-data"] = {"evidence": self.url(offering_id, "avoin-data")}
        if aspects:
            record["aspects"] = aspects
        if shape in ("open", "service") and record["licence"] != closed:
            record["pricing"] = self.pricing(free=shape == "open" and rng.random() < 0.7)
        else:
            record["pricing"] = self.pricing()
        if rng.random() < 0.6:
            record["procurement"] = rng.choice(self.ids.routes)
            if rng.random() < 0.3:
                record["procurement_note"] = self.text(1, 1, sv=0)
        if shape == "open-core" or (shape == "service" and record["licence"] == closed):
            core = record["licence"].split(" AND ")[0] if " AND " in record["licence"] else None
            parts.append(
                {
                    "title": {"fi": "Avoin ydin (ohjelmisto)", "en": "Open core (software)"},
                    "description": self.text(1, 1, sv=0),
                    "licence": core or rng.choice(OPEN_SPDX),
                    "pricing": self.pricing(free=True),
                }
            )
            for _ in range(rng.randint(1, 2)):
                parts.append(
                    {
                        "title": self.title(sv=0),
                        "licence": closed,
                        "pricing": self.pricing(),
                    }
                )
                if rng.random() < 0.5:
                    parts[-1]["description"] = self.text(1, 1, sv=0)
        if parts:
            record["parts"] = parts
        record["status"] = self.weighted(STATUSES)
        if rng.random() < 0.5:
            record["issued"] = date(2010, 1, 1) + timedelta(days=rng.randint(0, 5800))
        record["sources"] = [
            self.url(offering_id),
            *([f"{repo}/blob/main/README.md"] if "repository" in record else []),
        ]
        record["provenance"] = {
            "fi": "Generoitu testiaineisto (bench/generate.py); ei todellinen tarjooma.",
            "en": "Generated test data (bench/generate.py); not a real offering.",
        }
        if rng.random() < 0.1:
            record["same_as"] = [f"https://www.wikidata.org/entity/Q{rng.randint(1, 10**8)}"]
        return record


def offering_counts(offerings: int, rng: random.Random) -> list[int]:
    """How many offerings each supplier has: one to nine, five on average."""
    counts: list[int] = []
    remaining = offerings
    while remaining > 0:
        count = min(remaining, rng.choice((1, 2, 3, 4, 5, 5, 6, 7, 8, 9)))
        counts.append(count)
        remaining -= count
    return counts


def generate(
    out_dir: Path, offerings: int, seed: int = 0, ids: VocabularyIds | None = None
) -> dict[str, int]:
    """Write a valid source folder of ``offerings`` offerings into ``out_dir``."""
    out_dir = Path(out_dir)
    suppliers_dir = out_dir / "suppliers"
    suppliers_dir.mkdir(parents=True, exist_ok=True)
    for old in suppliers_dir.glob("*.yaml"):
        old.unlink()
    generator = _Generator(seed, ids or vocabulary_ids())
    counts = offering_counts(offerings, generator.rng)
    number = 0
    for index, count in enumerate(counts, start=1):
        supplier_id, supplier = generator.supplier(index)
        records = []
        for _ in range(count):
            number += 1
            records.append(generator.offering(f"offering-{number}"))
        _write_yaml(
            suppliers_dir / f"{supplier_id}.yaml",
            {"supplier": supplier, "offerings": records},
            "Avoin kunta catalogue source (generated by bench/generate.py).",
        )
    licences = [
        {
            "id": "proprietary",
            "name": {"fi": "Suljettu lisenssi", "en": "Proprietary licence"},
            "open_source": False,
            "type": "RoyaltiesRequired",
        },
        {
            "id": "service-agreement",
            "name": {
                "fi": "Palvelusopimus (ei ohjelmistolisenssi)",
                "en": "Service agreement (not a software licence)",
            },
            "open_source": False,
            "type": "RoyaltiesRequired",
        },
        *generator.proprietary,
    ]
    _write_yaml(out_dir / "licences.yaml", {"licences": licences}, "Local licences.")
    _write_yaml(out_dir / "retired.yaml", {"retired": [], "renamed": {}}, "Retired ids.")
    return {"suppliers": len(counts), "offerings": number, "licences": len(licences)}


def edit_one_file(data_dir: Path, round_: int = 1) -> Path:
    """The one-file edit of the incremental benchmark: change a title, a description and a
    price of the first offering of the middle supplier file; return that file. Different
    ``round_`` values give different (valid) edits."""
    files = sorted((Path(data_dir) / "suppliers").glob("*.yaml"))
    path = files[len(files) // 2]
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    offering = document["offerings"][0]
    offering["title"]["en"] = f"{offering['title']['en'].split(' (edit')[0]} (edit {round_})"
    offering["description"]["fi"] += f" Muokattu {round_}."
    pricing = offering["pricing"]
    if "amount" in pricing:
        pricing["amount"] = round_ * 10 + 1
    else:
        pricing["note"] = {"fi": f"Muutos {round_}.", "en": f"Edit {round_}."}
    _write_yaml(path, document, "Avoin kunta catalogue source (generated by bench/generate.py).")
    return path


def remove_one_and_copy_one(data_dir: Path) -> str:
    """The edit that removes and adds entities: delete the first supplier file (a supplier
    and its offerings gone) and add a copy of the second under new ids (a supplier and
    offerings added); return the new supplier's id."""
    suppliers = sorted((Path(data_dir) / "suppliers").glob("*.yaml"))
    suppliers[0].unlink()
    new_id = suppliers[1].stem + "-kopio"
    copy = suppliers[1].read_text(encoding="utf-8")
    copy = copy.replace(f"id: {suppliers[1].stem}", f"id: {new_id}")
    copy = copy.replace("id: offering-", "id: kopio-offering-")
    (Path(data_dir) / "suppliers" / f"{new_id}.yaml").write_text(copy, encoding="utf-8")
    return new_id


def _write_yaml(path: Path, data: Any, comment: str) -> None:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    path.write_text(f"# {comment} Format: data/README.md.\n{body}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offerings", type=int, required=True, help="how many offerings")
    parser.add_argument("--out", type=Path, required=True, help="source folder to write")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    stats = generate(args.out, args.offerings, args.seed)
    print(
        f"{args.out}: {stats['suppliers']} suppliers, {stats['offerings']} offerings, "
        f"{stats['licences']} local licences"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
