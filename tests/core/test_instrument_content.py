"""Loading and validating the instrument files; broken files are refused by file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.rules_folder import edit
from tsbplace.content import ContentError
from tsbplace.i18n import pick
from tsbplace.instruments import installed_instruments, load_instruments


def test_the_copy_loads_like_the_installed_instruments(rules_copy: Path) -> None:
    assert load_instruments(rules_copy) == installed_instruments()


def test_every_instrument_names_its_sources_and_both_languages() -> None:
    for instrument in installed_instruments():
        assert len(instrument.citation) > 20, instrument.id
        assert all(len(band_set.source) > 20 for band_set in instrument.band_sets), instrument.id
        texts = [instrument.title, instrument.licence, instrument.item_text, instrument.prorate_note]
        texts += [item.label for item in instrument.items]
        texts += [value.label for item in instrument.items for value in item.values]
        texts += [band.label for bs in instrument.band_sets for band in bs.bands]
        texts += [band.label for bs in instrument.band_sets for bands in bs.by_sex.values() for band in bands]
        texts += [flag.action for flag in instrument.flags] + [sub.label for sub in instrument.subscores]
        assert all(set(text) == {"nb", "en"} for text in texts), instrument.id
        assert "official" in pick(instrument.item_text, "en"), instrument.id


def test_ciwa_ar_documents_the_boundary_choice() -> None:
    ciwa = next(i for i in installed_instruments() if i.id == "ciwa_ar")
    va = ciwa.band_set("va-camcops")
    assert va.note is not None and "8–14" in pick(va.note, "en")
    assert "ciwa.py" in va.source


BROKEN = [
    # (file, old text, new text, expected "file: key", expected words in the message)
    ("phq9.toml", "{ min = 10, max = 14", "{ min = 11, max = 14",
     "instruments/phq9.toml: band_sets.kroenke-2001.bands[2].min", "gap after the band before: 10"),
    ("phq9.toml", "{ min = 5, max = 9", "{ min = 5, max = 10",
     "instruments/phq9.toml: band_sets.kroenke-2001.bands[2].min", "overlaps the band before"),
    ("phq9.toml", 'item = "q9"', 'item = "q19"',
     "instruments/phq9.toml: flag[0].item", "unknown item 'q19'"),
    ("cows.toml", '{ value = 4, label = { nb = "over 120"', '{ value = 2, label = { nb = "over 120"',
     "instruments/cows.toml: item[0].values", "permitted value 2 is listed twice"),
    ("gad7.toml", 'label = { nb = "Rastløs", en = "Restless" }', 'label = { nb = "Rastløs" }',
     "instruments/gad7.toml: item[4].label", "'en' is a required property"),
    ("audit.toml", 'title.nb = "AUDIT – alkoholbruk"', 'title.nb = "AUDIT – alkoholbruk',
     "instruments/audit.toml", "not valid TOML"),
    ("dudit.toml", "{ min = 2, max = 24", "{ min = 3, max = 24",
     "instruments/dudit.toml: band_sets.berman-2005.by_sex.female[1].min", "gap after the band before: 2"),
    ("hscl10.toml", "{ min = 1.85, max = 4", "{ min = 1.95, max = 4",
     "instruments/hscl10.toml: band_sets.strand-2003.bands[1].min", "gap after the band before: 1.9"),
    ("ciwa_ar.toml", 'default_band_set = "va-camcops"', 'default_band_set = "va"',
     "instruments/ciwa_ar.toml: scoring.default_band_set", "unknown threshold set 'va'"),
    ("audit.toml", "range = { min = 0, max = 40 }", "range = { min = 0, max = 41 }",
     "instruments/audit.toml: scoring.range.max", "the items give 40"),
    ("audit.toml", 'items = ["q4", "q5", "q6"]', 'items = ["q4", "q5", "q16"]',
     "instruments/audit.toml: subscore[1].items[2]", "unknown item 'q16'"),
    ("phq9.toml", 'scale = "frequency"', 'scale = "frequenzy"',
     "instruments/phq9.toml: item[0].scale", "unknown scale 'frequenzy'"),
    ("phq9.toml", "min_value = 1", "min_value = 4",
     "instruments/phq9.toml: flag[0].min_value", "can never fire"),
    ("audit.toml", "prorate = false", "prorate = true",
     "instruments/audit.toml: scoring.prorate", "False was expected"),
    ("cows.toml", "{ min = 37, max = 48, severity = 4", "{ min = 37, max = 48, severity = 2",
     "instruments/cows.toml: band_sets.wesson-ling-2003.bands[4].severity", "lower than in the band before"),
    ("cows.toml", "{ min = 37, max = 48", "{ min = 37, max = 47",
     "instruments/cows.toml: band_sets.wesson-ling-2003.bands[4].max", "must be 48"),
    ("gad7.toml", 'id = "gad7"', 'id = "gad_7"', "instruments/gad7.toml: id", "file name"),
    ("gad7.toml", 'short_name = "GAD-7"', 'short_name = "GAD-7"\nshort_title = "GAD"',
     "instruments/gad7.toml", "'short_title' was unexpected"),
]


@pytest.mark.parametrize(("file", "old", "new", "where", "words"), BROKEN,
                         ids=[f"{b[0]}: {b[4]}" for b in BROKEN])
def test_broken_instrument_is_refused_naming_file_and_key(
    rules_copy: Path, file: str, old: str, new: str, where: str, words: str
) -> None:
    edit(rules_copy / "instruments" / file, old, new)
    with pytest.raises(ContentError) as raised:
        load_instruments(rules_copy)
    assert any(str(p).startswith(where) and words in p.message for p in raised.value.problems), (
        f"expected a problem at {where!r} with {words!r}, got:\n{raised.value}"
    )


def test_every_problem_in_every_file_is_listed(rules_copy: Path) -> None:
    edit(rules_copy / "instruments" / "phq9.toml", 'item = "q9"', 'item = "q19"')
    edit(rules_copy / "instruments" / "gad7.toml", "{ min = 10, max = 14", "{ min = 9, max = 14")
    with pytest.raises(ContentError) as raised:
        load_instruments(rules_copy)
    files = {problem.file for problem in raised.value.problems}
    assert files == {"instruments/phq9.toml", "instruments/gad7.toml"}


def test_a_missing_or_empty_folder_is_refused(rules_copy: Path) -> None:
    for node in (rules_copy / "instruments").iterdir():
        node.unlink()
    with pytest.raises(ContentError, match=r"instruments: no instrument files found"):
        load_instruments(rules_copy)
    (rules_copy / "instruments").rmdir()
    with pytest.raises(ContentError, match=r"instruments: folder not found"):
        load_instruments(rules_copy)


def test_the_hash_follows_the_data_not_the_comments(rules_copy: Path) -> None:
    original = {i.id: i.content_hash for i in load_instruments(rules_copy)}
    edit(rules_copy / "instruments" / "phq9.toml", "# PHQ-9: depression severity.", "# PHQ-9 (edited).")
    assert {i.id: i.content_hash for i in load_instruments(rules_copy)} == original
    edit(rules_copy / "instruments" / "phq9.toml", "{ min = 5, max = 9", "{ min = 5, max = 8")
    edit(rules_copy / "instruments" / "phq9.toml", "{ min = 10, max = 14", "{ min = 9, max = 14")
    changed = {i.id: i.content_hash for i in load_instruments(rules_copy)}
    assert changed["phq9"] != original["phq9"]
    assert changed["gad7"] == original["gad7"]
