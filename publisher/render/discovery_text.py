"""The words of the finding-and-choosing pages (/offerings, /search, /compare, /statistics,
the people's views of /catalog and /dumps), in Finnish, Swedish and English.

Counted phrases have a form per CLDR plural category, chosen with Babel's plural rules for
the language (``plural("n_offerings", 1, "fi")`` → "1 tuote tai palvelu", 31 → "31 tuotetta
tai palvelua"); never "31 toimittajat". Every key has fi, sv and en (a test checks). When
the site's strings move to gettext catalogues, these move with them unchanged.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

Forms = dict[str, str]  # CLDR plural category → text with {n}

PLURALS: dict[str, dict[str, Forms]] = {
    "n_offerings": {
        "fi": {"one": "{n} tuote tai palvelu", "other": "{n} tuotetta tai palvelua"},
        "sv": {"one": "{n} produkt eller tjänst", "other": "{n} produkter och tjänster"},
        "en": {"one": "{n} offering", "other": "{n} offerings"},
    },
    "n_suppliers": {
        "fi": {"one": "{n} toimittaja", "other": "{n} toimittajaa"},
        "sv": {"one": "{n} leverantör", "other": "{n} leverantörer"},
        "en": {"one": "{n} supplier", "other": "{n} suppliers"},
    },
    "n_results": {
        "fi": {"one": "{n} osuma", "other": "{n} osumaa"},
        "sv": {"one": "{n} träff", "other": "{n} träffar"},
        "en": {"one": "{n} result", "other": "{n} results"},
    },
    "n_parts": {
        "fi": {"one": "{n} osa", "other": "{n} osaa"},
        "sv": {"one": "{n} del", "other": "{n} delar"},
        "en": {"one": "{n} part", "other": "{n} parts"},
    },
    "n_files": {
        "fi": {"one": "{n} tiedosto", "other": "{n} tiedostoa"},
        "sv": {"one": "{n} fil", "other": "{n} filer"},
        "en": {"one": "{n} file", "other": "{n} files"},
    },
    "n_datasets": {
        "fi": {"one": "{n} aineisto", "other": "{n} aineistoa"},
        "sv": {"one": "{n} datamängd", "other": "{n} datamängder"},
        "en": {"one": "{n} dataset", "other": "{n} datasets"},
    },
}

TEXTS: dict[str, dict[str, str]] = {
    "offerings_title": {
        "fi": "Tuotteet ja palvelut",
        "sv": "Produkter och tjänster",
        "en": "Products and services",
    },
    "offerings_intro": {
        "fi": "Rajaa luetteloa valitsemalla ominaisuuksia. Saman ryhmän valinnat laajentavat "
        "(tai), eri ryhmien valinnat rajaavat (ja). Luku kertoo, montako tulosta valinta antaisi.",
        "sv": "Avgränsa listan genom att välja egenskaper. Val i samma grupp vidgar (eller), "
        "val i olika grupper avgränsar (och). Talet anger hur många träffar valet skulle ge.",
        "en": "Narrow the list by choosing properties. Choices in one group widen it (or), "
        "choices in different groups narrow it (and). The number is how many results a "
        "choice would give.",
    },
    "filters": {"fi": "Rajaukset", "sv": "Filter", "en": "Filters"},
    "clear_filters": {"fi": "Poista rajaukset", "sv": "Ta bort filter", "en": "Clear filters"},
    "remove_filter": {"fi": "Poista rajaus", "sv": "Ta bort filtret", "en": "Remove filter"},
    "chosen": {"fi": "Valittu", "sv": "Valt", "en": "Chosen"},
    "show_all_values": {
        "fi": "Näytä kaikki",
        "sv": "Visa alla",
        "en": "Show all",
    },
    "quick_filters": {"fi": "Pikavalinnat", "sv": "Snabbval", "en": "Quick filters"},
    "preset_open_free": {
        "fi": "Avoin lähdekoodi, ei lisenssimaksua",
        "sv": "Öppen källkod, ingen licensavgift",
        "en": "Open source, no licence fee",
    },
    "preset_priced": {
        "fi": "Hinta julkaistu",
        "sv": "Pris publicerat",
        "en": "Price published",
    },
    "preset_no_tender": {
        "fi": "Hankittavissa ilman omaa kilpailutusta",
        "sv": "Kan anskaffas utan egen upphandling",
        "en": "Procurable without a tender of one's own",
    },
    "facet_layer": {"fi": "Arkkitehtuurin kerros", "sv": "Arkitekturlager", "en": "Layer"},
    "facet_component": {
        "fi": "Arkkitehtuurin osa",
        "sv": "Arkitekturkomponent",
        "en": "Component",
    },
    "facet_aspect": {"fi": "Avoimuus", "sv": "Öppenhet", "en": "Openness"},
    "facet_open": {"fi": "Lähdekoodi", "sv": "Källkod", "en": "Source code"},
    "facet_licence": {"fi": "Lisenssi", "sv": "Licens", "en": "Licence"},
    "facet_pricing": {"fi": "Hinnoittelu", "sv": "Prissättning", "en": "Pricing"},
    "facet_route": {"fi": "Hankintatapa", "sv": "Upphandlingssätt", "en": "Procurement route"},
    "facet_domain": {"fi": "Palvelualue", "sv": "Serviceområde", "en": "Service domain"},
    "facet_phase": {"fi": "Toimitusvaihe", "sv": "Leveransfas", "en": "Delivery phase"},
    "facet_type": {"fi": "Tyyppi", "sv": "Typ", "en": "Type"},
    "facet_status": {"fi": "Tila", "sv": "Status", "en": "Status"},
    "facet_supplier": {"fi": "Toimittaja", "sv": "Leverantör", "en": "Supplier"},
    "open_yes": {"fi": "Avoin lähdekoodi", "sv": "Öppen källkod", "en": "Open source"},
    "open_no": {
        "fi": "Ei avointa lähdekoodia",
        "sv": "Inte öppen källkod",
        "en": "Not open source",
    },
    "pricing_no-licence-fee": {
        "fi": "Ei lisenssimaksua",
        "sv": "Ingen licensavgift",
        "en": "No licence fee",
    },
    "pricing_published-price": {
        "fi": "Hinta julkaistu",
        "sv": "Pris publicerat",
        "en": "Published price",
    },
    "pricing_price-list": {"fi": "Hinnasto", "sv": "Prislista", "en": "Price list"},
    "type_product": {"fi": "Tuote", "sv": "Produkt", "en": "Product"},
    "type_service": {"fi": "Palvelu", "sv": "Tjänst", "en": "Service"},
    "status_Completed": {"fi": "Valmis", "sv": "Färdig", "en": "Completed"},
    "status_UnderDevelopment": {
        "fi": "Kehitteillä",
        "sv": "Under utveckling",
        "en": "Under development",
    },
    "status_Deprecated": {"fi": "Vanhentumassa", "sv": "Föråldrad", "en": "Deprecated"},
    "status_Withdrawn": {"fi": "Poistettu käytöstä", "sv": "Tillbakadragen", "en": "Withdrawn"},
    "sort": {"fi": "Järjestys", "sv": "Sortering", "en": "Sort by"},
    "sort_name": {"fi": "Nimi", "sv": "Namn", "en": "Name"},
    "sort_supplier": {"fi": "Toimittaja", "sv": "Leverantör", "en": "Supplier"},
    "sort_newest": {"fi": "Uusimmat", "sv": "Nyaste", "en": "Newest"},
    "sort_relevance": {"fi": "Osuvuus", "sv": "Relevans", "en": "Relevance"},
    "page_of": {"fi": "Sivu {n} / {m}", "sv": "Sida {n} av {m}", "en": "Page {n} of {m}"},
    "previous_page": {"fi": "Edellinen sivu", "sv": "Föregående sida", "en": "Previous page"},
    "next_page": {"fi": "Seuraava sivu", "sv": "Nästa sida", "en": "Next page"},
    "pages": {"fi": "Sivut", "sv": "Sidor", "en": "Pages"},
    "download_selection": {
        "fi": "Lataa tämä valinta",
        "sv": "Ladda ner detta urval",
        "en": "Download this selection",
    },
    "csv_note": {
        "fi": "CSV (UTF-8, avautuu Excelissä)",
        "sv": "CSV (UTF-8, öppnas i Excel)",
        "en": "CSV (UTF-8, opens in Excel)",
    },
    "nothing_selected": {
        "fi": "Valinnalla ei löytynyt yhtään tuotetta tai palvelua. Poista jokin rajaus.",
        "sv": "Urvalet gav inga produkter eller tjänster. Ta bort något filter.",
        "en": "No offering matches this selection. Remove a filter.",
    },
    "compare": {"fi": "Vertaile", "sv": "Jämför", "en": "Compare"},
    "compare_selected": {
        "fi": "Vertaile valittuja (2–4)",
        "sv": "Jämför valda (2–4)",
        "en": "Compare selected (2–4)",
    },
    "compare_this": {"fi": "Vertailuun", "sv": "Till jämförelsen", "en": "Compare"},
    "compare_title": {
        "fi": "Vertailu",
        "sv": "Jämförelse",
        "en": "Comparison",
    },
    "compare_intro": {
        "fi": "Valitse luettelosta 2–4 tuotetta tai palvelua ja paina ”Vertaile valittuja”.",
        "sv": "Välj 2–4 produkter eller tjänster i listan och tryck på ”Jämför valda”.",
        "en": "Choose 2–4 offerings in the list and press “Compare selected”.",
    },
    "compare_too_many": {
        "fi": "Vertailuun mahtuu neljä; näytetään neljä ensimmäistä.",
        "sv": "Jämförelsen rymmer fyra; de fyra första visas.",
        "en": "A comparison holds four; the first four are shown.",
    },
    "compare_unknown": {
        "fi": "Näitä ei löytynyt:",
        "sv": "Dessa hittades inte:",
        "en": "Not found:",
    },
    "what_is_open": {"fi": "Mikä on avointa", "sv": "Vad som är öppet", "en": "What is open"},
    "all_open": {
        "fi": "Koko tarjooma on avointa lähdekoodia.",
        "sv": "Hela erbjudandet är öppen källkod.",
        "en": "The whole offering is open source.",
    },
    "nothing_open": {
        "fi": "Lisenssi ei ole avoimen lähdekoodin lisenssi.",
        "sv": "Licensen är inte en öppen källkodslicens.",
        "en": "The licence is not an open-source licence.",
    },
    "open_unknown": {
        "fi": "Avoimuutta ei ole ilmoitettu.",
        "sv": "Öppenheten är inte angiven.",
        "en": "Openness not stated.",
    },
    "no_parts": {
        "fi": "Ei erikseen lueteltuja osia.",
        "sv": "Inga separat angivna delar.",
        "en": "No parts listed separately.",
    },
    "no_price": {
        "fi": "Hintaa ei ole julkaistu.",
        "sv": "Inget pris publicerat.",
        "en": "No price published.",
    },
    "no_licence_fee": {
        "fi": "Ei lisenssimaksua",
        "sv": "Ingen licensavgift",
        "en": "No licence fee",
    },
    "free_of_charge": {"fi": "Maksuton", "sv": "Avgiftsfri", "en": "Free of charge"},
    "from_price": {"fi": "alkaen {price}", "sv": "från {price}", "en": "from {price}"},
    "parts_open_closed": {
        "fi": "osia: {open} avointa, {closed} suljettua",
        "sv": "delar: {open} öppna, {closed} stängda",
        "en": "parts: {open} open, {closed} closed",
    },
    "part": {"fi": "Osa", "sv": "Del", "en": "Part"},
    "licence": {"fi": "Lisenssi", "sv": "Licens", "en": "Licence"},
    "price": {"fi": "Hinta", "sv": "Pris", "en": "Price"},
    "supplier": {"fi": "Toimittaja", "sv": "Leverantör", "en": "Supplier"},
    "pricing": {"fi": "Hinnoittelu", "sv": "Prissättning", "en": "Pricing"},
    "procurement": {"fi": "Hankintatapa", "sv": "Upphandlingssätt", "en": "Procurement route"},
    "aspects": {"fi": "Avoimuuden osa-alueet", "sv": "Öppenhetsaspekter", "en": "Openness aspects"},
    "evidence": {"fi": "Näyttö", "sv": "Belägg", "en": "Evidence"},
    "components": {"fi": "Arkkitehtuurin osat", "sv": "Arkitekturkomponenter", "en": "Components"},
    "standards": {"fi": "Standardit", "sv": "Standarder", "en": "Standards"},
    "links": {"fi": "Linkit", "sv": "Länkar", "en": "Links"},
    "homepage": {"fi": "Kotisivu", "sv": "Webbplats", "en": "Homepage"},
    "repository": {"fi": "Lähdekoodi", "sv": "Källkod", "en": "Source code"},
    "api_docs": {"fi": "Rajapinnan kuvaus", "sv": "API-dokumentation", "en": "API documentation"},
    "status": {"fi": "Tila", "sv": "Status", "en": "Status"},
    "type": {"fi": "Tyyppi", "sv": "Typ", "en": "Type"},
    "issued": {"fi": "Julkaistu", "sv": "Utgiven", "en": "Issued"},
    "none": {"fi": "Ei ole.", "sv": "Inga.", "en": "None."},
    "not_stated": {"fi": "Ei ilmoitettu", "sv": "Inte angivet", "en": "Not stated"},
    "open_badge": {"fi": "Avoin", "sv": "Öppen", "en": "Open"},
    "closed_badge": {"fi": "Suljettu", "sv": "Stängd", "en": "Closed"},
    "search_title": {"fi": "Haku", "sv": "Sök", "en": "Search"},
    "search_label": {
        "fi": "Hae tuotteita, palveluja, toimittajia ja käsitteitä",
        "sv": "Sök produkter, tjänster, leverantörer och begrepp",
        "en": "Search offerings, suppliers and concepts",
    },
    "search_button": {"fi": "Hae", "sv": "Sök", "en": "Search"},
    "did_you_mean": {"fi": "Tarkoititko", "sv": "Menade du", "en": "Did you mean"},
    "showing_for": {
        "fi": "Tulokset haulle {corrected}; haulla {query} ei löytynyt mitään.",
        "sv": "Resultat för {corrected}; sökningen {query} gav inget.",
        "en": "Results for {corrected}; {query} found nothing.",
    },
    "any_word": {
        "fi": "Kaikkia sanoja ei löytynyt samasta kohteesta; näytetään osumat mille tahansa "
        "sanalle.",
        "sv": "Inget resultat innehöll alla ord; träffar för något av orden visas.",
        "en": "No result has every word; results for any of the words are shown.",
    },
    "no_results": {
        "fi": "Ei osumia. Kokeile toista sanaa tai poista rajauksia.",
        "sv": "Inga träffar. Pröva ett annat ord eller ta bort filter.",
        "en": "Nothing found. Try another word or remove filters.",
    },
    "also_found": {
        "fi": "Myös nämä vastaavat hakua",
        "sv": "Även dessa matchar sökningen",
        "en": "These match too",
    },
    "kind_offering": {"fi": "Tuote tai palvelu", "sv": "Produkt eller tjänst", "en": "Offering"},
    "kind_supplier": {"fi": "Toimittaja", "sv": "Leverantör", "en": "Supplier"},
    "kind_licence": {"fi": "Lisenssi", "sv": "Licens", "en": "Licence"},
    "kind_layer": {"fi": "Kerros", "sv": "Lager", "en": "Layer"},
    "kind_component": {"fi": "Komponentti", "sv": "Komponent", "en": "Component"},
    "kind_aspect": {"fi": "Avoimuus", "sv": "Öppenhet", "en": "Openness aspect"},
    "kind_domain": {"fi": "Palvelualue", "sv": "Serviceområde", "en": "Service domain"},
    "kind_phase": {"fi": "Vaihe", "sv": "Fas", "en": "Delivery phase"},
    "kind_route": {"fi": "Hankintatapa", "sv": "Upphandlingssätt", "en": "Procurement route"},
    "kind_scheme": {"fi": "Käsitteistö", "sv": "Begreppsschema", "en": "Concept scheme"},
    "statistics_title": {"fi": "Tilastot", "sv": "Statistik", "en": "Statistics"},
    "statistics_intro": {
        "fi": "Tarjooman luvut kuvina ja taulukkoina. Taulukon jokainen rivi on linkki "
        "rajattuun luetteloon.",
        "sv": "Erbjudandets siffror som diagram och tabeller. Varje rad i tabellerna är en "
        "länk till den avgränsade listan.",
        "en": "The offering in figures, as charts and tables. Every row of the tables links "
        "to the filtered list.",
    },
    "chart_per_layer": {
        "fi": "Tuotteet ja palvelut arkkitehtuurin kerroksittain",
        "sv": "Produkter och tjänster per arkitekturlager",
        "en": "Offerings per architecture layer",
    },
    "chart_open_share": {
        "fi": "Avoimen lähdekoodin osuus kerroksittain",
        "sv": "Andel öppen källkod per lager",
        "en": "Open-source share per layer",
    },
    "chart_licences": {
        "fi": "Käytössä olevat lisenssit",
        "sv": "Licenser som används",
        "en": "Licences in use",
    },
    "chart_routes": {"fi": "Hankintatavat", "sv": "Upphandlingssätt", "en": "Procurement routes"},
    "chart_pricing": {"fi": "Hinnoittelumallit", "sv": "Prismodeller", "en": "Pricing models"},
    "chart_suppliers": {
        "fi": "Toimittajat tuotteiden ja palvelujen määrän mukaan",
        "sv": "Leverantörer efter antal produkter och tjänster",
        "en": "Suppliers by number of offerings",
    },
    "chart_table": {
        "fi": "Luvut taulukkona",
        "sv": "Siffrorna som tabell",
        "en": "The numbers as a table",
    },
    "count": {"fi": "Määrä", "sv": "Antal", "en": "Count"},
    "share": {"fi": "Osuus", "sv": "Andel", "en": "Share"},
    "open_source_count": {"fi": "Avointa lähdekoodia", "sv": "Öppen källkod", "en": "Open source"},
    "all_count": {"fi": "Kaikki", "sv": "Alla", "en": "All"},
    "value": {"fi": "Arvo", "sv": "Värde", "en": "Value"},
    "chart_desc_bars": {
        "fi": "Pylväskaavio: {items}.",
        "sv": "Stapeldiagram: {items}.",
        "en": "Bar chart: {items}.",
    },
    "top_suppliers_note": {
        "fi": "{n} eniten tarjoavaa toimittajaa.",
        "sv": "De {n} leverantörer som erbjuder mest.",
        "en": "The {n} suppliers with the most offerings.",
    },
    "pricing_note": {
        "fi": "Tuote tai palvelu voi kuulua useampaan malliin (esimerkiksi maksuton ohjelmisto ja "
        "maksullinen palvelu).",
        "sv": "En produkt eller tjänst kan höra till flera modeller (till exempel avgiftsfri "
        "programvara och avgiftsbelagd tjänst).",
        "en": "An offering can count under several models (for example free software with a "
        "paid service).",
    },
    "no_offering_yet": {
        "fi": "ei vielä tarjontaa",
        "sv": "inga erbjudanden ännu",
        "en": "no offering yet",
    },
    "how_to_add": {
        "fi": "Näin toimittaja lisää tuotteen tai palvelun",
        "sv": "Så lägger en leverantör till en produkt eller tjänst",
        "en": "How a supplier adds an offering",
    },
    "add_title": {
        "fi": "Näin toimittaja lisää tuotteen tai palvelun",
        "sv": "Så lägger en leverantör till en produkt eller tjänst",
        "en": "How a supplier adds an offering",
    },
    "add_steps": {
        "fi": "Jokaisella toimittajalla on luettelon lähteissä yksi tiedosto, "
        "data/suppliers/<toimittaja>.yaml. Lisää tuotteesi tai palvelusi sen kohtaan "
        "offerings: nimi ja kuvaus suomeksi ja englanniksi, arkkitehtuurin osat, lisenssi, "
        "hinta tai hinnasto sekä lähteet. Tarkista tiedosto komennolla avoinkunta validate: "
        "jokainen virhe nimeää tiedoston, rivin, kentän ja säännön. Luettelon ylläpitäjä "
        "julkaisee tarkistetut muutokset; uusi tuote näkyy tällä sivustolla seuraavassa "
        "julkaisussa.",
        "sv": "Varje leverantör har en fil i katalogens källor, data/suppliers/<leverantör>.yaml. "
        "Lägg till din produkt eller tjänst under offerings: namn och beskrivning på finska "
        "och engelska, arkitekturkomponenter, licens, pris eller prislista samt källor. "
        "Kontrollera filen med kommandot avoinkunta validate: varje fel anger fil, rad, fält "
        "och regel. Katalogens förvaltare publicerar de kontrollerade ändringarna; den nya "
        "produkten syns på webbplatsen vid nästa publicering.",
        "en": "Each supplier has one file in the catalogue's sources, "
        "data/suppliers/<supplier>.yaml. Add your product or service under offerings: its "
        "name and description in Finnish and English, the architecture components, the "
        "licence, a price or a price list, and the sources. Check the file with avoinkunta "
        "validate: every problem names the file, the line, the field and the rule. The "
        "catalogue's curators publish the checked changes; the new offering shows on this "
        "site with the next publication.",
    },
    "add_rules": {
        "fi": "Kaksi sääntöä: tarjous kertoo selvästi, mikä osa on avointa lähdekoodia ja mikä "
        "ei, ja sen hinnoittelu on näkyvissä. Suljettua tuotetta ei voi esittää avoimena.",
        "sv": "Två regler: ett erbjudande anger tydligt vilken del som är öppen källkod och "
        "vilken inte, och dess prissättning är synlig. En sluten produkt kan inte presenteras "
        "som öppen.",
        "en": "Two rules: an offering says clearly which part is open source and which is "
        "not, and its pricing is visible. A closed product cannot be advertised as open.",
    },
    "empty_component": {
        "fi": "Tähän arkkitehtuurin osaan ei ole vielä luokiteltu yhtään tuotetta tai palvelua.",
        "sv": "Ingen produkt eller tjänst är ännu klassificerad under denna komponent.",
        "en": "No offering is classified under this component yet.",
    },
    "open_filtered_list": {
        "fi": "Näytä luettelossa, vertaile ja rajaa lisää →",
        "sv": "Visa i listan, jämför och avgränsa mer →",
        "en": "Show in the list: compare and filter further →",
    },
    "swedish_fallback_notice": {
        "fi": "",
        "sv": "Delar av innehållet finns bara på finska eller engelska och visas på det "
        "språket (markerat för skärmläsare).",
        "en": "",
    },
}


def text(key: str, lang: str, **values: object) -> str:
    """The words for ``key`` in ``lang`` (English if missing), with ``values`` filled in."""
    entry = TEXTS[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**values) if values else template


def plural(key: str, n: int, lang: str) -> str:
    """A counted phrase in the form the language's plural rules give for ``n``."""
    forms = PLURALS[key].get(lang) or PLURALS[key]["en"]
    category = _plural_form(lang, n)
    return (forms.get(category) or forms["other"]).format(n=format_count(n, lang))


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def _plural_form(lang: str, n: int) -> str:
    return str(_locale(lang).plural_form(n))


def format_count(n: int, lang: str) -> str:
    """1234 → "1 234" (fi, sv: non-breaking space), "1,234" (en)."""
    from babel.numbers import format_decimal

    return str(format_decimal(n, locale=lang))
