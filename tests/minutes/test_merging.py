"""The pure functions behind a conflict: two texts side by side, and their three-way merge,
on bodies in the HTML subset and on plain text (title, decision clauses, older bodies)."""

from __future__ import annotations

from minutes.drafting.services.merging import is_html, merge_regions, merge_text, side_by_side

MINE, THEIRS = "Din text", "Text av Ann Rilegård"


def merge(base, mine, theirs, **kw):
    return merge_text(base, mine, theirs, mine_label=MINE, theirs_label=THEIRS, **kw)


# --- diff3 on sequences -------------------------------------------------------------------


def test_diff3_regions_tell_one_sided_changes_from_overlapping_ones():
    base = list("abcdefg")
    mine = list("aXcdefg")  # changed b
    theirs = list("abcdeYg")  # changed f
    kinds = [r[0] for r in merge_regions(base, mine, theirs)]
    assert kinds == ["unchanged", "mine", "unchanged", "theirs", "unchanged"]
    both = [r[0] for r in merge_regions(base, list("aXc"), list("aYc"))]
    assert both == ["unchanged", "conflict", "unchanged"]
    same = [r[0] for r in merge_regions(base, list("aXcdefg"), list("aXcdefg"))]
    assert same == ["unchanged", "same", "unchanged"]


# --- plain text -----------------------------------------------------------------------------


def test_plain_text_changes_in_different_places_merge_without_markers():
    base = "Att bevilja 120 tkr.\nAtt återrapportera."
    mine = "Att bevilja 150 tkr.\nAtt återrapportera."
    theirs = "Att bevilja 120 tkr.\nAtt återrapportera i december."
    result = merge(base, mine, theirs, as_html=False)
    assert result.text == "Att bevilja 150 tkr.\nAtt återrapportera i december."
    assert result.conflicts == 0


def test_plain_text_changes_to_the_same_words_keep_both_marked():
    result = merge("Styrelsen beslutar om röd bil.", "Styrelsen beslutar om blå bil.",
                   "Styrelsen beslutar om grön bil.", as_html=False)
    assert result.conflicts == 1
    assert result.text == "Styrelsen beslutar om ⟦Din text: blå⟧ ⟦Text av Ann Rilegård: grön⟧ bil."


def test_a_deletion_against_a_change_is_shown_struck_and_the_change_kept():
    result = merge("Ett två tre", "Ett tre", "Ett TVÅ tre", as_html=False)
    assert result.conflicts == 1
    assert "⟦Din text: (struket)⟧" in result.text and "⟦Text av Ann Rilegård: TVÅ⟧" in result.text


def test_plain_text_merge_keeps_line_breaks_where_both_changed_a_line():
    result = merge("Rad ett\nRad två", "Rad ETT\nRad två", "Rad 1\nRad två", as_html=False)
    assert result.text.endswith("\nRad två")
    assert result.text.count("\n") == 1


def test_one_side_unchanged_gives_the_other_and_an_unknown_base_keeps_both():
    assert merge("a b", "a b", "a c", as_html=False).text == "a c"
    assert merge("a b", "a c", "a b", as_html=False).text == "a c"
    assert merge("a b", "a c", "a c", as_html=False).text == "a c"
    unknown = merge(None, "Förslag A", "Förslag B", as_html=False)
    assert unknown.conflicts >= 1
    assert "A" in unknown.text and "B" in unknown.text


def test_the_plain_side_by_side_escapes_and_marks_words():
    diff = side_by_side("Rad 1\nRad <2> & mer", "Rad 1\nRad 3", as_html=False)
    assert diff.mine == "Rad 1<br>Rad <ins>&lt;2&gt; &amp; mer</ins>"
    assert diff.theirs == "Rad 1<br>Rad <del>3</del>"
    assert diff.differs
    assert not side_by_side("samma", "samma", as_html=False).differs


# --- HTML bodies ----------------------------------------------------------------------------

BASE = "<p>Styrelsen <strong>noterar</strong> informationen.</p><ul><li>Ett</li><li>Två</li></ul><p>Slut.</p>"


def test_is_html_tells_the_subset_from_plain_text():
    assert is_html(BASE)
    assert not is_html("Styrelsen **noterar** informationen.")
    assert not is_html("")


