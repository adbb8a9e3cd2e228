import json

from hypothesis import given, settings
from hypothesis import strategies as st

from store.plaintext import parse_plaintext
from tests.conftest import SEED, SEED_EXPECTED


def seed_doc():
    return parse_plaintext(SEED.read_text(encoding="utf-8"))


def test_seed_article_is_read_as_its_expected_json_says():
    expected = json.loads(SEED_EXPECTED.read_text())
    doc = seed_doc()
    assert doc.title == expected["title"]
    assert doc.source == expected["source"]
    assert doc.aggregator == expected["aggregator"]
    assert doc.body.startswith(expected["body_starts_with"])
    assert doc.body.endswith(expected["body_ends_with"])
    for fragment in expected["body_must_not_contain"]:
        assert fragment not in doc.body
    headings = [doc.block_text(b) for b in doc.blocks if b.kind == "heading"]
    assert headings == expected["headings"]
    assert sum(b.kind == "paragraph" for b in doc.blocks) == expected["paragraph_count"]
    assert len(doc.blocks) == expected["block_count"]
    assert doc.trailer.startswith(expected["trailer_starts_with"])
    assert "MENAFN provides the information" in doc.trailer


def test_title_blank_line_paragraphs_shape():
    doc = parse_plaintext("Storm hits coast\n\nFirst paragraph here.\n\nSecond one follows.\n")
    assert doc.title == "Storm hits coast"
    assert [doc.block_text(b) for b in doc.blocks] == ["First paragraph here.", "Second one follows."]
    assert doc.body == "First paragraph here.\n\nSecond one follows."


def test_hard_wrapped_lines_are_joined_into_one_paragraph():
    doc = parse_plaintext("Title\n\nThis line is wrapped\nhard at forty columns and a well-\nknown word.\n")
    assert doc.body == "This line is wrapped hard at forty columns and a well-known word."


def test_crlf_cr_and_bom_read_like_lf():
    lf = parse_plaintext("Title\n\nOne para.\n\nTwo para.\n")
    assert parse_plaintext("\ufeffTitle\r\n\r\nOne para.\r\n\r\nTwo para.\r\n") == lf
    assert parse_plaintext("Title\r\rOne para.\r\rTwo para.\r") == lf


def test_escape_sequences_and_controls_are_removed_from_everything_stored():
    doc = parse_plaintext("Ti\x1b[31mtle\x07\n\nBody \x1b]0;pwned\x07with\x00 bell\x1b[0m.\n")
    assert doc.title == "Title"
    assert doc.body == "Body with bell."


def test_metadata_block_under_title_gives_date_and_author():
    doc = parse_plaintext("Title\n\nBy Jane Roe\nDate: 2015-11-27\n\nText of the piece.\n")
    assert doc.author == "Jane Roe"
    assert doc.published_at.isoformat() == "2015-11-27T00:00:00+00:00"
    assert doc.body == "Text of the piece."


def test_unknown_shape_first_line_is_title_rest_paragraphs():
    doc = parse_plaintext("just some words\nand more words on the next line\n")
    assert doc.title == "just some words"
    assert doc.body == "and more words on the next line"


def test_lists_quotes_and_indented_code_become_their_blocks():
    doc = parse_plaintext(
        "Title\n\nIntro paragraph.\n\n- first item\n- second item\n\n> a quoted\n> passage\n\n"
        "    print('hi')\n    x = 1\n\nClosing words.\n"
    )
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["paragraph", "list_item", "list_item", "quote", "code", "paragraph"]
    assert doc.block_text(doc.blocks[3]) == "a quoted passage"
    assert doc.block_text(doc.blocks[4]) == "print('hi')\nx = 1"


def test_a_closing_sentence_without_period_is_not_a_heading():
    doc = parse_plaintext("Title\n\nFirst paragraph.\n\nThe end\n")
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]


def test_disclaimer_in_the_middle_of_an_article_stays_in_the_body():
    paras = "\n\n".join(f"Paragraph number {i}." for i in range(10))
    doc = parse_plaintext(f"Title\n\nDisclaimer: this is content.\n\n{paras}\n")
    assert "Disclaimer: this is content." in doc.body
    assert doc.trailer is None


texts = st.text(
    alphabet=st.sampled_from(list("ab cD.\n\n\r\t-#>*1:()\x1b[\u00e9\U0001f600\ufeff")), max_size=400
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_every_block_slices_the_body_exactly_and_blocks_are_separated_by_blank_lines(text):
    doc = parse_plaintext(text)
    pos = 0
    for i, block in enumerate(doc.blocks):
        assert 0 <= block.start < block.end <= len(doc.body)
        assert block.start == pos + (2 if i else 0)
        if i:
            assert doc.body[pos:block.start] == "\n\n"
        piece = doc.body[block.start:block.end]
        assert piece.strip() and "\x1b" not in piece
        pos = block.end
    assert pos == len(doc.body)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_importing_is_deterministic_and_never_crashes(text):
    assert parse_plaintext(text) == parse_plaintext(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n\t[0;m]\x1b\x07\x00\x7f\x85\x9b\x9d\x9c\u202e\u2066\ud800\u00e9")),
               max_size=60))
def test_control_stripping_removes_the_same_as_the_full_passes_whatever_the_text(text):
    from store.document import _BIDI, _CONTROLS, _ESCAPES, strip_controls

    # The single-scan shortcut for clean text must never change what is stripped.
    assert strip_controls(text) == _CONTROLS.sub("", _ESCAPES.sub("", text).translate(_BIDI))
