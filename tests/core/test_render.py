import pytest

from nudgebot.core.actions import NudgeAnswer, parse_action
from nudgebot.core.content import ARTICLE, Kind
from nudgebot.core.numbers import MAX_ID
from nudgebot.core.outbound import MAX_ACTION_BYTES
from nudgebot.core.render import render_answered, render_item


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_efsa_caution_is_shown_exactly_where_the_article_has_one(pack, lang):
    for item in pack.items:
        message = render_item(pack, item, lang, delivery_id=1)
        assert ("EFSA" in (message.caution or "")) == item.efsa_unconfirmed, item.id


@pytest.mark.parametrize(("lang", "word"), [("nl", "arts"), ("en", "doctor")])
def test_the_doctor_line_is_shown_exactly_where_a_caution_holds_it(pack, lang, word):
    flagged = [item for item in pack.items if item.live_culture_caution]
    assert flagged
    for item in pack.items:
        caution = render_item(pack, item, lang, delivery_id=1).caution or ""
        wanted = item.live_culture_caution or item.probiotic_caution
        assert (word in caution) == wanted, item.id
        assert caution.count(word) <= 1, item.id


def test_an_item_with_both_cautions_shows_both_on_their_own_lines(pack):
    item = pack.of_kind(Kind.CHALLENGE)[0].model_copy(
        update={"efsa_unconfirmed": True, "live_culture_caution": True}
    )

    caution = render_item(pack, item, "en", delivery_id=1).caution

    assert caution is not None
    efsa, live = caution.split("\n")
    assert "EFSA" in efsa and "doctor" in live


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_nudge_names_its_sources_in_the_order_cited(pack, lang):
    for item in pack.items:
        links = render_item(pack, item, lang, delivery_id=1).links
        assert len(links) == len(item.refs) + len(item.guidance), item.id
        for guide, link in zip(item.guidance, links[len(item.refs) :], strict=True):
            assert link.url == pack.guidance[guide].url
        for ref, link in zip(item.refs, links, strict=False):
            if ref == ARTICLE:
                assert link.url is None and pack.article is not None
                assert pack.article.words(lang).title in link.label
            else:
                assert link.url == pack.references[ref].url


def test_buttons_fit_the_kind_and_telegrams_callback_limit(pack):
    expected = {Kind.TIP: ["ok"], Kind.CHALLENGE: ["done"], Kind.MYTH: ["myth", "fact"]}
    for item in pack.items:
        buttons = render_item(pack, item, "en", delivery_id=MAX_ID).buttons
        parsed = [parse_action(b.action) for b in buttons]
        answers = [p.answer for p in parsed if isinstance(p, NudgeAnswer)]
        assert answers == expected[item.kind]
        assert all(len(b.action.encode()) <= MAX_ACTION_BYTES for b in buttons)


def test_a_myth_answer_says_whether_you_were_right(pack):
    myth = pack.of_kind(Kind.MYTH)[0]
    right = render_answered(pack, myth, "en", answer=myth.verdict.value, result_line="ok")
    wrong_answer = "fact" if myth.verdict.value == "myth" else "myth"
    wrong = render_answered(pack, myth, "en", answer=wrong_answer, result_line="ok")
    assert "Well spotted!" in right.text
    assert "Not quite." in wrong.text
    assert myth.words("en").explanation in right.text
    assert right.buttons == ()
