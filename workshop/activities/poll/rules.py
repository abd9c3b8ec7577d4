"""Live polls ("Umfrage"): single and multiple choice, a five-level scale, a mood check-in ("Blitzlicht"), and short
open answers shown as a word cloud.

An answer stores what was chosen as positions in the poll's options, never as words on screen, so the same poll
reads in every language of the interface. Until the facilitator shows the result, no answer leaves the server
(only who has answered), unless the poll shows its result live; anonymous unless the facilitator asks for names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from ...domain.errors import N_, Conflict, Invalid
from ...domain.ids import check_id
from ...domain.markdown import Language, text
from ...domain.rooms import Childless, GroupView, Room
from ...domain.text import QUESTION_MAX, clean_line, distinct_items

OPTION_MAX = 80
OPTIONS_MAX = 10
ANSWER_MAX = 80  # an open answer: a few words, for the word cloud
CLOUD_WORDS = 40
CLOUD_SIZES = 6

SINGLE, MULTIPLE, SCALE, MOOD, WORDS = "single", "multiple", "scale", "mood", "words"
FORMS = {
    SINGLE: N_("Eine Antwort"),
    MULTIPLE: N_("Mehrere Antworten"),
    SCALE: N_("Skala"),
    MOOD: N_("Blitzlicht"),
    WORDS: N_("Offene Antworten (Wortwolke)"),
}
SCALES: dict[str, tuple[str, ...]] = {  # five levels each, lowest first
    "agreement": (
        N_("Stimme gar nicht zu"),
        N_("Stimme eher nicht zu"),
        N_("Teils, teils"),
        N_("Stimme eher zu"),
        N_("Stimme voll zu"),
    ),
    "importance": (
        N_("Gar nicht wichtig"),
        N_("Eher unwichtig"),
        N_("Mittelmäßig wichtig"),
        N_("Eher wichtig"),
        N_("Sehr wichtig"),
    ),
    "frequency": (N_("Nie"), N_("Selten"), N_("Manchmal"), N_("Oft"), N_("Immer")),
    "satisfaction": (
        N_("Sehr unzufrieden"),
        N_("Eher unzufrieden"),
        N_("Teils, teils"),
        N_("Eher zufrieden"),
        N_("Sehr zufrieden"),
    ),
}
SCALE_NAMES = {
    "agreement": N_("Zustimmung"),
    "importance": N_("Wichtigkeit"),
    "frequency": N_("Häufigkeit"),
    "satisfaction": N_("Zufriedenheit"),
}
MOODS = (N_("Enttäuscht"), N_("Geht so"), N_("Zufrieden"), N_("Begeistert"))  # four faces, saddest first
MOOD_QUESTION = N_("Wie geht Ihr heute raus?")


@dataclass(frozen=True)
class Answer:
    choices: tuple[int, ...] = ()  # positions in the poll's options
    text: str = ""  # an open answer
    hidden: bool = False  # masked: the value has not left the server


@dataclass(frozen=True)
class Poll(Childless):
    kind: ClassVar[str] = "poll"
    id: str
    question: str
    form: str  # one of FORMS
    options: tuple[str, ...] = ()  # the choices typed by the facilitator (single, multiple); else from the form
    scale: str = ""  # the label set of a scale: a key of SCALES
    live: bool = False  # the result shows while people answer
    named: bool = False  # the result names who answered what (anonymous by default)
    revealed: bool = False
    open: bool = True  # answers are taken
    answers: Mapping[str, Answer] = field(default_factory=dict)  # participant id -> answer

    @property
    def title(self) -> str:
        return self.question

    @property
    def shown(self) -> bool:
        """Whether the result may be on screen now."""
        return self.revealed or self.live

    @property
    def labels(self) -> tuple[str, ...]:
        """What the choices say (to translate, for a scale and the mood faces)."""
        if self.form == SCALE:
            return SCALES[self.scale]
        if self.form == MOOD:
            return MOODS
        return self.options

    @property
    def translated(self) -> bool:
        """The labels are the app's own texts (scales, faces), not the facilitator's."""
        return self.form in (SCALE, MOOD)


def check_question(question: object) -> str:
    return clean_line(question, label=N_("eine Frage"), max_length=QUESTION_MAX)


def new_poll(
    poll_id: str, question: object, form: str, options: str = "", scale: str = "", *, live: bool, named: bool
) -> Poll:
    """A poll as the facilitator set it up, or why not."""
    if form not in FORMS:
        raise Invalid(N_("Diese Art von Umfrage gibt es nicht."))
    if form == MOOD and not clean_line(question, label="", max_length=QUESTION_MAX, required=False):
        question = MOOD_QUESTION
    asked = check_question(question)
    choices: tuple[str, ...] = ()
    if form in (SINGLE, MULTIPLE):
        choices = distinct_items(options, label=N_("Antwort"), max_length=OPTION_MAX)
        if not 2 <= len(choices) <= OPTIONS_MAX:
            raise Invalid(
                N_("Eine Umfrage braucht 2 bis {max} verschiedene Antworten, getrennt durch Kommas oder Zeilen."),
                max=OPTIONS_MAX,
            )
    if form == SCALE and scale not in SCALES:
        raise Invalid(N_("Diese Skala gibt es nicht."))
    return Poll(poll_id, asked, form, choices, scale if form == SCALE else "", live, named)


def check_answer(poll: Poll, choices: Sequence[int], typed: object) -> Answer:
    """A valid answer to this poll while it takes answers, or why not."""
    if not poll.open:
        raise Conflict(N_("Diese Umfrage nimmt gerade keine Antworten an."))
    if poll.form == WORDS:
        return Answer(text=clean_line(typed, label=N_("eine Antwort"), max_length=ANSWER_MAX))
    picked = tuple(sorted(set(choices)))
    if not picked:
        raise Invalid(N_("Bitte eine Antwort wählen."))
    if any(not 0 <= c < len(poll.labels) for c in picked):
        raise Invalid(N_("Diese Antwort gibt es in dieser Umfrage nicht."))
    if poll.form != MULTIPLE and len(picked) > 1:
        raise Invalid(N_("Hier passt nur eine Antwort."))
    return Answer(picked)


def answered(view: GroupView, poll: Poll) -> frozenset[str]:
    """The group's participants who have answered (hidden or not)."""
    return frozenset(p.id for p in view.voters if p.id in poll.answers)


