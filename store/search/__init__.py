"""Search: the query language of DESIGN §5 compiled to parameterised SQL over FTS5."""
from store.search.engine import count, search
from store.search.hits import SearchHit
from store.search.parser import Query, parse

__all__ = ["Query", "SearchHit", "count", "parse", "search"]
