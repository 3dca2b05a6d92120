"""``/reconcile``: the W3C Reconciliation Service API.

Version 0.2 (OpenRefine's) at ``/reconcile``: the manifest on a plain GET; ``queries=`` (a
JSON batch, by GET or form POST) to match; ``extend=`` to fetch property values;
``/reconcile/suggest/{entity,type,property}?prefix=``; ``/reconcile/preview?id=``;
``/reconcile/propose_properties?type=``. The 1.0 draft at ``/reconcile/1.0-draft``: the
manifest, ``POST /match`` and ``POST /extend`` with JSON bodies, ``GET /suggest/…``,
``/preview`` and ``/extend/propose``. Every response (errors too) allows any origin.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, render_template_string, request
from markupsafe import escape
from rdflib.namespace import FOAF
from werkzeug.exceptions import BadRequest, NotFound

from publisher.reconcile.manifest import manifest_02, manifest_10
from publisher.reconcile.service import PROPERTIES, Candidate, Reconciler

bp = Blueprint("reconcile", __name__)
PREFIX = "/reconcile"
V1 = "/reconcile/1.0-draft"
MAX_QUERIES = 100
MAX_BODY = 1_000_000


def _reconciler() -> Reconciler:
    site = current_app.extensions["avoinkunta"]
    lang = request.args.get("lang") or "en"

    def homepage_of(iri: str) -> str | None:
        graph = site.store().describe(iri)
        value = graph.value(None, FOAF.homepage)
        return str(value) if value is not None else None

    return Reconciler(
        site.site_index(),
        site.uris,
        lang=lang if lang in ("fi", "sv", "en") else "en",
        homepage_of=homepage_of,
    )


def _base() -> str:
    return current_app.extensions["avoinkunta"].uris.base


def _vocab() -> str:
    return str(current_app.extensions["avoinkunta"].uris.vocab)


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    callback = request.args.get("callback")
    if callback and callback.replace("_", "").replace(".", "").isalnum() and len(callback) < 64:
        return Response(
            f"/**/{callback}({body});", status=status, mimetype="application/javascript"
        )
    response = Response(body, status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _param(name: str) -> str | None:
    value = request.values.get(name)
    if value is not None and len(value) > MAX_BODY:
        raise BadRequest(f"{name} is too long")
    return value


def _loads(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"{what} is not JSON: {exc.msg} at character {exc.pos}") from None


# ------------------------------------------------------------------ version 0.2


@bp.route(PREFIX, methods=["GET", "POST"])
def endpoint_02() -> Response:
    queries = _param("queries")
    if queries is not None:
        return _json(_match_batch_02(_loads(queries, "queries")))
    extend = _param("extend")
    if extend is not None:
        return _json(_extend_02(_loads(extend, "extend")))
    return _json(manifest_02(_base(), _vocab()))


def _match_batch_02(batch: Any) -> dict[str, Any]:
    if not isinstance(batch, dict):
        raise BadRequest('queries must be a JSON object of queries: {"q0": {"query": …}}')
    if len(batch) > MAX_QUERIES:
        raise BadRequest(f"at most {MAX_QUERIES} queries in one batch")
    reconciler = _reconciler()
    results = {}
    for key, query in batch.items():
        if isinstance(query, str):
            query = {"query": query}
        if not isinstance(query, dict):
            raise BadRequest(f"query {key!r} must be an object")
        properties = [
            (str(p.get("pid") or p.get("p") or ""), p.get("v"))
            for p in query.get("properties") or []
            if isinstance(p, dict)
        ]
        candidates = reconciler.match(
            str(query.get("query") or ""),
            type_id=_type_of(query.get("type")),
            properties=properties,
            limit=_limit(query.get("limit")),
        )
        results[str(key)] = {"result": [_candidate_02(reconciler, c) for c in candidates]}
    return results


def _type_of(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


def _limit(value: Any, default: int = 5) -> int:
    try:
        return max(1, min(int(value), 100))
    except (TypeError, ValueError):
        return default


def _types_json(reconciler: Reconciler, candidate: Candidate) -> list[dict[str, str]]:
    from publisher.reconcile.service import TYPES

    return [{"id": reconciler.type_id(t), "name": TYPES[t][2]["en"]} for t in candidate.types]


def _candidate_02(reconciler: Reconciler, candidate: Candidate) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": candidate.entity.iri,
        "name": candidate.name,
        "score": candidate.score,
        "match": candidate.match,
        "type": _types_json(reconciler, candidate),
        "features": [{"id": f, "value": v} for f, _n, v in candidate.features],
    }
    if candidate.description:
        item["description"] = candidate.description
    return item


def _extend_02(query: Any) -> dict[str, Any]:
    ids, properties = _extension_query(query)
    reconciler = _reconciler()
    meta = [{"id": pid, "name": PROPERTIES[pid][0]["en"]} for pid in properties]
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for ident in ids:
        entity = reconciler.entity_of(ident)
        rows[ident] = {
            pid: (reconciler.values(entity, pid) if entity else []) for pid in properties
        }
    return {"meta": meta, "rows": rows}


def _extension_query(query: Any) -> tuple[list[str], list[str]]:
    if not isinstance(query, dict) or not isinstance(query.get("ids"), list):
        raise BadRequest('an extension query is {"ids": […], "properties": [{"id": …}]}')
    ids = [str(i) for i in query["ids"]][:1000]
    properties = []
    for item in query.get("properties") or []:
        pid = item.get("id") if isinstance(item, dict) else None
        if pid not in PROPERTIES:
            known = ", ".join(PROPERTIES)
            raise BadRequest(f"unknown property {pid!r}; the properties are: {known}")
        properties.append(pid)
    return ids, properties


@bp.get(f"{PREFIX}/suggest/entity")
@bp.get(f"{V1}/suggest/entity")
def suggest_entity() -> Response:
    reconciler = _reconciler()
    prefix = request.args.get("prefix", "")
    result = reconciler.suggest_entities(
        prefix, type_id=request.args.get("type"), limit=_limit(request.args.get("limit"), 10)
    )
    if not request.path.startswith(V1):
        for item in result:  # 0.2: notable types are {id, name} too; nothing else differs
            item.setdefault("notable", [])
    return _json({"result": result})


@bp.get(f"{PREFIX}/suggest/type")
@bp.get(f"{V1}/suggest/type")
def suggest_type() -> Response:
    reconciler = _reconciler()
    limit = _limit(request.args.get("limit"), 10)
    return _json({"result": reconciler.suggest_types(request.args.get("prefix", ""), limit)})


@bp.get(f"{PREFIX}/suggest/property")
@bp.get(f"{V1}/suggest/property")
def suggest_property() -> Response:
    reconciler = _reconciler()
    found = reconciler.suggest_properties(
        request.args.get("prefix", ""),
        _limit(request.args.get("limit"), 10),
        request.args.get("type"),
    )
    return _json({"result": found})


@bp.get(f"{PREFIX}/propose_properties")
def propose_02() -> Response:
    reconciler = _reconciler()
    type_id = request.args.get("type")
    properties = reconciler.propose(type_id, _limit(request.args.get("limit"), 10))
    return _json({"type": type_id or "", "properties": properties})


PREVIEW_PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ name }}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:8px;color:#1a1a1a}
h1{font-size:16px;margin:0 0 4px}p{margin:2px 0}.k{color:#555}a{color:#0b57d0}</style>
</head><body><h1><a href="{{ iri }}" target="_blank" rel="noopener">{{ name }}</a></h1>
<p class="k">{{ kind }}</p>
{% for label, value in facts %}<p><span class="k">{{ label }}:</span> {{ value }}</p>{% endfor %}
{% if description %}<p>{{ description }}</p>{% endif %}
</body></html>"""


