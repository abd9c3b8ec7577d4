"""Who the simulated people of a rehearsal are and what they say: the content of Initiativen.Werk 2025, a real
workshop of the network (its cards, justifications and board entries, as people typed them), completed in the same
voice where a dozen people need more lines than the day produced. Names are invented; organisations are the
network's."""

from __future__ import annotations

from ..domain.errors import N_

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

# Idea cards, by the theme they belong to (Arbeitsgruppe 1 and 2).
CARDS = {
    "Mehr übergreifende Strukturen schaffen und nutzen": [
        "Projekt-Clearingstelle für organisationsübergreifendes Wissensmanagement und Zusammenarbeit einrichten und "
        "betreiben",
        "Einheitliche gesetzliche Vorgaben (z.B. Landesgesetzgebung) als Rahmen für übergreifende Projekte "
        "identifizieren und nutzen",
        "Daten organisationsübergreifend erheben und nutzen",
        "Digitale Visitenkarten für Zuständigkeiten zwischen den Organisationen koordiniert und bedarfsorientiert "
        "austauschen",
        "Software für Personalschlüssel u.a. für Kindertagesstätten übergreifend einführen und nutzen",
        "Geodaten gemeinsam nutzen (Standards entwickeln, digitale Strukturen schaffen, Praktikabilität & Nutzen "
        "fokussieren, Erfahrung der Endanwender*innen einbinden)",
        "Weiterentwicklungen in der Inklusion durch neue gesetzliche Anforderungen gemeinsam angehen",
    ],
    "Partizipation & Demokratie stärken": [
        "Zentrale Bürgerapp für Verwaltungsleistungen (einheitliche Formulare, Sammelstelle für Bescheide)",
        "Chatbots für Bürger*innen (für Terminauswahl, Information über Zuständigkeiten)",
        "Etablierung von Bürgerbeiräten",
        "flächendeckend kostenloser ÖPNV",
        "kostenlose Sportangebote für Jugendliche",
    ],
    "Interne Prozesse vereinfachen": [
        "Beschaffung von Hard- & Software vereinfachen",
        "Robotic Automation für Routineaufgaben am Computer fördern",
        "Anpassung von Stellenbewertungen",
    ],
    "Aufenthaltsqualität & Klimaschutz fördern": [
        "Dachbegrünung in Innenstädten fördern",
        "freie Wand- & Dachflächen für Photovoltaik nutzen",
    ],
}

# Board entries, by section: the "Vertiefung" of Dachbegrünung (Arbeitsgruppe 2) and the cross-cutting one
# (Arbeitsgruppe 1); a board about roofs or climate takes the first, any other the second, then the first.
GREEN_ROOFS = {
    "Anliegen": [
        "Verbesserung von Aufenthaltsqualität & Stadtbild",
        "Verbesserung des Ausblicks aus dem Bürogebäude",
        "Nutzung eines großen Flächenpotenzials",
    ],
    "Übergreifendes Ziel": ["Begrünung aller städtischen Dächer im RVR-Gebiet"],
    "Zwischenziele": [
        "Begrünung der städtischen Dächer der Innenstadt in 2–3 Kommunen",
        "verpflichtende Begrünung der städtischen Dächer bei Neubauten",
    ],
    "Herausforderung": [
        "Finanzierung des Projekts",
        "Einbindung der verschiedenen Akteure (Stadtplanung, Stadterneuerung, Nachhaltigkeitsbüros, Marketing, "
        "Klimaschutzmanagement) → hoher Organisationsaufwand bei interkommunaler Zusammenarbeit",
    ],
    "Machbarkeit": [
        "Förderprogramme gibt es schon, wir müssen sie nur bündeln.",
        "Viele Dächer sind statisch nicht geprüft.",
    ],
}
CROSS_CUTTING = {
    "Herausforderung": [
        "Datenschutz & rechtliche Anforderungen",
        "Commitment der kommunalen Spitzen (Verwaltung & Politik)",
        "Umgang mit „Besitz“ (Wem gehört die Idee / das Projekt? / ausgrenzende Wettkampfhaltung)",
        "Haltungsfrage: Angst- versus Lösungsansatz",
        "Finanzielle Ressourcen (Haushaltslage)",
        "Kommunikation und Vermittlung der Angebote",
    ],
    "Lösungsansätze": [
        "Beauftragte nicht nur auf gesetzlichen Rahmen, sondern auch auf Lösungsorientierung schulen",
        "Verbände einbinden (z.B. Deutscher Städtetag)",
        "Unternehmenskultur übergreifend fördern (z.B. zum Thema „Vertrauen schaffen“)",
        "Positiver Umgang mit Wettbewerbsgedanken in Projekten",
        "Geodatennetzwerk implementieren & nutzen",
    ],
}
GREEN_WORDS = ("dach", "begrün", "klima", "grün", "photovoltaik", "aufenthalt")

# Open poll answers ("Was nehmt Ihr aus dem Tag mit?").
WORDS = [
    "Vernetzung über Ämtergrenzen",
    "Mut zur Vernetzung",
    "Clearingstelle anpacken",
    "Vernetzung, Austausch, Tempo",
    "Austausch mit anderen Kommunen",
    "Dachbegrünung gemeinsam fördern",
    "Mehr Austausch, weniger Silos",
    "Ideen für die Clearingstelle",
]
