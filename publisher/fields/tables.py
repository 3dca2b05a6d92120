"""The field tables of the source format (``data/README.md``).

To add a field: add a ``Field`` to its table (and, if it needs a new property, declare the
property in ``ontology/avoinkunta.ttl``); run ``make docs`` to regenerate the mapping table
in ``ontology/README.md``. The reader, the mapping and the validation's field names follow.
"""

from __future__ import annotations

from publisher.fields.model import Field, Table, labels

FI_EN = ("fi", "en")

# Concept kinds that fields may refer to: kind → (what a message calls it, KnownIds field).
CONCEPTS: dict[str, tuple[str, str]] = {
    "component": ("architecture component", "components"),
    "domain": ("service domain", "domains"),
    "phase": ("delivery phase", "phases"),
    "route": ("procurement route", "routes"),
    "aspect": ("openness aspect", "aspects"),
}

PRICING = Table(
    name="pricing",
    title="Pricing",
    where="`pricing:`, on an offering or a part",
    classes=("ak:PriceSpecification",),
    fields=(
        Field("amount", "amount", "the price: amount + currency, or price_list, or both",
              property="schema:price"),
        Field("currency", "currency", "the currency of the amount",
              property="schema:priceCurrency"),
        Field("unit", "texts", "what the amount is per (per month, licence fee…)",
              property="schema:unitText"),
        Field("price_list", "url", "a page with the prices", property="ak:priceList"),
        Field("note", "texts", "anything else about the price", property="dct:description"),
    ),
)  # fmt: skip

PART = Table(
    name="part",
    title="Part",
    where="`parts:` of an offering",
    classes=("ak:OfferingPart",),
    fields=(
        Field("position", "position", "the part's position in the list",
              property="dct:identifier", in_source=False),
        Field("title", "texts", "what the part is", property="dct:title", required=True,
              languages=FI_EN),
        Field("description", "texts", "more about the part", property="dct:description"),
        Field("licence", "licence", "the part's licence", property="dct:license"),
        Field("pricing", "record", "the part's price", property="ak:pricing", record="pricing"),
    ),
)  # fmt: skip

CLAIM = Table(
    name="claim",
    title="Openness claim",
    where="`aspects:` of an offering, one per aspect claimed",
    classes=("ak:OpennessClaim",),
    fields=(
        Field("aspect", "ref", "the aspect claimed (the key in `aspects:`)",
              property="ak:aspect", concept="aspect", in_source=False),
        Field("evidence", "urls", "pages that show the claim holds (for open source, the "
              "licence file)", property="ak:evidence"),
        Field("note", "texts", "how the offering is open in this respect",
              property="dct:description"),
    ),
)  # fmt: skip

CONTACT = Table(
    name="contact",
    title="Contact",
    where="`contact:` of a supplier",
    classes=("vcard:Organization",),
    fields=(
        Field("email", "email", "an e-mail address", property="vcard:hasEmail"),
        Field("url", "url", "a contact page (default: the homepage)", property="vcard:hasURL"),
    ),
)  # fmt: skip

SUPPLIER = Table(
    name="supplier",
    title="Supplier",
    where="`data/suppliers/<id>.yaml`, `supplier:`",
    subject="supplier",
    classes=("ak:Supplier", "foaf:Organization"),
    fields=(
        Field("id", "id", "the supplier's id; must equal the file name", property="dct:identifier",
              required=True),
        Field("name", "texts", "the organisation's name", property="foaf:name", required=True,
              languages=FI_EN),
        Field("former_names", "texts-list", "names it had before", property="skos:altLabel"),
        Field("kind", "choice", "what kind of organisation it is", property="dct:type",
              required=True, default="company", choices=(
                  ("company", "adms-publishertype:Company"),
                  ("non-profit", "adms-publishertype:NonProfitOrganisation"),
                  ("local-authority", "adms-publishertype:LocalAuthority"),
                  ("national-authority", "adms-publishertype:NationalAuthority"),
                  ("public-company", "adms-publishertype:Company"),
                  ("community", "adms-publishertype:NonProfitOrganisation"),
                  ("academia", "adms-publishertype:Academia-ScientificOrganisation"),
              )),
        Field("business_id", "business-id", "its Finnish Business ID (check digit verified); also "
              "an `adms:identifier` issued by the register", property="ak:businessId",
              hook="business-identifier"),
        Field("homepage", "url", "its homepage", property="foaf:homepage"),
        Field("contact", "record", "how to reach it: `vcard:fn` is its name, `vcard:hasURL` the "
              "contact url or the homepage", property="dcat:contactPoint", record="contact",
              hook="contact-point"),
        Field("description", "texts", "what it does", property="dct:description"),
        Field("role", "texts", "its role in Avoin kunta, as a source states it",
              property="ak:initiativeRole"),
        Field("same_as", "urls", "the same organisation in other registries",
              property="owl:sameAs"),
        Field("sources", "urls", "where the facts above come from", property="dct:source",
              required=True),
    ),
)  # fmt: skip