def everyone_answered(view: GroupView, poll: Poll) -> bool:
    """All who are expected to answer (here now, or answered already) have answered."""
    expected = view.expected(poll.answers)
    return bool(expected) and all(p.id in poll.answers for p in expected)


def with_answer(room: Room, poll: Poll, pid: str, given: Answer) -> Room:
    """The room after `pid` gave this answer."""
    changed = replace(poll, answers={**poll.answers, pid: given})
    return replace(room, activities={**room.activities, poll.id: changed})


# -- results ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    position: int
    count: int
    names: tuple[str, ...]  # who chose it, if the poll is not anonymous


@dataclass(frozen=True)
class Word:
    word: str
    count: int
    size: int  # 1 (least often) to CLOUD_SIZES (most often)


@dataclass(frozen=True)
class Results:
    total: int  # people who answered
    counts: tuple[Count, ...]  # every choice, in the poll's order
    most: int
    words: tuple[Word, ...]  # the word cloud, most frequent first
    texts: tuple[tuple[str, str], ...]  # open answers (text, name or "")


def results(poll: Poll, names: Mapping[str, str]) -> Results:
    """The result of a poll (shown, so unmasked)."""
    joined = {pid: n for n, pid in enumerate(names)}  # answers in the order people joined, whatever Redis returns
    answers = dict(sorted(poll.answers.items(), key=lambda pa: joined.get(pa[0], len(joined))))
    counts = tuple(
        Count(
            position,
            sum(position in a.choices for a in answers.values()),
            tuple(names.get(pid, "?") for pid, a in answers.items() if poll.named and position in a.choices),
        )
        for position in range(len(poll.labels))
    )
    texts = tuple((a.text, names.get(pid, "?") if poll.named else "") for pid, a in answers.items() if a.text)
    return Results(
        len(answers), counts, max((c.count for c in counts), default=0), word_cloud([t for t, _ in texts]), texts
    )


