"""newsboat `query:` feeds become saved searches; what has no translation is named."""
from __future__ import annotations

import pytest

from store.search.newsboat import Untranslatable, translate


@pytest.mark.parametrize("expr, query", [
    ('unread = "yes"', "is:unread"),
    ('unread = "no"', "is:read"),
    ('unread = "yes" and tags # "news"', "is:unread #news"),
    ('title =~ "putin" or content =~ "kremlin talks"', 'title:putin OR "kremlin talks"'),
    ('age < 7 and feedtitle = "BBC News"', 'since:7d feed:"BBC News"'),
    ('author != "Bob"', "-author:Bob"),
    ('( unread = "yes" )', "is:unread"),
])
def test_translations(expr, query):
    assert translate(expr) == query


@pytest.mark.parametrize("expr, why", [
    ('title =~ "^foo.*"', "regular expression"),
    ('flags # "s"', "no margin equivalent"),
    ('(unread = "yes") or tags # "x"', "parentheses"),
    ('unread = "yes" or tags # "x"', "'or' between filters"),
    ("unread =", "cannot read"),
])
def test_untranslatable_filters_say_why(expr, why):
    with pytest.raises(Untranslatable, match=why):
        translate(expr)


def test_import_saves_translatable_queries_and_names_the_rest(lib, tmp_path):
    urls = tmp_path / "urls"
    urls.write_text('http://a.test/rss tech\n"query:Unread news:unread = \\"yes\\" and tags # \\"news\\""\n'
                    '"query:Starred:flags # \\"s\\""\n')
    result = lib.feeds.import_file(urls)
    assert result["searches"] == [{"name": "Unread news", "query": "is:unread #news"}]
    assert [(s.name, s.query) for s in lib.saved_searches()] == [("Unread news", "is:unread #news")]
    assert result["problems"] == [
        ("line 3", "query feed 'Starred' not imported: 'flags # \"s\"' has no margin equivalent")]
    again = lib.feeds.import_file(urls)  # importing twice does not save twice
    assert again["searches"] == [] and len(lib.saved_searches()) == 1