OFFERING = Table(
    name="offering",
    title="Offering",
    where="`offerings:` in the supplier's file",
    subject="offering",
    classes=("ak:Offering",),
    fields=(
        Field("id", "id", "the offering's id, unique over all files", property="dct:identifier",
              required=True),
        Field("supplier", "supplier", "the supplier whose file lists it", property="dct:publisher",
              in_source=False),
        Field("type", "choice", "a product or a service", property="rdf:type", required=True,
              default="product", choices=(("product", "ak:Product"), ("service", "ak:Service"))),
        Field("title", "texts", "its name", property="dct:title", required=True,
              languages=FI_EN),
        Field("description", "texts", "what it is and does", property="dct:description",
              required=True, languages=FI_EN),
        Field("keywords", "words", "keywords", property="dcat:keyword"),
        Field("components", "refs", "the components of the municipal service architecture it "
              "serves (at least one)", property="dcat:theme", required=True,
              concept="component"),
        Field("domains", "refs", "the municipal service domains it serves",
              property="ak:serviceDomain", concept="domain"),
        Field("phases", "refs", "the delivery phases it covers (strategy | development | "
              "production-support)", property="ak:deliveryPhase", concept="phase"),
        Field("licence", "licence", "its licence (the licence statement)",
              property="dct:license"),
        Field("repository", "url", "its source repository (required when claiming open-source)",
              property="ak:sourceRepository", page="links",
              label=labels(fi="Lähdekoodi", sv="Källkod", en="Source code")),
        Field("homepage", "url", "its landing page", property="dcat:landingPage", page="links",
              label=labels(fi="Kotisivu", sv="Webbplats", en="Homepage")),
        Field("api_documentation", "url", "the documentation of its interfaces (required when "
              "claiming open-interface)", property="ak:apiDocumentation", page="links",
              label=labels(fi="Rajapinnan kuvaus", sv="API-dokumentation", en="API documentation")),
        Field("standards", "urls", "the standards it conforms to (required when claiming "
              "open-standards)", property="dct:conformsTo"),
        Field("documentation", "url", "its user documentation", property="schema:softwareHelp"),
        Field("version", "text", "its latest version, as its maintainer writes it (1.0, 7.7.0…)",
              property="schema:softwareVersion"),
        Field("released", "date", "when its latest version was released",
              property="schema:datePublished"),
        Field("logo", "url", "its logo (the address of an SVG or PNG image)",
              property="schema:logo"),
        Field("aspects", "claims", "the openness aspects claimed, each with its evidence; each "
              "aspect is also linked directly with `ak:opennessAspect`",
              property="ak:opennessClaim", concept="aspect", record="claim",
              also="ak:opennessAspect"),
        Field("pricing", "record", "its visible pricing", property="ak:pricing",
              record="pricing"),
        Field("procurement", "ref", "how a municipality buys it", property="ak:procurementRoute",
              concept="route"),
        Field("procurement_note", "texts", "more about buying it", property="ak:procurementNote"),
        Field("parts", "records", "its parts, each with licence and pricing (required when open "
              "and closed parts are mixed)", property="dct:hasPart", record="part"),
        Field("status", "choice", "how far it is", property="adms:status", default="completed",
              choices=(
                  ("completed", "adms-status:Completed"),
                  ("under-development", "adms-status:UnderDevelopment"),
                  ("deprecated", "adms-status:Deprecated"),
                  ("withdrawn", "adms-status:Withdrawn"),
              )),
        Field("issued", "date", "when it was first offered", property="dct:issued"),
        Field("sources", "urls", "where the facts come from", property="dct:source",
              required=True),
        Field("provenance", "texts", "how the record was put together", property="dct:provenance",
              required=True, languages=FI_EN, node="dct:ProvenanceStatement",
              node_property="rdfs:label"),
        Field("same_as", "urls", "the same offering in other registries", property="owl:sameAs"),
    ),
)  # fmt: skip

# data/licences.yaml: the licences that are not on the SPDX list. The mapping describes
# licences from the register (publisher.licences), not field by field.
LICENCE = Table(
    name="licence",
    title="Local licence",
    where="`data/licences.yaml`, `licences:`",
    subject="licence",
    classes=("ak:Licence", "dct:LicenseDocument"),
    fields=(
        Field("id", "id", "the licence's id, used in `licence:` fields", property="dct:identifier",
              required=True),
        Field("name", "texts", "its name", property="skos:prefLabel", required=True,
              languages=FI_EN),
        Field("open_source", "boolean", "whether it is an open-source licence",
              property="ak:openSource", required=True),
        Field("type", "code", "its ADMS licence type (http://purl.org/adms/licencetype/…)",
              property="dct:type"),
        Field("url", "url", "the licence text", property="rdfs:seeAlso"),
        Field("eu_licence", "code", "its code in the EU licence authority table",
              property="skos:exactMatch"),
    ),
)  # fmt: skip

# data/retired.yaml: read into the ledger (publisher.ledger), not mapped.
RETIREMENT = Table(
    name="retired",
    title="Retired record",
    where="`data/retired.yaml`, `retired:`",
    fields=(
        Field("id", "id", "the id of the offering or supplier that was published", required=True),
        Field("kind", "choice", "offering or supplier", required=True,
              choices=(("offering", None), ("supplier", None))),
        Field("removed", "date", "when it was removed", required=True),
        Field("replaced_by", "text", "its successor's id", property="dct:isReplacedBy"),
        Field("reason", "texts", "why it was removed"),
    ),
)  # fmt: skip

TABLES: dict[str, Table] = {
    t.name: t for t in (SUPPLIER, CONTACT, OFFERING, CLAIM, PRICING, PART, LICENCE, RETIREMENT)
}


def table(name: str) -> Table:
    return TABLES[name]
