"""The web layer's blueprints, registered in this order by ``publisher.app.create_app``."""

from flask import Blueprint

from publisher.views import (
    catalog,
    compare,
    cors,
    discovery,
    dumps,
    errorpages,
    federation,
    feed,
    health,
    home,
    reconcile,
    resources,
    statistics,
    vocabulary,
    wellknown,
)

BLUEPRINTS: list[Blueprint] = [
    cors.bp,  # first: it answers CORS preflights before any view
    errorpages.bp,
    health.bp,
    dumps.bp,
    feed.bp,
    federation.bp,
    reconcile.bp,
    catalog.bp,
    discovery.bp,  # before home: its /search replaces home's
    compare.bp,
    statistics.bp,
    home.bp,
    resources.bp,
    vocabulary.bp,
    wellknown.bp,
]
