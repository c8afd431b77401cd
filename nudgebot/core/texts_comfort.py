"""The catalogue's comfort sentences: the console, the guided set-up, and the rough edges.

Kept apart from :mod:`nudgebot.core.texts` only to keep each file short; :func:`say`
reads them as one catalogue, and the same test checks every key has nl and en.
"""

from __future__ import annotations

from typing import Final

from nudgebot.core.content import Lang

COMFORT_TEXTS: Final[dict[str, dict[Lang, str]]] = {
    "console_hello": {
        "nl": "nudgebot in je terminal. Typ /start om je aan te melden, /help voor de "
        "commando's, /quit om weg te gaan.",
        "en": "nudgebot in your terminal. Type /start to subscribe, /help for the commands, "
        "/quit to leave.",
    },
    "console_back": {
        "nl": "nudgebot in je terminal. Fijn dat je er weer bent: /today voor de nudge van "
        "vandaag, /settings voor je instellingen, /quit om weg te gaan.",
        "en": "nudgebot in your terminal. Welcome back: /today for today's nudge, /settings "
        "for your settings, /quit to leave.",
    },
    "console_bye": {
        "nl": "Tot ziens! Alles blijft bewaard; start nudgebot opnieuw om verder te gaan.",
        "en": "Bye! Everything is kept; start nudgebot again to carry on.",
    },
    "console_quit_help": {
        "nl": "/quit – weggaan (of Ctrl-D); je aanmelding blijft bewaard",
        "en": "/quit – leave (or Ctrl-D); your subscription is kept",
    },
    "setup_not_an_answer": {
        "nl": "'{value}' past niet bij deze vraag. Kies een knop of typ een antwoord zoals "
        "hieronder.",
        "en": "'{value}' doesn't answer this question. Pick a button or type an answer as below.",
    },
    "bare_value_hint": {
        "nl": "Wil je iets wijzigen? Typ het commando erbij, bijvoorbeeld /time 7.45pm of "
        "/tz Lissabon. /settings toont alles.",
        "en": "Want to change something? Type the command with it, e.g. /time 7.45pm or "
        "/tz Lisbon. /settings shows everything.",
    },
    "ask_language_again": {
        "nl": "Welke taal wil je? Typ nl of en, of kies een knop.",
        "en": "Which language would you like? Type nl or en, or pick a button.",
    },
    "record": {"nl": "regel", "en": "record"},
    "records": {"nl": "regels", "en": "records"},
    "today_unsubscribed": {
        "nl": "Je bent afgemeld, dus er komen geen nudges. Stuur /start om weer mee te doen; "
        "je reeks is bewaard.",
        "en": "You're unsubscribed, so no nudges come. Send /start to join again; your "
        "streak history is kept.",
    },
    "summary_day_moved": {
        "nl": "Op {day} krijg je geen nudge ({pace}), dus het weekoverzicht komt in je nudge "
        "van {shown}.",
        "en": "You get no nudge on {day} ({pace}), so your weekly summary comes with "
        "{shown}'s nudge.",
    },
}

__all__ = ["COMFORT_TEXTS"]
