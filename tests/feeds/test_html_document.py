"""HTML from feeds -> Document blocks and links (store/html.py)."""
from __future__ import annotations

from store.html import html_to_document, html_to_parts


def test_blocks_come_out_as_headings_paragraphs_quotes_lists_and_code():
    parts, _ = html_to_parts(
        "<h2>Head</h2><p>One <em>two</em></p><blockquote><p>Said</p></blockquote>"
        "<ol><li>first</li><li>second</li></ol><pre><code class='language-python'>x = 1\n</code></pre>")
    assert parts == [("heading", "Head"), ("paragraph", "One two"), ("quote", "Said"),
                     ("list_item", "first"), ("list_item", "second"), ("code", "x = 1\n", "python")]


def test_a_line_break_reads_as_a_space_in_text_and_a_new_line_in_code():
    parts, _ = html_to_parts("<div>one<br>two</div><p>three<br/>four</p><pre>a = 1<br>b = 2</pre>")
    assert parts == [("paragraph", "one two"), ("paragraph", "three four"), ("code", "a = 1\nb = 2", None)]


def test_scripts_styles_navigation_images_and_comments_are_dropped_with_their_content():
    parts, links = html_to_parts(
        "<nav><a href='/menu'>Menu</a></nav><p>Kept<script>evil()</script><style>p{}</style>"
        "<img src='pixel.gif'><!-- hidden --> text</p><iframe src='x'>frame</iframe>"
        "<pre><code>code<script>no()</script></code></pre>", "http://site.test/")
    assert parts == [("paragraph", "Kept text"), ("code", "code", None)]
    assert links == ([], [])


def test_links_are_resolved_deduplicated_in_order_with_their_anchor_texts():
    _, (links, texts) = html_to_parts(
        "<p><a href='/b'>b</a> <a href='http://other.test/a'>a</a> <a href='/b'>again</a>"
        " <a href='#top'>top</a> <a href='javascript:go()'>js</a> <a href='data:x'>d</a></p>"
        "<ul><li><a href='c'>c</a></li></ul><pre><a href='/in-code'>c</a></pre>", "http://site.test/dir/")
    # javascript: and data: are kept, as written: the reader shows them and never opens them
    assert links == ["http://site.test/b", "http://other.test/a", "javascript:go()", "data:x", "http://site.test/dir/c"]
    assert texts == ["b", "a", "js", "d", "c"]


def test_entities_are_decoded_and_whitespace_collapsed():
    doc = html_to_document("Rock &amp; <b>roll</b>", "<p>caf&eacute;\n   &lt;tag&gt;  &#x263A;</p>")
    assert doc.title == "Rock & roll"
    assert doc.body == "café <tag> ☺"
    assert [(b.kind, doc.body[b.start:b.end]) for b in doc.blocks] == [("paragraph", "café <tag> ☺")]


def test_loose_text_between_blocks_becomes_its_own_paragraph():
    parts, _ = html_to_parts("Intro <b>bold</b><p>Para</p>tail")
    assert parts == [("paragraph", "Intro bold"), ("paragraph", "Para"), ("paragraph", "tail")]