# Words that carry no meaning of their own, in the two languages of the interface.
STOP_WORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderen anders auch auf aus bei beim bin bis bist da
    dabei damit dann das dass dem den denn der des dessen dich die dies diese diesem diesen dieser dieses dir doch dort
    du durch ein eine einem einen einer eines einig einige er es etwas euch euer eure für gegen gibt hab habe haben
    hat hatte hier hin hinter ich ihm ihn ihnen ihr ihre im in ins ist ja jede jedem jeden jeder jedes jetzt kann kein
    keine mal man mehr mein meine mich mir mit muss nach nicht nichts noch nun nur ob oder ohne schon sehr sein seine
    sich sie sind so soll sollen sondern sowie über um und uns unser unsere unter viel vom von vor war waren was weil
    weiter welche wenn wer werden wie wieder will wir wird wo wurde zu zum zur zwar zwischen
    a about after all also an and any are as at be been but by can could do does for from had has have he her his how i
    if in into is it its just me more most my no not of on one or our out so some than that the their them then there
    these they this to too up us very was we were what when which who will with would you your
    """.split()
)
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")


def word_cloud(texts: Sequence[str], limit: int = CLOUD_WORDS) -> tuple[Word, ...]:
    """The words people used most, without stop words: counted regardless of case, shown in their most frequent
    spelling, sized 1 to CLOUD_SIZES by how often they came; ties in the order of the alphabet."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for answer in texts:
        for found in _WORD.findall(answer):
            key = found.casefold()
            if len(key) < 2 or key in STOP_WORDS:
                continue
            counts[key] += 1
            spellings.setdefault(key, Counter())[found] += 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    if not top:
        return ()
    high, low = top[0][1], top[-1][1]

    def size(count: int) -> int:
        return 1 + round((count - low) * (CLOUD_SIZES - 1) / (high - low)) if high > low else CLOUD_SIZES // 2

    def spelling(key: str) -> str:  # the most frequent one; on a tie the capitalised (a German noun)
        return max(spellings[key].items(), key=lambda sc: (sc[1], sc[0][:1].isupper()))[0]

    return tuple(Word(spelling(key), count, size(count)) for key, count in top)


# -- a poll in the room, on screens ------------------------------------------------------------------------------------

MISSING = N_("Diese Umfrage gibt es in diesem Workshop nicht.")


def find(room: Room, poll_id: str) -> Poll:
    return room.activity_as(poll_id, Poll, MISSING)


def masked(poll: Poll, facilitator: bool) -> Poll:
    """What every screen may show, the facilitator's too: until the result is shown, only who has answered."""
    if poll.shown:
        return poll
    return replace(poll, answers={pid: Answer(hidden=True) for pid in poll.answers})


def context(poll: Poll, view: GroupView) -> dict[str, Any]:
    """Who has answered, and the result if it may be shown."""
    return {
        "voters": view.expected(poll.answers),
        "answered": answered(view, poll),
        "results": results(poll, view.room.names) if poll.shown else None,
    }


def mine(poll: Poll, view: GroupView, pid: str) -> Answer | None:
    """A participant's own answer, the one they see before the result is shown."""
    return poll.answers.get(pid)


def mine_key(poll: Poll, view: GroupView, own: object) -> object:
    return (own, poll.id, poll.open, poll.revealed, poll.form, poll.labels)


def form_name(form: str) -> str:
    """The name of a kind of poll, to translate."""
    return FORMS.get(form, form)


