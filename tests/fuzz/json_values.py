"""Arbitrary JSON, and JSON shaped enough like Telegram and Slack payloads to get past
the first checks and reach the handlers."""

from __future__ import annotations

from hypothesis import strategies as st

short_text = st.text(st.characters(codec="utf-8"), max_size=24)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | short_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(short_text, children, max_size=4)
    ),
    max_leaves=16,
)
ids = st.one_of(st.integers(-(2**40), 2**40), st.just(4711), short_text)

telegram_chat = st.fixed_dictionaries(
    {"id": ids, "type": st.sampled_from(["private", "group", "supergroup", "channel", "x"])}
)
telegram_user = st.fixed_dictionaries(
    {"id": ids, "is_bot": st.booleans(), "first_name": short_text},
    optional={"language_code": st.sampled_from(["en", "nl", "", "zz-ZZ"])},
)
telegram_message = st.fixed_dictionaries(
    {"message_id": ids, "date": st.integers(0, 2**31), "chat": telegram_chat | json_values},
    optional={
        "text": st.one_of(short_text, st.sampled_from(["/start", "/pause ²", "/tz x"])),
        "from": telegram_user | json_values,
        "entities": st.lists(
            st.fixed_dictionaries(
                {"type": st.just("bot_command"), "offset": st.integers(-2, 8), "length": ids}
            ),
            max_size=2,
        ),
    },
)
telegram_updates = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"update_id": st.integers(0, 2**31)},
        optional={
            "message": telegram_message | json_values,
            "callback_query": st.fixed_dictionaries(
                {"id": short_text, "from": telegram_user, "chat_instance": short_text},
                optional={"data": short_text, "message": telegram_message | json_values},
            )
            | json_values,
            "my_chat_member": json_values,
        },
    ),
)

slack_payloads = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["block_actions", "event_callback", "view_submission", "url_verification", "x"]
            )
        },
        optional={
            "team_id": st.sampled_from(["T1", "", "T9"]) | json_values,
            "user_id": st.sampled_from(["U1", ""]) | json_values,
            "user": st.fixed_dictionaries({"id": st.sampled_from(["U1", "U2"])}) | json_values,
            "team": st.fixed_dictionaries({"id": st.just("T1")}) | json_values,
            "command": st.just("/gutnudge"),
            "text": st.one_of(short_text, st.sampled_from(["pause ²", "tz <#C1|x> san"])),
            "response_url": st.sampled_from(["", "not a url", "http://127.0.0.1:9/x"]),
            "actions": st.lists(
                st.fixed_dictionaries(
                    {"action_id": st.sampled_from(["gutnudge:0", "home_pause", "x"])},
                    optional={"value": short_text, "block_id": short_text},
                ),
                max_size=2,
            )
            | json_values,
            "event": st.fixed_dictionaries(
                {"type": st.sampled_from(["app_home_opened", "message", "x"])},
                optional={"user": short_text, "tab": short_text},
            )
            | json_values,
        },
    ),
)
