"""Every sentence the bot says that is not content, in Dutch and English, keyed by id.

Handlers and commands never hold user-facing strings inline: they call :func:`say`
with a key, so a translator edits one file and a test can check that both languages
have every key.
"""

from __future__ import annotations

import re
from typing import Final

from nudgebot.core.content import Lang
from nudgebot.core.frequency import Frequency
from nudgebot.core.texts_comfort import COMFORT_TEXTS
from nudgebot.core.texts_habits import HABIT_TEXTS
from nudgebot.core.texts_learning import LEARNING_TEXTS

CATALOGUE: Final[dict[str, dict[Lang, str]]] = {
    "welcome": {
        "nl": "Hoi! Ik ben nudgebot: elke dag één korte, onderbouwde tip voor je darmen. "
        "Eerst even instellen. Welke taal wil je?",
        "en": "Hi! I'm nudgebot: one short, evidence-based gut-health nudge a day. "
        "Let's set you up. Which language would you like?",
    },
    "ask_timezone": {
        "nl": "In welke tijdzone woon je? Kies er een, of typ je stad of een zone, zoals "
        "Brussels of Europe/Brussels.",
        "en": "Which time zone are you in? Pick one, or type your city or a zone, such as "
        "London or Europe/London.",
    },
    "ask_time": {
        "nl": "Hoe laat wil je je nudge? Kies een tijd of typ er een, zoals 07:45 of 19u30.",
        "en": "What time would you like your nudge? Pick one or type one, such as 07:45 or 7.30pm.",
    },
    "subscribed": {
        "nl": "Klaar! Je krijgt {pace} om {time} ({tz}) een nudge. De eerste komt {first}.",
        "en": "All set! You'll get a nudge {pace} at {time} ({tz}). The first one comes {first}.",
    },
    "already_subscribed": {
        "nl": "Je bent al aangemeld: {pace} om {time} ({tz}). De volgende komt {first}.",
        "en": "You're already subscribed: {pace} at {time} ({tz}). The next one comes {first}.",
    },
    "not_subscribed": {
        "nl": "Je bent nog niet aangemeld. Stuur /start om te beginnen.",
        "en": "You're not subscribed yet. Send /start to begin.",
    },
    "stopped": {
        "nl": "Gestopt: je krijgt geen nudges meer. Je reeks blijft bewaard; /start om terug "
        "te komen.",
        "en": "Stopped: no more nudges. Your streak history is kept; send /start to come back.",
    },
    "paused": {
        "nl": "Gepauzeerd. Je volgende nudge komt {first}.",
        "en": "Paused. Your next nudge comes {first}.",
    },
    "paused_indefinitely": {
        "nl": "Gepauzeerd tot je /resume stuurt.",
        "en": "Paused until you send /resume.",
    },
    "resumed": {
        "nl": "Welkom terug! Je volgende nudge komt {first}.",
        "en": "Welcome back! Your next nudge comes {first}.",
    },
    "not_paused": {
        "nl": "Je nudges lopen al; de volgende komt {first}.",
        "en": "Your nudges are running; the next one comes {first}.",
    },
    "time_set": {
        "nl": "Tijd aangepast naar {time}. Je volgende nudge komt {first}.",
        "en": "Time changed to {time}. Your next nudge comes {first}.",
    },
    "tz_set": {
        "nl": "Tijdzone aangepast naar {tz}. Je volgende nudge komt {first}.",
        "en": "Time zone changed to {tz}. Your next nudge comes {first}.",
    },
    "language_set": {
        "nl": "Taal aangepast naar Nederlands.",
        "en": "Language changed to English.",
    },
    "bad_time": {
        "nl": "'{value}' is geen tijd die ik ken. Schrijf bijvoorbeeld 07:45, 19u45 of 7.45pm.",
        "en": "'{value}' isn't a time I understand. Write e.g. 07:45, 19.45 or 7.45pm.",
    },
    "bad_tz": {
        "nl": "'{value}' is geen tijdzone die ik ken. Probeer een naam zoals Europe/Amsterdam.",
        "en": "'{value}' isn't a time zone I know. Try a name like Europe/Amsterdam.",
    },
    "tz_candidates": {
        "nl": "'{value}' is niet precies een tijdzone. Bedoel je een van deze?",
        "en": "'{value}' isn't exactly a time zone. Did you mean one of these?",
    },
    "bad_language": {
        "nl": "Ik spreek Nederlands (nl) en Engels (en). Bijvoorbeeld: /language en",
        "en": "I speak Dutch (nl) and English (en). For example: /language nl",
    },
    "bad_pause": {
        "nl": "Pauzeren kan voor 1 tot 365 dagen, bijvoorbeeld /pause 3. '{value}' gaat niet.",
        "en": "You can pause for 1 to 365 days, e.g. /pause 3. '{value}' won't work.",
    },
    "missing_argument": {
        "nl": "Daar hoort nog iets bij, bijvoorbeeld: {example}",
        "en": "That needs a value, for example: {example}",
    },
    "unknown_command": {
        "nl": "Dat commando ken ik niet. Stuur /help voor wat ik kan.",
        "en": "I don't know that command. Send /help to see what I can do.",
    },
    "help": {
        "nl": "Wat ik kan:",
        "en": "What I can do:",
    },
    "about": {
        "nl": "nudgebot stuurt elke dag één korte tip, uitdaging of mythe-of-feit, geschreven "
        "vanuit één Nederlands artikel over darmflora, probiotica, prebiotica en "
        "immuniteit. Elk bericht noemt zijn wetenschappelijke bron.",
        "en": "nudgebot sends one short tip, challenge or myth-or-fact a day, written from one "
        "Dutch article on gut flora, probiotics, prebiotics and immunity. Every message "
        "names its scientific source.",
    },
    "disclaimer": {
        "nl": "Alleen ter informatie. Veel effecten op microbioom en afweer zijn aannemelijk maar "
        "verschillen per persoon en zijn niet bevestigd door de EU-verordening inzake "
        "gezondheidsclaims. Dit vervangt geen medisch advies.",
        "en": "For information only. Many effects on the microbiome and immunity are plausible "
        "but differ from person to person and are not confirmed under the EU health-claims "
        "regulation. This is not medical advice.",
    },
    "efsa_caution": {
        "nl": "Niet bevestigd door de EFSA: hier bestaat geen goedgekeurde gezondheidsclaim "
        "voor, het onderzoek loopt nog.",
        "en": "Not confirmed by EFSA: no approved health claim covers this; research is ongoing.",
    },
    "live_culture_caution": {
        "nl": "Levende culturen: een gepasteuriseerd product heeft ze niet meer. Is je afweer "
        "ernstig verzwakt, overleg dan eerst met je arts.",
        "en": "Live cultures: a pasteurised product no longer has them. If your immune system "
        "is severely weakened, ask your doctor first.",
    },
    "probiotic_caution": {
        "nl": "Probiotica: de effecten zijn stamspecifiek en vragen regelmatige inname. Is je "
        "afweer ernstig verzwakt, overleg dan eerst met je arts.",
        "en": "Probiotics: effects are strain-specific and take regular intake. If your immune "
        "system is severely weakened, ask your doctor first.",
    },
    "day": {"nl": "dag", "en": "day"},
    "days": {"nl": "dagen", "en": "days"},
    "nothing_today": {
        "nl": "Je nudge van vandaag is al verstuurd; de volgende komt {first}.",
        "en": "Today's nudge has already been sent; the next one comes {first}.",
    },
    "button_done": {"nl": "✅ Gedaan", "en": "✅ Done"},
    "button_myth": {"nl": "🙅 Mythe", "en": "🙅 Myth"},
    "button_fact": {"nl": "👍 Feit", "en": "👍 Fact"},
    "button_got_it": {"nl": "👌 Begrepen", "en": "👌 Got it"},
    "source": {"nl": "Bron", "en": "Source"},
    "challenge_action": {"nl": "Vandaag: {action}", "en": "Today: {action}"},
    "challenge_done_when": {"nl": "Gelukt als: {done_when}", "en": "Done when: {done_when}"},
    "myth_question": {"nl": "Mythe of feit? {statement}", "en": "Myth or fact? {statement}"},
    "verdict_myth": {"nl": "Mythe.", "en": "Myth."},
    "verdict_fact": {"nl": "Feit.", "en": "Fact."},
    "answer_right": {"nl": "Goed gezien!", "en": "Well spotted!"},
    "answer_wrong": {"nl": "Net niet.", "en": "Not quite."},
    "done_streak": {
        "nl": "✅ Gedaan! Reeks: {current} {days}.",
        "en": "✅ Done! Streak: {current} {days}.",
    },
    "got_it_streak": {
        "nl": "👌 Genoteerd. Reeks: {current} {days}.",
        "en": "👌 Noted. Streak: {current} {days}.",
    },
    "already_counted": {
        "nl": "Deze had je al beantwoord; er telt niets dubbel.",
        "en": "You already answered this one; nothing counts twice.",
    },
    "stale": {
        "nl": "Dit is een oudere nudge; alleen de laatste telt mee voor je reeks.",
        "en": "This is an older nudge; only the latest one counts towards your streak.",
    },
    "group_admins_only": {
        "nl": "In een groep kunnen alleen beheerders de nudges instellen of stoppen.",
        "en": "In a group, only admins can set up or stop the nudges.",
    },
    "operators_only": {
        "nl": "Dat commando is alleen voor wie deze bot beheert.",
        "en": "That command is only for the people who run this bot.",
    },
    "unknown_button": {
        "nl": "Deze knop werkt niet meer.",
        "en": "This button no longer works.",
    },
    "first_today": {"nl": "vandaag om {time}", "en": "today at {time}"},
    "first_tomorrow": {"nl": "morgen om {time}", "en": "tomorrow at {time}"},
    "first_on": {"nl": "op {date} om {time}", "en": "on {date} at {time}"},
    "slack_help": {
        "nl": "Zo gebruik je /gutnudge:",
        "en": "How to use /gutnudge:",
    },
    "slack_help_channel": {
        "nl": "Zet #kanaal achter een commando om het kanaal in te stellen in plaats van jezelf "
        "(beheerders of wie het kanaal maakte).",
        "en": "Add #channel to a command to change the channel's settings instead of your own "
        "(admins or whoever created the channel).",
    },
    "slack_not_allowed": {
        "nl": "Alleen beheerders van de workspace of wie het kanaal maakte, kunnen de nudges "
        "van dit kanaal instellen.",
        "en": "Only workspace admins or the channel's creator can set up this channel's nudges.",
    },
    "slack_invite_first": {
        "nl": "Nodig me eerst uit in het kanaal (/invite @nudgebot) en probeer het dan opnieuw.",
        "en": "Please invite me to the channel first (/invite @nudgebot), then try again.",
    },
    "slack_participants": {"nl": "Meegedaan: {names}", "en": "Took part: {names}"},
    "home_subscribed": {
        "nl": "{status}: {pace} om {time} ({tz}).",
        "en": "{status}: {pace} at {time} ({tz}).",
    },
    "home_not_subscribed": {
        "nl": "Je bent nog niet aangemeld. Typ /gutnudge subscribe om te beginnen.",
        "en": "You're not subscribed yet. Type /gutnudge subscribe to begin.",
    },
    "broadcast_usage": {
        "nl": "Stuur /broadcast gevolgd door de tekst, of antwoord met /broadcast op een bericht.",
        "en": "Send /broadcast followed by the text, or reply /broadcast to a message.",
    },
    "broadcast_preview": {
        "nl": "Voorbeeld hieronder. Dit gaat naar {total} abonnees ({platforms}). Versturen?",
        "en": "Preview below. This goes to {total} subscribers ({platforms}). Send it?",
    },
    "button_broadcast_send": {"nl": "✅ Verstuur naar {total}", "en": "✅ Send to {total}"},
    "button_broadcast_cancel": {"nl": "✖️ Annuleren", "en": "✖️ Cancel"},
    "broadcast_sending": {
        "nl": "Broadcast {id} wordt verstuurd naar {total} abonnees.",
        "en": "Broadcast {id} is being sent to {total} subscribers.",
    },
    "broadcast_cancelled": {
        "nl": "Broadcast {id} is geannuleerd; er is niets verstuurd.",
        "en": "Broadcast {id} is cancelled; nothing was sent.",
    },
    "slack_broadcast_title": {"nl": "Broadcast", "en": "Broadcast"},
    "slack_broadcast_close": {"nl": "Sluiten", "en": "Close"},
    "slack_broadcast_preview": {"nl": "Voorbeeld", "en": "Preview"},
    "slack_broadcast_text": {"nl": "Tekst ({language})", "en": "Text ({language})"},
    "slack_broadcast_everyone": {"nl": "Iedereen", "en": "Everyone"},
    "slack_broadcast_language": {"nl": "Alleen in deze taal", "en": "Only in this language"},
    "slack_broadcast_streak": {"nl": "Minimale reeks", "en": "Minimum streak"},
    "slack_broadcast_size": {
        "nl": "Dit gaat naar {total} abonnees in deze workspace. Zo ziet het eruit:",
        "en": "This goes to {total} subscribers in this workspace. This is how it looks:",
    },
    "slack_broadcast_sent": {
        "nl": "Broadcast {id} wordt verstuurd naar {total} abonnees ({counts}).",
        "en": "Broadcast {id} is being sent to {total} subscribers ({counts}).",
    },
    "broadcast_link": {"nl": "Lees meer", "en": "Read more"},
    "broadcast_bad_platform": {
        "nl": "Onbekend platform {platform!r}: kies telegram, slack of console.",
        "en": "Unknown platform {platform!r}: choose telegram, slack or console.",
    },
    "broadcast_bad_language": {
        "nl": "Onbekende taal {language!r}: kies nl of en.",
        "en": "Unknown language {language!r}: choose nl or en.",
    },
    "broadcast_bad_status": {
        "nl": "Onbekende status {status!r}: kies active of paused.",
        "en": "Unknown status {status!r}: choose active or paused.",
    },
    "broadcast_bad_streak": {
        "nl": "De minimale reeks is een geheel getal van 0 of meer.",
        "en": "The minimum streak is a whole number, 0 or more.",
    },
    "broadcast_bad_dates": {
        "nl": "'Aangemeld na' moet vóór 'aangemeld voor' liggen.",
        "en": "'Subscribed after' must come before 'subscribed before'.",
    },
    "broadcast_bad_date": {
        "nl": "{value!r} is geen datum; schrijf bijvoorbeeld 2026-12-01.",
        "en": "{value!r} is not a date; write e.g. 2026-12-01.",
    },
    "broadcast_too_long": {
        "nl": "De {language}-tekst is {length} tekens; het maximum is {limit}.",
        "en": "The {language} text is {length} characters; the limit is {limit}.",
    },
    "broadcast_no_text": {
        "nl": "De {language}-tekst (de standaardtaal) ontbreekt of is leeg.",
        "en": "The {language} text (the default language) is missing or empty.",
    },
    "broadcast_bad_link": {
        "nl": "{link!r} is geen http(s)-link.",
        "en": "{link!r} is not an http(s) link.",
    },
    "broadcast_missing_file": {
        "nl": "Kan het tekstbestand {path} niet lezen.",
        "en": "Cannot read the text file {path}.",
    },
    "broadcast_bad_time": {
        "nl": "{value!r} is geen tijdstip; schrijf bijvoorbeeld 2026-12-01T09:00.",
        "en": "{value!r} is not a time; write e.g. 2026-12-01T09:00.",
    },
    "broadcast_in_past": {
        "nl": "{value} ligt in het verleden.",
        "en": "{value} is in the past.",
    },
    "broadcast_not_found": {
        "nl": "Er is geen broadcast met id {id}.",
        "en": "There is no broadcast with id {id}.",
    },
    "broadcast_not_sendable": {
        "nl": "Broadcast {id} is {state} en kan niet (meer) verstuurd worden.",
        "en": "Broadcast {id} is {state} and cannot be sent.",
    },
    "broadcast_not_cancellable": {
        "nl": "Broadcast {id} is al {state}.",
        "en": "Broadcast {id} is already {state}.",
    },
    "admin_console_off": {
        "nl": "De webconsole staat uit: zet NUDGEBOT_ADMIN_SECRET (32+ tekens).",
        "en": "The web console is off: set NUDGEBOT_ADMIN_SECRET (32+ characters).",
    },
    "admin_bad_minutes": {
        "nl": "--minutes moet tussen 1 en 60 liggen, niet {minutes}.",
        "en": "--minutes must be between 1 and 60, not {minutes}.",
    },
    "stats_bad_days": {
        "nl": "--days moet tussen 1 en 3660 liggen, niet {days}.",
        "en": "--days must be between 1 and 3660, not {days}.",
    },
    "stats_bad_plot": {
        "nl": "De plot wordt een PNG-bestand: geef een naam die op .png eindigt, niet {path}.",
        "en": "The plot is a PNG file: give a name ending in .png, not {path}.",
    },
    "stats_no_matplotlib": {
        "nl": "--plot heeft matplotlib nodig: pip install 'nudgebot[plot]'.",
        "en": "--plot needs matplotlib: pip install 'nudgebot[plot]'.",
    },
    "status_active": {"nl": "Actief", "en": "Active"},
    "status_paused": {"nl": "Gepauzeerd", "en": "Paused"},
    "status_stopped": {"nl": "Gestopt", "en": "Stopped"},
    "button_pause": {"nl": "⏸️ Pauzeren", "en": "⏸️ Pause"},
    "button_resume": {"nl": "▶️ Hervatten", "en": "▶️ Resume"},
    "home_time_label": {"nl": "Tijdstip", "en": "Time"},
    **HABIT_TEXTS,
    **LEARNING_TEXTS,
    **COMFORT_TEXTS,
    "slack_file_sent": {
        "nl": "Ik heb het bestand in een privébericht aan je gestuurd.",
        "en": "I've sent you the file in a direct message.",
    },
    "slack_file_refused": {
        "nl": "Slack liet me het bestand niet versturen ({reason}). Vraag een beheerder de app "
        "opnieuw te installeren, zodat ze bestanden mag delen.",
        "en": "Slack did not let me send the file ({reason}). Ask an admin to reinstall the "
        "app so that it may share files.",
    },
    "mydata_ready": {
        "nl": "Hier is alles wat ik over dit gesprek bewaar, als JSON-bestand.",
        "en": "Here is everything I store about this chat, as a JSON file.",
    },
    "mydata_caption": {
        "nl": "Je gegevens bij nudgebot ({rows} {records}).",
        "en": "Your data at nudgebot ({rows} {records}).",
    },
    "mydata_nothing": {
        "nl": "Ik bewaar niets over dit gesprek.",
        "en": "I store nothing about this chat.",
    },
    "mydata_about": {
        "nl": "Alles wat nudgebot over dit gesprek bewaart, per tabel; onder 'referenced' de "
        "tekst van de berichten die je kreeg. Instellingen blijven tot je /delete stuurt; "
        "verstuurde nudges en je antwoorden worden na {days} dagen gewist.",
        "en": "Everything nudgebot stores about this chat, per table; under 'referenced' the "
        "text of the announcements you received. Settings are kept until you send /delete; "
        "nudges sent and your answers are erased after {days} days.",
    },
    "delete_confirm": {
        "nl": "Alles wissen wat ik over dit gesprek bewaar: je instellingen, reeks, verstuurde "
        "nudges en antwoorden? Dat kan niet ongedaan worden gemaakt.",
        "en": "Erase everything I store about this chat: your settings, streak, the nudges "
        "sent and your answers? This cannot be undone.",
    },
    "button_erase": {"nl": "🗑️ Ja, alles wissen", "en": "🗑️ Yes, erase everything"},
    "button_keep": {"nl": "Nee, bewaren", "en": "No, keep it"},
    "erased": {
        "nl": "Gewist: {rows} {records}, niets bewaard. Stuur /start als je ooit terug wilt komen.",
        "en": "Erased: {rows} {records}, nothing kept. Send /start if you ever want to come back.",
    },
    "erase_kept": {
        "nl": "Niets gewist; alles blijft zoals het was.",
        "en": "Nothing erased; everything stays as it was.",
    },
    "erase_nothing": {
        "nl": "Er was niets meer om te wissen.",
        "en": "There was nothing left to erase.",
    },
    "erase_expired": {
        "nl": "Deze bevestiging is verlopen; er is niets gewist. Stuur /delete opnieuw.",
        "en": "This confirmation has expired; nothing was erased. Send /delete again.",
    },
    "sorry_failed": {
        "nl": "Sorry, daar ging bij mij iets mis. Probeer het zo nog eens.",
        "en": "Sorry, something went wrong on my side. Please try again in a moment.",
    },
    "unsubscribed_no_change": {
        "nl": "Je bent afgemeld, dus er is niets veranderd. Stuur /start om terug te komen; "
        "je reeks is bewaard.",
        "en": "You're unsubscribed, so nothing changed. Send /start to come back; your streak "
        "history is kept.",
    },
    "slack_profile_unavailable": {
        "nl": "Ik kon je Slack-profiel nu niet lezen, dus je tijdzone blijft {tz}. Pas die aan "
        "met /tz, bijvoorbeeld /tz Europe/Brussels.",
        "en": "I couldn't read your Slack profile just now, so your time zone stays {tz}. "
        "Change it with /tz, e.g. /tz Europe/London.",
    },
    "slack_who_unknown": {
        "nl": "Slack gaf niet door wie dit stuurde, dus ik heb niets veranderd. Probeer het "
        "nog eens.",
        "en": "Slack didn't say who sent this, so I changed nothing. Please try again.",
    },
}


