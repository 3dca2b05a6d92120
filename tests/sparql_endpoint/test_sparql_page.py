"""The query page: works without JavaScript, escapes what it echoes, links our URIs."""

from __future__ import annotations

import html
import html.parser

import pytest

from sparql_endpoint.examples import examples

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


class _Collect(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.cells: list[str] = []
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.forms: list[dict[str, str | None]] = []
        self._in_td = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a":
            self.links.append(attributes.get("href") or "")
        if tag == "script":
            self.scripts.append(attributes.get("src") or "")
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes.get("href") or "")
        if tag == "form":
            self.forms.append(attributes)
        if tag == "td":
            self._in_td = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag == "td":
            self._in_td = False

    def handle_data(self, data):
        if self._in_td:
            self.cells[-1] += data


def _parse(text: str) -> _Collect:
    parser = _Collect()
    parser.feed(text)
    return parser


def test_page_lists_every_example_in_the_pages_language(sparql_client) -> None:
    english = sparql_client.get("/sparql?lang=en", headers=BROWSER).get_data(as_text=True)
    text = sparql_client.get("/sparql", headers=BROWSER).get_data(as_text=True)
    assert len(examples()) >= 12
    for example in examples():
        assert example.title["fi"] in html.unescape(text)
        assert example.title["en"] in html.unescape(english)
        assert example.title["en"] not in html.unescape(text)
    page = _parse(text)
    assert page.forms and page.forms[0]["method"] == "post"
    # The plain form works without JavaScript: a POST form with a 'query' field; the
    # editor is an enhancement, loaded from our own static files (no CDN).
    assert 'name="query"' in text
    assert page.scripts and page.stylesheets
    for url in page.scripts + page.stylesheets:
        assert url.startswith("/sparql-static/"), url
        assert sparql_client.get(url).status_code == 200


def test_form_post_shows_results_table_with_links(sparql_client) -> None:
    response = sparql_client.post(
        "/sparql",
        data={
            "query": "SELECT ?s ?name WHERE { ?s a ak:Supplier ; foaf:name ?name } ORDER BY ?name"
        },
        headers=BROWSER,
    )
    assert response.status_code == 200
    page = _parse(response.get_data(as_text=True))
    assert "http://localhost:8080/id/supplier/testikunta" in page.links
    assert "supplier:testikunta" in page.cells
    assert "Test Municipality en" in page.cells  # the value and its language tag
    downloads = [link for link in page.links if "download=1" in link]
    assert {link.split("format=")[1].split("&")[0] for link in downloads} == {
        "json",
        "xml",
        "csv",
        "tsv",
    }


def test_download_links_work(sparql_client) -> None:
    response = sparql_client.get(
        "/sparql", query_string={"query": "CONSTRUCT WHERE { ?s a ak:Supplier }"}, headers=BROWSER
    )
    page = _parse(response.get_data(as_text=True))
    links = [link for link in page.links if "download=1" in link]
    assert len(links) == 4
    for link in links:
        got = sparql_client.get("/sparql" + link)
        assert got.status_code == 200
        assert got.headers["Content-Disposition"].startswith("attachment")


def test_echoed_query_and_errors_are_escaped(sparql_client) -> None:
    hostile = 'SELECT * { ?s ?p "</textarea><script>alert(1)</script>" }'
    response = sparql_client.get("/sparql", query_string={"query": hostile + " ("}, headers=BROWSER)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text
    assert "syntax error" in text


def test_literal_values_are_escaped_in_table(sparql_client) -> None:
    response = sparql_client.get(
        "/sparql", query_string={"query": 'SELECT ("<b>bold</b>" AS ?x) {}'}, headers=BROWSER
    )
    text = response.get_data(as_text=True)
    assert "<b>bold</b>" not in text
    assert "&lt;b&gt;bold&lt;/b&gt;" in text


def test_ask_on_page(sparql_client) -> None:
    response = sparql_client.get(
        "/sparql", query_string={"query": "ASK { ?s a ak:Offering }"}, headers=BROWSER
    )
    assert '<p class="boolean">true</p>' in response.get_data(as_text=True)


def test_download_links_keep_the_dataset(sparql_client) -> None:
    graph = "http://kasei.us/2009/09/sparql/data/data1.rdf"
    response = sparql_client.get(
        "/sparql",
        query_string={"query": "SELECT ?s WHERE { ?s ?p ?o }", "default-graph-uri": graph},
        headers=BROWSER,
    )
    page = _parse(response.get_data(as_text=True))
    link = next(link for link in page.links if "format=csv" in link)
    got = sparql_client.get("/sparql" + link).get_data(as_text=True).split()
    assert got == ["s", graph]


def _html_lang(text: str) -> str:
    start = text.index('<html lang="') + len('<html lang="')
    return text[start : text.index('"', start)]


