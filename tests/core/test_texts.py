import string

import pytest

from nudgebot.core.content import LANGUAGES
from nudgebot.core.texts import CATALOGUE


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_text_exists_in_every_language_with_the_same_placeholders(key):
    texts = CATALOGUE[key]
    assert set(texts) == set(LANGUAGES)
    fields = {
        lang: {name for _, name, _, _ in string.Formatter().parse(text) if name}
        for lang, text in texts.items()
    }
    assert fields["nl"] == fields["en"]
    assert all(text.strip() for text in texts.values())
