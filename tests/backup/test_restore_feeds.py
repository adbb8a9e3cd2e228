"""Notes and links on feed articles come back on the same articles in a library where the
feed has another id (feed article keys hold the feed's id). Feeds served from 127.0.0.1."""
from __future__ import annotations

from store.backup import restore_backup, write_backup
from store.feeds.lists import Subscription
from store.library import Library
from tests.feeds.conftest import Route, item, rss, server  # noqa: F401  (the fixture)


def test_a_note_on_a_feed_article_stays_on_it_when_the_feed_id_differs(lib, server, tmp_path):  # noqa: F811
    server.routes["/x.xml"] = Route(rss([item(1), item(2)]))
    server.routes["/z.xml"] = Route(rss([item(7)], title="Other"))
    lib.feeds.subscribe(Subscription(server.url("/x.xml")))
    lib.feeds.fetch()
    a, b = [r[0] for r in lib.db.conn.execute("SELECT id FROM articles ORDER BY id")]
    lib.notes.add(a, quote="rail strike", body="on the strike")
    lib.related.link(a, b, note="same strike")
    write_backup(lib, tmp_path / "b.json")
    with Library(tmp_path / "other.db") as other:
        other.feeds.subscribe(Subscription(server.url("/z.xml")))  # takes id 1 here
        restore_backup(other, tmp_path / "b.json")
        other.feeds.fetch(force=True)
        assert other.stats()["articles"] == 3  # X's two articles and Z's one: no copies
        noted = other.notes.list()[0].article_id
        assert other.article(noted)["guid"] == "id-1"
        assert [r["kind"] for r in other.related.for_article(noted)] == ["user"]