def test_page_links_home(sparql_client) -> None:
    page = _parse(sparql_client.get("/sparql", headers=BROWSER).get_data(as_text=True))
    assert "/" in page.links
    swedish = _parse(sparql_client.get("/sparql?lang=sv", headers=BROWSER).get_data(as_text=True))
    assert "/?lang=sv" in swedish.links  # the chosen language goes along
    ran = sparql_client.get("/sparql?query=ASK%7B%7D&lang=sv", headers=BROWSER)
    assert "?query=ASK%7B%7D&lang=en" in _parse(ran.get_data(as_text=True)).links


@pytest.mark.parametrize(
    ("query", "accept_language", "lang", "words", "not_words"),
    [
        ("", None, "fi", ["Suorita", "Esimerkkikyselyt", "Etusivu"], ["Example queries"]),
        ("?lang=en", None, "en", ["Run", "Example queries", "Home"], ["Esimerkkikyselyt"]),
        ("?lang=sv", None, "sv", ["Kör", "Exempelfrågor", "Startsida"], ["Example queries"]),
        ("", "sv-FI,sv;q=0.9,en;q=0.5", "sv", ["Exempelfrågor"], ["Esimerkkikyselyt"]),
        ("", "en-GB,en;q=0.9", "en", ["Example queries"], ["Esimerkkikyselyt"]),
        ("?lang=en", "sv", "en", ["Example queries"], ["Exempelfrågor"]),  # ?lang wins
        ("?lang=de", "de,fi;q=0.5", "fi", ["Esimerkkikyselyt"], ["Example queries"]),
    ],
)
def test_page_language(sparql_client, query, accept_language, lang, words, not_words) -> None:
    headers = dict(BROWSER)
    if accept_language:
        headers["Accept-Language"] = accept_language
    response = sparql_client.get("/sparql" + query, headers=headers)
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Accept-Language" in response.headers["Vary"]
    assert _html_lang(text) == lang
    for word in words:
        assert word in text
    for word in not_words:
        assert word not in text


def test_results_page_in_the_chosen_language(sparql_client) -> None:
    response = sparql_client.post(
        "/sparql?lang=sv",
        data={"query": "SELECT ?s WHERE { ?s a ak:Offering }"},
        headers=BROWSER,
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _html_lang(text) == "sv"
    assert "Resultat" in text and "rader" in text and "Ladda ner" in text
    page = _parse(text)
    assert page.forms[0]["action"].endswith("?lang=sv")  # running again keeps the language


def test_every_example_has_a_title_and_description_in_fi_sv_en() -> None:
    for example in examples():
        for lang in ("fi", "sv", "en"):
            assert len(example.title[lang]) > 10, (example.slug, lang)
            assert len(example.note[lang]) > 20, (example.slug, lang)
        assert len({example.note["fi"], example.note["sv"], example.note["en"]}) == 3


def test_swedish_page_shows_swedish_descriptions(sparql_client) -> None:
    page = html.unescape(
        sparql_client.get("/sparql?lang=sv", headers=BROWSER).get_data(as_text=True)
    )
    for example in examples():
        assert example.title["sv"] in page
        assert example.note["sv"] in page


@pytest.mark.parametrize(
    ("query", "sentence", "caret_line"),
    [
        (
            "SELECT * WHERE { ?s foo:bar ?o }",
            "Unknown prefix `foo:` at line 1, column 21",
            ("1 | SELECT * WHERE { ?s foo:bar ?o }", " " * 24 + "^"),
        ),
        (
            "SELECT * WHERE {\n  ?s ?p ?o .\n  }  }",
            "Unexpected `}` at line 3, column 6: there is no `{` for it to close.",
            ("3 |   }  }", " " * 9 + "^"),
        ),
        (
            "SELECT * WHERE { ?s ?p ?o FILTER(?o > 3 }",
            "Unexpected `}` at line 1, column 41: the `(` opened at line 1, column 33",
            None,
        ),
        ("SELEC * WHERE { ?s ?p ?o }", "Unknown query form `SELEC` at line 1, column 1", None),
        ('SELECT * { ?s ?p "abc }', "The string that starts at line 1, column 18 is never", None),
    ],
)
def test_syntax_error_in_one_sentence_with_the_position_marked(
    sparql_client, query: str, sentence: str, caret_line
) -> None:
    machine = sparql_client.get("/sparql", query_string={"query": query})
    assert machine.status_code == 400
    message = machine.get_json()["message"]
    assert sentence in message
    assert "\\u{" not in message and "'\\\\u" not in message  # no dump of Unicode ranges
    page = sparql_client.post("/sparql?lang=en", data={"query": query}, headers=BROWSER)
    assert page.status_code == 400
    text = html.unescape(page.get_data(as_text=True))
    assert sentence in text
    if caret_line is not None:
        assert "\n".join(caret_line) in text  # the line, and a caret under the column