def scale_name(scale: str) -> str:
    return SCALE_NAMES.get(scale, scale)


# -- minutes and archive -------------------------------------------------------------------------------------------

LABEL = N_("Umfrage")
ANSWERS = N_("Antworten")
WORDS_HEADING = N_("Häufigste Wörter")


def minutes(poll: Poll, room: Room, language: Language, depth: int) -> list[str]:
    """A poll in the minutes: the question, the kind of poll, and the result once shown (else only how many
    answered); open answers as their most frequent words and every answer."""
    _, ngettext = language.gettext, language.ngettext
    kind = _(FORMS[poll.form]) + (f" ({_(SCALE_NAMES[poll.scale])})" if poll.form == SCALE else "")
    out = [f"{_(LABEL)}: {text(poll.question)}", f"{kind}", ""]
    if not poll.answers:
        return out
    if not poll.shown:
        count = len(poll.answers)
        return [
            *out,
            ngettext("%(num)s Antwort, nicht gezeigt.", "%(num)s Antworten, nicht gezeigt.", count) % {"num": count},
            "",
        ]
    result = results(poll, room.names)
    out += [
        ngettext("%(num)s Person hat geantwortet.", "%(num)s Personen haben geantwortet.", result.total)
        % {"num": result.total},
        "",
    ]
    if poll.form == WORDS:
        if result.words:
            out += [f"{_(WORDS_HEADING)}: " + ", ".join(f"{text(w.word)} ({w.count})" for w in result.words[:12]), ""]
        out += [f"{_(ANSWERS)}:", ""]
        out += [f"- {text(answer)}" + (f" – {text(name)}" if name else "") for answer, name in result.texts]
        return [*out, ""]
    labels = [_(label) if poll.translated else label for label in poll.labels]
    out += [f"| {_(ANSWERS)} | {_(N_('Stimmen'))} |", "| --- | ---: |"]
    for c in result.counts:
        who = f" ({', '.join(text(n) for n in c.names)})" if c.names else ""
        out.append(f"| {text(labels[c.position])}{who} | {c.count} |")
    return [*out, ""]


def to_data(poll: Poll) -> dict[str, Any]:
    """A poll in the JSON archive; answers only once the result was shown (like an estimate's hidden round, an
    unshown poll starts anew when restored)."""
    return {
        "kind": Poll.kind,
        "id": poll.id,
        "question": poll.question,
        "form": poll.form,
        "options": list(poll.options),
        "scale": poll.scale,
        "live": poll.live,
        "named": poll.named,
        "revealed": poll.revealed,
        "open": poll.open,
        "answers": {pid: {"choices": list(a.choices), "text": a.text} for pid, a in poll.answers.items()}
        if poll.shown
        else {},
    }


def from_data(data: dict[str, Any]) -> Poll:
    form = str(data["form"])
    if form not in FORMS or (form == SCALE and data.get("scale") not in SCALES):
        raise ValueError("a poll of a known form")
    poll = Poll(
        check_id(data["id"]),
        str(data["question"]),
        form,
        tuple(map(str, data.get("options", []))),
        str(data.get("scale", "")),
        bool(data.get("live")),
        bool(data.get("named")),
        bool(data.get("revealed")),
        bool(data.get("open", True)),
    )
    answers = {
        check_id(pid): Answer(tuple(int(c) for c in a.get("choices", [])), str(a.get("text", "")))
        for pid, a in data.get("answers", {}).items()
    }
    if any(not 0 <= c < len(poll.labels) for a in answers.values() for c in a.choices):
        raise ValueError("answers name the poll's choices")
    return replace(poll, answers=answers)


def blank(poll: Poll) -> Poll:
    """The poll as prepared for a template: its question, form, options and settings; no answers."""
    return Poll(poll.id, poll.question, poll.form, poll.options, poll.scale, live=poll.live, named=poll.named)
