"""publiccode.yml: validation against the standard, import into our source format, export.

* ``validate`` — check a file against the standard (0.2 … 0.7), with key, rule and line;
* ``to_source`` — turn a valid file into an offering and supplier in our source format;
* ``importer`` — the ``avoinkunta import publiccode`` command's work (files → data/);
* ``export`` — an offering as publiccode.yml 0.7 and as CodeMeta JSON-LD.
"""
