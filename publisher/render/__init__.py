"""Rendering of descriptions: RDF serialisations (`rdf`), language choice (`lang`), page
models over a description graph (`lens`), schema.org JSON-LD (`schemaorg`), the
architecture map (`archmap`) and the Jinja2 environment helpers (`html`)."""
