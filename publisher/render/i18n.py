"""The user-interface strings of the HTML pages in Finnish, Swedish and English.

These are the site's own words (not data): every key has Finnish and English, which a
test checks; Swedish is given where the wording is certain, otherwise pages fall back to
English and mark it with its own ``lang`` attribute (``tl`` in the templates).
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "site": {"fi": "Avoin kunta", "sv": "Avoin kunta", "en": "Avoin kunta"},
    "tagline": {
        "fi": "Avoimet tuotteet ja palvelut kunnille — linkitettynä avoimena datana",
        "sv": "Öppna produkter och tjänster för kommuner — som länkade öppna data",
        "en": "Open products and services for municipalities — as linked open data",
    },
    "home": {"fi": "Etusivu", "sv": "Startsida", "en": "Home"},
    "search": {"fi": "Haku", "sv": "Sök", "en": "Search"},
    "search_placeholder": {
        "fi": "Hae nimestä, kuvauksesta tai avainsanoista",
        "sv": "Sök i namn, beskrivningar och nyckelord",
        "en": "Search titles, descriptions and keywords",
    },
    "search_button": {"fi": "Hae", "sv": "Sök", "en": "Search"},
    "results_for": {"fi": "Tulokset haulle", "sv": "Resultat för", "en": "Results for"},
    "no_results": {
        "fi": "Ei osumia. Kokeile lyhyempää hakusanaa.",
        "sv": "Inga träffar. Pröva ett kortare sökord.",
        "en": "Nothing found. Try a shorter word.",
    },
    "language": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "architecture_map": {
        "fi": "Kuntien palvelurakenne",
        "sv": "Kommunernas servicestruktur",
        "en": "Municipal service architecture",
    },
    "architecture_intro": {
        "fi": "Kerrokset ja komponentit Avoin kunta -esityksen (COSS ry 2014, dia 15; "
        "lähde Kuntien Tiera Oy) mukaan. Luku kertoo, montako tarjooman tuotetta tai "
        "palvelua komponenttiin on luokiteltu.",
        "sv": "Lager och komponenter enligt Avoin kunta-presentationen (COSS ry 2014, bild 15; "
        "källa Kuntien Tiera Oy). Talet anger hur många produkter eller tjänster som är "
        "klassificerade under komponenten.",
        "en": "Layers and components named in the Avoin kunta deck (COSS ry 2014, "
        "slide 15; source Kuntien Tiera Oy). The number is how many offerings are "
        "classified under the component.",
    },
    "architecture_inferred": {
        "fi": "Esityksen tekstiversio litistää dian, joten se, mihin kerrokseen komponentti "
        "kuuluu, on osin päätelty; † merkitsee epävarmaa sijoitusta.",
        "sv": "Presentationens textversion återger inte bildens uppställning, så vilket lager "
        "en komponent hör till är delvis härlett; † markerar en osäker placering.",
        "en": "The deck's transcript flattens the slide, so which layer a component belongs "
        "to is partly inferred; † marks an uncertain placement.",
    },
    "low_confidence": {
        "fi": "Kerros on päätelty esityksestä; varmuus: matala",
        "sv": "Lagret är härlett ur presentationen; säkerhet: låg",
        "en": "Layer inferred from the deck; confidence: low",
    },
    "offerings_count": {"fi": "tarjousta", "sv": "erbjudanden", "en": "offerings"},
    "offerings": {
        "fi": "Tuotteet ja palvelut",
        "sv": "Produkter och tjänster",
        "en": "Products and services",
    },
    "by_supplier": {"fi": "Toimittajittain", "sv": "Per leverantör", "en": "By supplier"},
    "by_licence": {"fi": "Lisensseittäin", "sv": "Per licens", "en": "By licence"},
    "by_aspect": {
        "fi": "Avoimuuden osa-alueittain",
        "sv": "Per öppenhetsaspekt",
        "en": "By openness aspect",
    },
    "by_domain": {"fi": "Palvelualueittain", "sv": "Per serviceområde", "en": "By service domain"},
    "by_phase": {"fi": "Toimitusvaiheittain", "sv": "Per leveransfas", "en": "By delivery phase"},
    "supplier": {"fi": "Toimittaja", "sv": "Leverantör", "en": "Supplier"},
    "licence": {"fi": "Lisenssi", "sv": "Licens", "en": "Licence"},
    "open_source": {"fi": "Avoin lähdekoodi", "sv": "Öppen källkod", "en": "Open source"},
    "not_open_source": {
        "fi": "Ei avointa lähdekoodia",
        "sv": "Inte öppen källkod",
        "en": "Not open source",
    },
    "open_source_unknown": {
        "fi": "Avoimuus ei tiedossa",
        "sv": "Öppenhet okänd",
        "en": "Openness not known",
    },
    "osi_approved": {"fi": "OSI-hyväksytty", "sv": "OSI-godkänd", "en": "OSI approved"},
    "parts": {"fi": "Osat", "sv": "Delar", "en": "Parts"},
    "part_open": {"fi": "avoin", "sv": "öppen", "en": "open"},
    "part_closed": {"fi": "suljettu", "sv": "stängd", "en": "closed"},
    "pricing": {"fi": "Hinnoittelu", "sv": "Prissättning", "en": "Pricing"},
    "price_list": {"fi": "Hinnasto", "sv": "Prislista", "en": "Price list"},
    "no_pricing": {
        "fi": "Hintaa ei ole julkaistu.",
        "sv": "Priset är inte publicerat.",
        "en": "No price published.",
    },
    "procurement": {"fi": "Hankintatapa", "sv": "Upphandlingssätt", "en": "Procurement route"},
    "aspects": {"fi": "Avoimuus", "sv": "Öppenhet", "en": "Openness"},
    "evidence": {"fi": "Näyttö", "sv": "Belägg", "en": "Evidence"},
    "standards": {"fi": "Standardit", "sv": "Standarder", "en": "Standards"},
    "components": {
        "fi": "Arkkitehtuurin osat",
        "sv": "Arkitekturkomponenter",
        "en": "Architecture components",
    },
    "domains": {"fi": "Palvelualueet", "sv": "Serviceområden", "en": "Service domains"},
    "phases": {"fi": "Toimitusvaiheet", "sv": "Leveransfaser", "en": "Delivery phases"},
    "links": {"fi": "Linkit", "sv": "Länkar", "en": "Links"},
    "homepage": {"fi": "Kotisivu", "sv": "Webbplats", "en": "Homepage"},
    "repository": {"fi": "Lähdekoodi", "sv": "Källkod", "en": "Source code"},
    "api_docs": {"fi": "Rajapinnan kuvaus", "sv": "API-dokumentation", "en": "API documentation"},
    "sources": {"fi": "Lähteet", "sv": "Källor", "en": "Sources"},
    "provenance": {"fi": "Alkuperä", "sv": "Ursprung", "en": "Provenance"},
    "status": {"fi": "Tila", "sv": "Status", "en": "Status"},
    "issued": {"fi": "Julkaistu", "sv": "Utgiven", "en": "Issued"},
    "modified": {"fi": "Muutettu", "sv": "Ändrad", "en": "Modified"},
    "business_id": {"fi": "Y-tunnus", "sv": "FO-nummer", "en": "Business ID"},
    "contact": {"fi": "Yhteystiedot", "sv": "Kontakt", "en": "Contact"},
    "role": {"fi": "Rooli Avoin kunnassa", "sv": "Roll i Avoin kunta", "en": "Role in Avoin kunta"},
    "former_names": {"fi": "Aiemmat nimet", "sv": "Tidigare namn", "en": "Former names"},
    "same_as": {"fi": "Sama muualla", "sv": "Samma på annat håll", "en": "Same elsewhere"},
    "classified_here": {
        "fi": "Tähän luokitellut",
        "sv": "Klassificerade här",
        "en": "Classified here",
    },
    "under_licence": {
        "fi": "Tällä lisenssillä",
        "sv": "Med denna licens",
        "en": "Under this licence",
    },
    "as_part_of": {"fi": "osana lisenssiä", "sv": "som del av", "en": "as part of"},
    "members": {"fi": "Osalisenssit", "sv": "Ingående licenser", "en": "Member licences"},
    "narrower": {"fi": "Alakäsitteet", "sv": "Underbegrepp", "en": "Narrower concepts"},
    "broader": {"fi": "Yläkäsite", "sv": "Överbegrepp", "en": "Broader concept"},
    "in_scheme": {"fi": "Käsitteistö", "sv": "Begreppsschema", "en": "Concept scheme"},
    "top_concepts": {"fi": "Käsitteet", "sv": "Begrepp", "en": "Concepts"},
    "keywords": {"fi": "Avainsanat", "sv": "Nyckelord", "en": "Keywords"},
    "all_data": {"fi": "Kaikki tiedot", "sv": "Alla uppgifter", "en": "All data"},
    "formats": {"fi": "Muut muodot", "sv": "Andra format", "en": "Other formats"},
    "none": {"fi": "Ei yhtään.", "sv": "Inga.", "en": "None."},
    "gone_title": {"fi": "Poistettu", "sv": "Borttagen", "en": "Removed"},
    "gone_text": {
        "fi": "Tämä tunniste julkaistiin aiemmin, mutta se on poistettu luettelosta.",
        "sv": "Denna identifierare publicerades tidigare men har tagits bort ur katalogen.",
        "en": "This identifier was published before but has been removed from the catalogue.",
    },
    "removed_on": {"fi": "Poistettu", "sv": "Borttagen", "en": "Removed on"},
    "first_published": {
        "fi": "Ensimmäinen julkaisu",
        "sv": "Först publicerad",
        "en": "First published",
    },
    "replaced_by": {"fi": "Korvaaja", "sv": "Ersatt av", "en": "Replaced by"},
    "not_found_title": {"fi": "Ei löytynyt", "sv": "Hittades inte", "en": "Not found"},
    "error_title": {"fi": "Virhe", "sv": "Fel", "en": "Error"},
    "error_text": {
        "fi": "Pyyntöä ei voitu käsitellä. Alla palvelimen selitys (englanniksi).",
        "sv": "Begäran kunde inte behandlas. Nedan serverns förklaring (på engelska).",
        "en": "The request could not be handled. The server's explanation is below.",
    },
    "error_text_local": {
        "fi": "Pyyntöä ei voitu käsitellä. Alla palvelimen selitys.",
        "sv": "Begäran kunde inte behandlas. Nedan serverns förklaring.",
        "en": "The request could not be handled. The server's explanation is below.",
    },
    "not_found_text": {
        "fi": "Tällä osoitteella ei ole koskaan julkaistu mitään. Kokeile hakua.",
        "sv": "Ingenting har någonsin publicerats på denna adress. Pröva att söka.",
        "en": "Nothing has ever been published at this address. Try a search.",
    },
    "not_acceptable": {
        "fi": "Muotoa ei ole saatavilla",
        "sv": "Formatet finns inte",
        "en": "Format not available",
    },
    "vocabulary": {"fi": "Sanasto", "sv": "Vokabulär", "en": "Vocabulary"},
    "data": {"fi": "Data", "sv": "Data", "en": "Data"},
    "sparql": {"fi": "SPARQL", "sv": "SPARQL", "en": "SPARQL"},
    "dumps": {"fi": "Lataukset", "sv": "Nedladdningar", "en": "Downloads"},
    "catalog": {"fi": "DCAT-luettelo", "sv": "DCAT-katalog", "en": "DCAT catalogue"},
    "footer": {
        "fi": "Avoin kunta on COSS ry:n vuonna 2014 käynnistämä aloite. Tiedot ovat "
        "toimittajien ja lähteiden ilmoittamia; lähteet on merkitty jokaiselle sivulle.",
        "sv": "Avoin kunta är ett initiativ som COSS ry startade 2014. Uppgifterna kommer "
        "från leverantörerna och de källor som anges på varje sida.",
        "en": "Avoin kunta is an initiative started by COSS ry in 2014. The facts come "
        "from the suppliers and the sources named on every page.",
    },
    "actors_residents": {
        "fi": "Kuntalaiset, yritysasiakkaat",
        "sv": "Kommuninvånare, företagskunder",
        "en": "Residents, business customers",
    },
    "actors_partners": {
        "fi": "Yhteistyökumppanit, viranomaistahot",
        "sv": "Samarbetspartner, myndigheter",
        "en": "Partners, authorities",
    },
    "build": {"fi": "Julkaisu", "sv": "Publicering", "en": "Publication"},
    # The VoID summary page. Swedish only where the term is certain; the others fall back
    # to English (marked lang="en" on the page, see `translate_lang`).
    "void_title": {
        "fi": "Aineiston kuvaus (VoID)",
        "sv": "Beskrivning av datamängden (VoID)",
        "en": "Dataset description (VoID)",
    },
    "triples": {"fi": "Kolmikot", "en": "Triples"},
    "distinct_subjects": {"fi": "Eri subjektit", "en": "Distinct subjects"},
    "entities": {"fi": "Entiteetit", "sv": "Entiteter", "en": "Entities"},
    "uri_space": {"fi": "URI-avaruus", "en": "URI space"},
    "classes": {"fi": "Luokat", "sv": "Klasser", "en": "Classes"},
    "class": {"fi": "Luokka", "sv": "Klass", "en": "Class"},
    "file": {"fi": "Tiedosto", "sv": "Fil", "en": "File"},
    "media_type": {"fi": "Mediatyyppi", "sv": "Medietyp", "en": "Media type"},
    "bytes": {"fi": "Tavua", "sv": "Byte", "en": "Bytes"},
    "checksum": {"fi": "Tarkistussumma", "sv": "Kontrollsumma", "en": "Checksum"},
    "as_turtle": {"fi": "Turtle-muodossa", "sv": "I Turtle-format", "en": "As Turtle"},
    # The human page about the harvest interfaces (/catalog.html).
    "harvest_title": {
        "fi": "Haravointirajapinnat",
        "sv": "Gränssnitt för skördning",
        "en": "Harvest interfaces",
    },
    "harvest_intro": {
        "fi": "Avoimen datan portaalit ja ohjelmistorekisterit voivat haravoida tarjooman "
        "koneluettavina luetteloina. Luettelot ovat RDF-muodossa; ne on tarkoitettu "
        "ohjelmille, eivät luettaviksi.",
        "sv": "Portaler för öppna data och programvaruregister kan skörda erbjudandet som "
        "maskinläsbara kataloger. Katalogerna är i RDF och är avsedda för program, inte "
        "för att läsas.",
        "en": "Open-data portals and software registries can harvest the offering as "
        "machine-readable catalogues. They are RDF, meant for programs rather than reading.",
    },
    "dcat_text": {
        "fi": "Rekisteri itse DCAT-AP 3.0.1 -luettelona: aineistot, jakelut, "
        "sanastot ja SPARQL-palvelu.",
        "sv": "Registret självt som en DCAT-AP 3.0.1-katalog: datamängder, distributioner, "
        "vokabulärer och SPARQL-tjänsten.",
        "en": "The register itself as a DCAT-AP 3.0.1 catalogue: datasets, distributions, "
        "vocabularies and the SPARQL service.",
    },
    "adms_text": {
        "fi": "Jokainen tuote ja palvelu ADMS-AP-resurssina toimittajineen ja jakeluineen.",
        "sv": "Varje produkt och tjänst som en ADMS-AP-tillgång med leverantör och distributioner.",
        "en": "Every product and service as an ADMS-AP asset with its supplier and distributions.",
    },
    "harvest_paging": {
        "fi": "Luettelot tulevat sivuina (?page=, hydra:next). ?modified_since=ISO-8601 "
        "palauttaa vain muuttuneet ja poistetut. Ilman Accept-otsaketta vastaus on Turtlea.",
        "sv": "Katalogerna kommer i sidor (?page=, hydra:next). ?modified_since=ISO-8601 "
        "ger bara det som ändrats eller tagits bort. Utan Accept-huvud blir svaret Turtle.",
        "en": "The catalogues come in pages (?page=, hydra:next). ?modified_since=ISO-8601 "
        "returns only what changed or was removed. Without an Accept header the answer is "
        "Turtle.",
    },
    "offered": {"fi": "Saatavilla", "sv": "Tillgängligt", "en": "Offered"},
    "suppliers": {"fi": "Toimittajat", "sv": "Leverantörer", "en": "Suppliers"},
    "product": {"fi": "Tuote", "sv": "Produkt", "en": "Product"},
    "service": {"fi": "Palvelu", "sv": "Tjänst", "en": "Service"},
    "what_it_was": {"fi": "Mikä se oli", "sv": "Vad det var", "en": "What it was"},
    "moved": {"fi": "Siirretty", "sv": "Flyttad", "en": "Moved"},
    "offering": {"fi": "Tarjooma", "sv": "Erbjudande", "en": "Offering"},
    "layer": {"fi": "Kerros", "sv": "Lager", "en": "Layer"},
    "component": {"fi": "Komponentti", "sv": "Komponent", "en": "Component"},
    "aspect": {"fi": "Avoimuus", "sv": "Öppenhet", "en": "Openness aspect"},
    "domain": {"fi": "Palvelualue", "sv": "Serviceområde", "en": "Service domain"},
    "phase": {"fi": "Vaihe", "sv": "Fas", "en": "Delivery phase"},
    "route": {"fi": "Hankintatapa", "sv": "Upphandlingssätt", "en": "Procurement route"},
    "scheme": {"fi": "Käsitteistö", "sv": "Begreppsschema", "en": "Concept scheme"},
    # ADMS status vocabulary (http://purl.org/adms/status/), which has English labels only.
    "status_Completed": {"fi": "Valmis", "sv": "Färdig", "en": "Completed"},
    "status_UnderDevelopment": {
        "fi": "Kehitteillä",
        "sv": "Under utveckling",
        "en": "Under development",
    },
    "status_Deprecated": {"fi": "Vanhentumassa", "sv": "Föråldrad", "en": "Deprecated"},
    "status_Withdrawn": {"fi": "Poistettu käytöstä", "sv": "Tillbakadragen", "en": "Withdrawn"},
}


def translate(key: str, lang: str) -> str:
    return translate_lang(key, lang)[0]


def translate_lang(key: str, lang: str) -> tuple[str, str]:
    """The string for `key` in `lang`, or its English fallback: (text, its language)."""
    entry = STRINGS.get(key)
    if entry is None:
        return key, "en"
    if entry.get(lang):
        return entry[lang], lang
    return entry["en"], "en"
