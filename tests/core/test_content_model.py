import pytest

from nudgebot.core.content import Reference


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        pytest.param("Quick, M.", "Quick (2015)", id="one"),
        pytest.param("Mah, J. & Pitre, T.", "Mah & Pitre (2015)", id="two"),
        pytest.param(
            "Foster, J.A. & McVey Neufeld, K.-A.",
            "Foster & McVey Neufeld (2015)",
            id="two-compound",
        ),
        pytest.param("Li, L., Hong, K., Sun, Q., & Li, C.", "Li et al. (2015)", id="many"),
        pytest.param("Hill, C., Guarner, F., et al.", "Hill et al. (2015)", id="et-al"),
    ],
)
def test_sources_are_named_as_a_reader_expects(authors, expected):
    ref = Reference(
        number=1, authors=authors, year=2015, title="t", journal="j", citation="1", doi="10.1000/x"
    )
    assert ref.short == expected
    assert ref.url == "https://doi.org/10.1000/x"
