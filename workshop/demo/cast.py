"""Who the simulated people of a rehearsal are and what they say: the content of Initiativen.Werk 2025, a real
workshop of the network (its cards, justifications and board entries, as people typed them), completed in the same
voice where a dozen people need more lines than the day produced. Names are invented; organisations are the
network's."""

from __future__ import annotations

from ..domain.errors import N_
from . import example

MARK = N_("simuliert")  # after every simulated name: "Katrin H. · simuliert"

NAMES = (
    "Katrin H.",
    "Murat Y.",
    "Sabine K.",
    "Jonas B.",
    "Aylin D.",
    "Thomas S.",
    "Elena W.",
    "Lena V.",
    "Michael B.",
    "Fatma Ö.",
    "Stefan K.",
    "Julia N.",
    "Dirk H.",
    "Nadine A.",
    "Peter L.",
    "Sevgi A.",
    "Markus E.",
    "Anja R.",
    "Tobias W.",
    "Claudia B.",
)
ORGANISATIONS = (
    "Stadt Bochum",
    "Emschergenossenschaft",
    "Kreis Wesel",
    "Regionalverband Ruhr",
    "Stadt Dortmund",
    "Ruhrverband",
    "Stadt Essen",
    "USB Bochum GmbH",
    "Jobcenter Bochum",
    "Stadt Duisburg",
    "Stadt Köln",
    "Stadt Lünen",
    "Region Hannover",
    "Kreis Recklinghausen",
)

# Gering / Mittel / Hoch: how the example's room leaned (2, 1, 1), and why.
LEANING = {"Gering": 2, "Mittel": 1.5, "Hoch": 1}
REASONS = {
    "Gering": [
        "Es ist im Wesentlichen nur eine leichter zu lösende organisatorische Herausforderung.",
        "Braucht keine großen Personalressourcen und lässt sich leicht kommunizieren.",
        "Die Strukturen im Netzwerk gibt es schon, wir müssen sie nur nutzen.",
        "Eine Ansprechperson und ein gemeinsames Postfach reichen für den Anfang.",
    ],
    "Mittel": [
        "Erfolg hängt an einzelnen Personen / Fragen erreichen nicht die richtigen Expert*innen / keine "
        "verpflichtende Aufgabe",
        "Die Abstimmung zwischen den Organisationen kostet Zeit.",
        "Ohne klare Zuständigkeit bleibt es an den Engagierten hängen.",
        "Datenschutzfragen müssen vorab geklärt werden.",
    ],
    "Hoch": [
        "Hohe organisationskulturelle Herausforderung / Verstetigung",
        "Jede Organisation hat eigene Gremien, die zustimmen müssen.",
        "Eine dauerhafte Finanzierung ist bei der Haushaltslage schwierig.",
        "Es braucht das Commitment der kommunalen Spitzen.",
    ],
}
# Numbers (and other ordered decks): below the room's middle, at it, above it.
NUMBER_REASONS = {
    "low": [
        "Förderprogramme gibt es schon, wir müssen sie nur bündeln.",
        "Mit einem Pilotprojekt in einer Kommune ist das schnell gemacht.",
        "Vieles davon machen wir im Alltag schon.",
    ],
    "middle": [
        "Hoher Abstimmungsaufwand zwischen Stadtplanung und Klimaschutz.",
        "Machbar, wenn die Zuständigkeiten geklärt sind.",
        "Viele Dächer sind statisch nicht geprüft.",
    ],
    "high": [
        "Das Anliegen ist identifiziert, muss zur Umsetzung aber immer wieder eingebracht werden.",
        "Die Finanzierung über mehrere Haushaltsjahre ist ungeklärt.",
        "Viele Akteure, lange Wege.",
    ],
}

# Idea cards, by the theme they belong to (Arbeitsgruppe 1 and 2): the day's, and one more where a theme needs it.
MORE_CARDS = {"Partizipation & Demokratie stärken": ["kostenlose Sportangebote für Jugendliche"]}
CARDS = {theme: [*cards, *MORE_CARDS.get(theme, [])] for theme, cards in {**example.IDEAS_1, **example.IDEAS_2}.items()}

# Board entries, by section: the "Vertiefung" of Dachbegrünung (Arbeitsgruppe 2) and the cross-cutting one
# (Arbeitsgruppe 1); a board about roofs or climate takes the first, any other the second, then the first.
GREEN_ROOFS = {
    **example.GREEN_ROOFS,
    "Machbarkeit": [
        "Förderprogramme gibt es schon, wir müssen sie nur bündeln.",
        "Viele Dächer sind statisch nicht geprüft.",
    ],
}
CROSS_CUTTING = example.CROSS_CUTTING
GREEN_WORDS = ("dach", "begrün", "klima", "grün", "photovoltaik", "aufenthalt")

# Open poll answers ("Was nehmt Ihr aus dem Tag mit?").
WORDS = example.WORDS