def test_html_changes_in_different_blocks_and_list_items_merge_cleanly():
    mine = BASE.replace("informationen.", "informationen med tack.")
    theirs = BASE.replace("<li>Två</li>", "<li>Två och tre</li>").replace("Slut.", "Slut här.")
    result = merge(BASE, mine, theirs)
    assert result.conflicts == 0
    assert result.text == (
        "<p>Styrelsen <strong>noterar</strong> informationen med tack.</p>"
        "<ul><li>Ett</li><li>Två och tre</li></ul><p>Slut här.</p>"
    )


def test_html_word_changes_in_the_same_block_merge_when_apart():
    base = "<p>Förbundschefen redogör för budgeten och för verksamhetsplanen.</p>"
    mine = "<p>Förbundschefen Catarina redogör för budgeten och för verksamhetsplanen.</p>"
    theirs = "<p>Förbundschefen redogör för budgeten och för verksamhetsplanen 2024.</p>"
    result = merge(base, mine, theirs)
    assert result.text == "<p>Förbundschefen Catarina redogör för budgeten och för verksamhetsplanen 2024.</p>"


def test_html_overlapping_text_changes_are_marked_inline_inside_the_block():
    result = merge("<p>a b c</p>", "<p>a X c</p>", "<p>a Y c</p>")
    assert result.conflicts == 1
    assert result.text == (
        "<p>a <strong>⟦Din text:</strong> X <strong>⟧ ⟦Text av Ann Rilegård:</strong> Y <strong>⟧</strong> c</p>"
    )


def test_html_overlapping_changes_with_formatting_keep_both_blocks_whole():
    base = "<p>Styrelsen noterar informationen.</p><p>Övrigt.</p>"
    mine = "<p>Styrelsen <em>godkänner</em> informationen.</p><p>Övrigt.</p>"
    theirs = "<p>Styrelsen tackar för informationen.</p><p>Övrigt.</p>"
    result = merge(base, mine, theirs)
    assert result.conflicts == 1
    assert result.text == (
        "<p><strong>⟦Din text:</strong></p><p>Styrelsen <em>godkänner</em> informationen.</p>"
        "<p><strong>⟧ ⟦Text av Ann Rilegård:</strong></p><p>Styrelsen tackar för informationen.</p>"
        "<p><strong>⟧</strong></p><p>Övrigt.</p>"
    )


def test_a_merge_loses_no_word_of_either_side():
    base = "<p>Ett två tre fyra fem.</p><ul><li>sex</li><li>sju</li></ul>"
    mine = "<p>Ett TVÅ tre fyra fem.</p><ul><li>sex</li><li>sju</li><li>åtta</li></ul>"
    theirs = "<p>Ett två tre FYRA fem.</p><ul><li>SEX</li><li>sju</li></ul><p>nio</p>"
    text = merge(base, mine, theirs).text
    for word in ("TVÅ", "FYRA", "SEX", "åtta", "nio"):
        assert word in text


def test_html_in_the_typed_text_stays_text_and_scripts_do_not_survive():
    mine = '<p>Se &lt;script&gt;alert(1)&lt;/script&gt; och <a href="javascript:alert(1)">länk</a>.</p>'
    theirs = "<p>Se detta.</p><script>alert(2)</script>"
    diff = side_by_side(mine, theirs)
    assert "<script" not in diff.mine and "<script" not in diff.theirs
    assert "&lt;script&gt;" in diff.mine
    assert "javascript:" not in diff.mine
    merged = merge("<p>Se.</p>", mine, theirs).text
    assert "<script" not in merged and "javascript:" not in merged and "alert(2)" not in merged


def test_the_html_side_by_side_marks_changed_words_and_formatting():
    mine = BASE.replace("informationen.", "informationen med tack.")
    theirs = BASE.replace("<li>Två</li>", "<li>Två och tre</li>")
    diff = side_by_side(mine, theirs)
    assert diff.mine == (
        "<p>Styrelsen <strong>noterar</strong> informationen <ins>med tack</ins>.</p>"
        "<ul><li>Ett</li><li>Två</li></ul><p>Slut.</p>"
    )
    assert diff.theirs == (
        "<p>Styrelsen <strong>noterar</strong> informationen.</p>"
        "<ul><li>Ett</li><li>Två <del>och tre</del></li></ul><p>Slut.</p>"
    )
    bold = side_by_side("<p>Att <strong>bevilja</strong> medel.</p>", "<p>Att bevilja medel.</p>")
    assert bold.mine == "<p>Att <strong><ins>bevilja</ins></strong> medel.</p>"
    assert bold.theirs == "<p>Att <del>bevilja</del> medel.</p>"
