"""The catalogue's habit sentences (streaks, frequency, re-engagement, summary, series).

Kept apart from :mod:`nudgebot.core.texts` only to keep each file short; :func:`say`
reads both as one catalogue, and the same test checks every key has nl and en.
"""

from __future__ import annotations

from typing import Final

from nudgebot.core.content import Lang

HABIT_TEXTS: Final[dict[str, dict[Lang, str]]] = {
    "streak": {
        "nl": "🔥 Reeks: {current} {days_current}. Beste ooit: {best} {days_best}.\n"
        "🧊 Bevriezingen: {freezes} van {max_freezes} (één per 7 beantwoorde nudges op rij; "
        "een gemiste nudge gebruikt er een).\n"
        "Laatste 14 dagen: {marks}\n"
        "✅ beantwoord · ❌ gemist · ▫️ staat nog open · · geen nudge",
        "en": "🔥 Streak: {current} {days_current}. Best ever: {best} {days_best}.\n"
        "🧊 Freezes: {freezes} of {max_freezes} (one per 7 answered nudges in a row; a "
        "missed nudge uses one).\n"
        "Last 14 days: {marks}\n"
        "✅ answered · ❌ missed · ▫️ still open · · no nudge",
    },
    "freeze_used": {
        "nl": "🧊 Je reeks is veilig: {used} bevriezing gebruikt, {left} over.",
        "en": "🧊 Your streak is safe: {used} freeze used, {left} left.",
    },
    "freeze_earned": {
        "nl": "🧊 Bevriezing verdiend ({held} op zak).",
        "en": "🧊 Streak freeze earned ({held} held).",
    },
    "milestone": {
        "nl": "🎉 {current} {days} op rij! Volgend doel: {next}.",
        "en": "🎉 {current} {days} in a row! Next goal: {next}.",
    },
    "pace_daily": {"nl": "elke dag", "en": "every day"},
    "pace_weekdays": {"nl": "op werkdagen", "en": "on weekdays"},
    "pace_thrice": {
        "nl": "drie keer per week (ma, wo, vr)",
        "en": "three times a week (Mon, Wed, Fri)",
    },
    "ask_often": {
        "nl": "En hoe vaak wil je een nudge? Je kunt het later wijzigen met /often.",
        "en": "And how often would you like a nudge? You can change it later with /often.",
    },
    "button_daily": {"nl": "Elke dag", "en": "Every day"},
    "button_weekdays": {"nl": "Werkdagen", "en": "Weekdays"},
    "button_thrice": {"nl": "3× per week", "en": "3× a week"},
    "button_keep_pace": {"nl": "Zo houden ({pace})", "en": "Keep it {pace}"},
    "button_stop": {"nl": "Stoppen", "en": "Stop"},
    "often_set": {
        "nl": "Goed: vanaf nu {pace}. Je volgende nudge komt {first}.",
        "en": "Done: nudges {pace} from now on. Your next nudge comes {first}.",
    },
    "bad_often": {
        "nl": "Kies hoe vaak: /often daily (elke dag), /often weekdays (werkdagen) of "
        "/often 3x (ma, wo, vr).",
        "en": "Choose how often: /often daily, /often weekdays or /often 3x (Mon, Wed, Fri).",
    },
    "day_off": {
        "nl": "Vandaag is een vrije dag in je schema ({pace}). Je volgende nudge komt {first}.",
        "en": "Today is a day off in your schedule ({pace}). Your next nudge comes {first}.",
    },
    "reengage_ask": {
        "nl": "Je hebt een tijdje niet gereageerd, en dat is oké. Zal ik {pace} blijven "
        "komen, drie keer per week, of stoppen?",
        "en": "You haven't answered for a while, and that's fine. Shall I keep coming "
        "{pace}, come three times a week, or stop?",
    },
    "reengage_switched": {
        "nl": "Ik kom voortaan drie keer per week (ma, wo, vr), zodat ik je niet overspoel. "
        "Met /often daily krijg je weer elke dag een nudge.",
        "en": "From now on I'll come three times a week (Mon, Wed, Fri) so I don't crowd "
        "you. /often daily brings daily nudges back.",
    },
    "reengage_kept": {
        "nl": "Fijn dat je er nog bent! Je nudges blijven komen: {pace}.",
        "en": "Glad you're still here! Your nudges keep coming {pace}.",
    },
    "weekly_summary": {
        "nl": "📊 Jouw week: {answered} van {received} nudges beantwoord · reeks {streak} "
        "{days} · mythes goed: {right} van {myths}.\nVolgende week proberen: {suggestion}",
        "en": "📊 Your week: {answered} of {received} nudges answered · streak {streak} "
        "{days} · myths right: {right} of {myths}.\nNext week, try: {suggestion}",
    },
    "weekday_names": {
        "nl": "maandag,dinsdag,woensdag,donderdag,vrijdag,zaterdag,zondag",
        "en": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    },
    "summary_day_set": {
        "nl": "Het weekoverzicht staat voortaan in je nudge van {day} (of van de laatste "
        "nudgedag daarvoor in die week).",
        "en": "Your weekly summary now comes with {day}'s nudge (or the last nudge day before "
        "it that week).",
    },
    "bad_summary_day": {
        "nl": "Kies een dag, bijvoorbeeld /summary zo of /summary vrijdag.",
        "en": "Choose a day, for example /summary sun or /summary friday.",
    },
    "try_series": {"nl": "de {title} (/challenge)", "en": "the {title} (/challenge)"},
    "try_anything": {"nl": "een nieuwe uitdaging", "en": "a new challenge"},
    "series_day": {"nl": "dag {n} van {total}", "en": "day {n} of {total}"},
    "series_finished": {
        "nl": "🏅 Je hebt de {title} afgerond! Een mijlpaal.",
        "en": "🏅 You finished the {title}! That's a milestone.",
    },
    "challenge_list": {
        "nl": "Meerdaagse uitdagingen: elke nudge is een stap, en een gemiste dag wacht "
        "gewoon op je.",
        "en": "Multi-day challenges: each nudge is one step, and a missed day simply waits "
        "for you.",
    },
    "challenge_entry": {
        "nl": "• {title} ({total} dagen): {intro}",
        "en": "• {title} ({total} days): {intro}",
    },
    "challenge_on_day": {"nl": "  ▶️ Je bent bij dag {n}.", "en": "  ▶️ You're on day {n}."},
    "challenge_done_before": {"nl": "  🏅 Al eens afgerond.", "en": "  🏅 Finished before."},
    "button_join": {"nl": "Meedoen: {title}", "en": "Join: {title}"},
    "button_leave": {"nl": "Stoppen met {title}", "en": "Leave {title}"},
    "challenge_joined": {
        "nl": "Je doet mee met de {title}! Dag 1 komt met je volgende nudge, {first}.",
        "en": "You've joined the {title}! Day 1 comes with your next nudge, {first}.",
    },
    "challenge_already": {
        "nl": "Je doet al mee met de {title}; dag {n} van {total} komt hierna.",
        "en": "You're already doing the {title}; day {n} of {total} is next.",
    },
    "challenge_left": {
        "nl": "Je bent gestopt met de {title}. Vanaf de volgende nudge krijg je weer de gewone.",
        "en": "You left the {title}. Your usual nudges are back from the next one.",
    },
    "challenge_unknown": {
        "nl": "Die uitdaging ken ik niet. Stuur /challenge voor de lijst.",
        "en": "I don't know that challenge. Send /challenge for the list.",
    },
    "series_step_done": {
        "nl": "✅ Dag {n} van {total} gedaan! Reeks: {current} {days}.",
        "en": "✅ Day {n} of {total} done! Streak: {current} {days}.",
    },
}