@bp.get(f"{PREFIX}/preview")
@bp.get(f"{V1}/preview")
def preview() -> Response:
    reconciler = _reconciler()
    ident = request.args.get("id", "")
    entity = reconciler.entity_of(ident)
    if entity is None:
        raise NotFound(f"No entity {ident!r}")
    name, _lang = reconciler.name(entity)
    facts = []
    for pid in ("supplier", "licence", "price_text", "homepage", "layer"):
        values = reconciler.values(entity, pid)
        if values:
            text = ", ".join(str(v.get("name") or v.get("str")) for v in values)
            facts.append((PROPERTIES[pid][0]["en"], text))
    types = ", ".join(reconciler.types_of(entity))
    html = render_template_string(
        PREVIEW_PAGE,
        lang=reconciler.lang,
        name=name,
        iri=entity.iri,
        kind=types,
        facts=facts,
        description=reconciler._description(entity, None),
    )
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get(f"{PREFIX}/docs")
def docs() -> Response:
    base = escape(_base())
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Avoin kunta reconciliation service</title></head><body>
<h1>Avoin kunta reconciliation service</h1>
<p>A <a href="https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/">
W3C Reconciliation Service API</a> endpoint: add <code>{base}reconcile</code> in OpenRefine
(version 0.2), or use <code>{base}reconcile/1.0-draft</code> (the 1.0 draft).</p>
<p>Types: offerings (products, services), suppliers, licences, architecture components.
Properties for constraints and data extension: {escape(", ".join(PROPERTIES))}.</p>
</body></html>"""
    return Response(html, mimetype="text/html")


# ------------------------------------------------------------------ version 1.0 draft


@bp.get(V1)
def manifest_v1() -> Response:
    return _json(manifest_10(_base(), _vocab()))


def _json_body() -> Any:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise BadRequest("the request body is too large")
    if request.mimetype == "application/json":
        return _loads(request.get_data(as_text=True), "the request body")
    for name in ("queries", "extend"):
        if name in request.form:  # a form-encoded body, as 0.2 clients send it
            return _loads(request.form[name], name)
    raise BadRequest("send the query as an application/json body")


@bp.post(f"{V1}/match")
def match_v1() -> Response:
    batch = _json_body()
    if not isinstance(batch, dict) or not isinstance(batch.get("queries"), list):
        raise BadRequest('a query batch is {"queries": [{"conditions": […]}]}')
    if len(batch["queries"]) > MAX_QUERIES:
        raise BadRequest(f"at most {MAX_QUERIES} queries in one batch")
    reconciler = _reconciler()
    results = []
    for query in batch["queries"]:
        name, properties = _conditions(query)
        candidates = reconciler.match(
            name,
            type_id=_type_of(query.get("type")),
            properties=properties,
            limit=_limit(query.get("limit")),
            lang=query.get("lang"),
        )
        results.append({"candidates": [_candidate_v1(reconciler, c) for c in candidates]})
    return _json({"results": results})


def _conditions(query: Any) -> tuple[str, list[tuple[str, Any]]]:
    if not isinstance(query, dict) or not isinstance(query.get("conditions"), list):
        raise BadRequest("each query has a list of conditions")
    name, properties = "", []
    for condition in query["conditions"]:
        kind = condition.get("matchType") if isinstance(condition, dict) else None
        value = condition.get("propertyValue") if isinstance(condition, dict) else None
        if kind in ("name", "id"):
            name = str(value.get("id") if isinstance(value, dict) else value or "")
        elif kind == "property":
            properties.append((str(condition.get("propertyId") or ""), value))
        else:
            raise BadRequest(f"unknown matchType {kind!r}; use name, id or property")
    return name, properties


def _candidate_v1(reconciler: Reconciler, candidate: Candidate) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": candidate.entity.iri,
        "name": candidate.name,
        "score": candidate.score,
        "match": candidate.match,
        "type": _types_json(reconciler, candidate),
        "features": [{"id": f, "name": n, "value": v} for f, n, v in candidate.features],
    }
    if candidate.lang:
        item["lang"] = candidate.lang
    if candidate.description:
        item["description"] = candidate.description
    return item


@bp.post(f"{V1}/extend")
def extend_v1() -> Response:
    ids, properties = _extension_query(_json_body())
    reconciler = _reconciler()
    meta = [{"id": pid, "name": PROPERTIES[pid][0]["en"]} for pid in properties]
    rows = []
    for ident in ids:
        entity = reconciler.entity_of(ident)
        rows.append(
            {
                "id": ident,
                "properties": [
                    {"id": pid, "values": reconciler.values(entity, pid) if entity else []}
                    for pid in properties
                ],
            }
        )
    return _json({"meta": meta, "rows": rows})


@bp.get(f"{V1}/extend/propose")
def propose_v1() -> Response:
    reconciler = _reconciler()
    type_id = request.args.get("type")
    properties = reconciler.propose(type_id, _limit(request.args.get("limit"), 10))
    return _json({"type": type_id or "", "properties": properties})


# ------------------------------------------------------------------ CORS everywhere


@bp.before_app_request
def preflight() -> Response | None:
    """CORS preflight for every /reconcile path (the 1.0 draft POSTs JSON, which asks)."""
    if request.method != "OPTIONS" or not _ours(request.path):
        return None
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = request.headers.get(
        "Access-Control-Request-Headers", "Content-Type, Accept"
    )[:200]
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _ours(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


@bp.after_app_request
def cors(response: Response) -> Response:
    """Every /reconcile response, errors included, may be read by any origin."""
    if _ours(request.path):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.setdefault("Access-Control-Expose-Headers", "Content-Type")
    return response
