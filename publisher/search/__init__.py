"""Search: text analysis (Voikko for Finnish, Snowball for Swedish and English), the
staged FTS5 query with typo correction, shared by the site's search, /offerings?q= and
/reconcile. The index it searches is written by ``publisher.siteindex``."""

from publisher.search.analysis import Analyser, QueryWord, default_analyser, fold, query_words
from publisher.search.engine import Hit, Outcome, SearchEngine

__all__ = [
    "Analyser",
    "Hit",
    "Outcome",
    "QueryWord",
    "SearchEngine",
    "default_analyser",
    "fold",
    "query_words",
]
