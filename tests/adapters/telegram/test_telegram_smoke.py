from __future__ import annotations

ANN = 4711


async def test_start_greets_in_the_users_language(world):
    [welcome] = await world.says(ANN, "/start", language="en")
    assert welcome.startswith("Hi! I'm nudgebot")
    assert world.fake.messages_to(ANN)[0].buttons == ["🇳🇱 Nederlands", "🇬🇧 English"]
