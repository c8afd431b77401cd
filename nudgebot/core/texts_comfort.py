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
    "settings": {
        "nl": "⚙️ Je instellingen\nTaal: {language}\nTijdzone: {tz}\nTijdstip: {time}\n"
        "Hoe vaak: {pace}\nWeekoverzicht: in de nudge van {summary}\nSoorten: {kinds}\n"
        "Stille uren: {quiet}\nStatus: {status}\n\nKies wat je wilt wijzigen.",
        "en": "⚙️ Your settings\nLanguage: {language}\nTime zone: {tz}\nTime: {time}\n"
        "How often: {pace}\nWeekly summary: with {summary}'s nudge\nKinds: {kinds}\n"
        "Quiet hours: {quiet}\nStatus: {status}\n\nPick what you'd like to change.",
    },
    "language_name": {"nl": "Nederlands", "en": "English"},
    "status_paused_until": {"nl": "gepauzeerd tot {date}", "en": "paused until {date}"},
    "button_language": {"nl": "🌐 Taal", "en": "🌐 Language"},
    "button_zone": {"nl": "🕰️ Tijdzone", "en": "🕰️ Time zone"},
    "button_time": {"nl": "⏰ Tijdstip", "en": "⏰ Time"},
    "button_often": {"nl": "📅 Hoe vaak", "en": "📅 How often"},
    "button_summary": {"nl": "📊 Weekoverzicht", "en": "📊 Summary day"},
    "button_kinds": {"nl": "🧩 Soorten", "en": "🧩 Kinds"},
    "button_quiet": {"nl": "🌙 Stille uren", "en": "🌙 Quiet hours"},
    "ask_summary_day": {
        "nl": "In de nudge van welke dag wil je het weekoverzicht? Of typ /summary zo.",
        "en": "Which day's nudge should carry the weekly summary? Or type /summary sun.",
    },
    "kind_tip": {"nl": "tips", "en": "tips"},
    "kind_challenge": {"nl": "uitdagingen", "en": "challenges"},
    "kind_myth": {"nl": "mythes", "en": "myths"},
    "kinds_show": {
        "nl": "Je krijgt: {kept}. Tik op een soort om die aan of uit te zetten (er blijft er "
        "minstens één), of typ bijvoorbeeld /kinds tips mythes.",
        "en": "You get: {kept}. Tap a kind to turn it on or off (at least one stays), or type "
        "e.g. /kinds tips myths.",
    },
    "kinds_set": {
        "nl": "Goed: vanaf nu {kept}. De week verdeelt zich over wat je houdt.",
        "en": "Done: {kept} from now on. The week's mix spreads over the kinds you keep.",
    },
    "bad_kinds": {
        "nl": "Kies een of meer van: tips, uitdagingen, mythes (bijvoorbeeld /kinds tips "
        "mythes). Er blijft er altijd minstens één.",
        "en": "Choose one or more of: tips, challenges, myths (e.g. /kinds tips myths). At "
        "least one always stays.",
    },
    "quiet_off": {"nl": "uit", "en": "off"},
    "ask_quiet": {
        "nl": "Stille uren: daarin stuur ik niets uit mezelf (uitgestelde nudges, "
        "aankondigingen wachten). Kies, of typ bijvoorbeeld /quiet 22:00-07:00 of /quiet uit.",
        "en": "Quiet hours: in them I send nothing of my own accord (snoozed nudges and "
        "announcements wait). Pick one, or type e.g. /quiet 22:00-07:00 or /quiet off.",
    },
    "quiet_set": {
        "nl": "Stille uren: {quiet}.",
        "en": "Quiet hours: {quiet}.",
    },
    "bad_quiet": {
        "nl": "Schrijf stille uren als begin-eind, bijvoorbeeld /quiet 22:00-07:00, of /quiet uit.",
        "en": "Write quiet hours as start-end, e.g. /quiet 22:00-07:00, or /quiet off.",
    },
    "time_in_quiet": {
        "nl": "Dat valt in je stille uren ({quiet}): je nudge komt dan toch, want die koos je "
        "zelf; de rest wacht tot ze voorbij zijn.",
        "en": "That's inside your quiet hours ({quiet}): your nudge still comes then, as you "
        "chose it; everything else waits until they end.",
    },
    "history": {
        "nl": "Je laatste nudges (tik op een nummer om er een terug te lezen):",
        "en": "Your last nudges (tap a number to read one again):",
    },
    "history_empty": {
        "nl": "Je hebt nog geen nudges gekregen. /today geeft je die van vandaag.",
        "en": "You haven't had a nudge yet. /today gives you today's.",
    },
    "history_unanswered": {"nl": "geen antwoord", "en": "no answer"},
    "answer_done": {"nl": "✅ gedaan", "en": "✅ done"},
    "answer_ok": {"nl": "👌 begrepen", "en": "👌 got it"},
    "answer_myth": {"nl": "🙅 mythe", "en": "🙅 myth"},
    "answer_fact": {"nl": "👍 feit", "en": "👍 fact"},
    "history_reread": {
        "nl": "Van {date}; je antwoord: {answer}.",
        "en": "From {date}; your answer: {answer}.",
    },
}

__all__ = ["COMFORT_TEXTS"]
