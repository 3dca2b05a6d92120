"""``/reconcile``: the W3C Reconciliation Service API (0.2 and the 1.0 draft) over the
publication's site index, so that OpenRefine and other registries match their names to our
URIs. ``service`` holds the matching, suggest, preview and extension logic (no Flask);
``manifest`` the two manifests; ``publisher/views/reconcile.py`` the HTTP routes."""