def say(lang: Lang, key: str, **values: object) -> str:
    """The catalogue text ``key`` in ``lang``, with ``values`` filled in."""
    return CATALOGUE[key][lang].format(**values)


def hinted_language(hint: str | None, default: Lang) -> Lang:
    """The language a platform's hint asks for: Dutch or English, English where neither fits.

    A hint is a Telegram ``language_code`` ("nl", "en-GB"), a Slack locale ("nl-NL") or
    a POSIX locale ("en_US.UTF-8", "C"). Without any hint the operator's ``default``
    decides; a hint in another language (German, "C") gets English, the bot's lingua
    franca, rather than a language the user said nothing about.
    """
    if not hint or not hint.strip():
        return default
    code = re.split(r"[-_.@]", hint.strip(), maxsplit=1)[0].lower()
    return "nl" if code == "nl" else "en"


def say_frequency(lang: Lang, frequency: Frequency) -> str:
    """How often, in words: 'every day', 'on weekdays', 'three times a week (Mon, Wed, Fri)'.

    The one place the phrase is made: confirmations, the day off, the re-engagement
    question and Slack's App Home all say it this way.
    """
    return say(lang, f"pace_{frequency.name.lower()}")


def days_word(lang: Lang, count: int) -> str:
    return say(lang, "day" if count == 1 else "days")
