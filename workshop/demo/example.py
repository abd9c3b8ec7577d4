"""Initiativen.Werk 2025: what people of the network typed (ideas by theme, the two "Vertiefung" boards, the open
poll's answers), as it was typed. The rehearsal room's simulated people write it (workshop/demo/cast.py), and the
golden minutes, the board tests and the README's screenshots are made of it."""

from __future__ import annotations

IDEAS_1 = {
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
}
IDEAS_2 = {
    "Partizipation & Demokratie stärken": [
        "Zentrale Bürgerapp für Verwaltungsleistungen (einheitliche Formulare, Sammelstelle für Bescheide)",
        "Chatbots für Bürger*innen (für Terminauswahl, Information über Zuständigkeiten)",
        "Etablierung von Bürgerbeiräten",
        "flächendeckend kostenloser ÖPNV",
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
CROSS_CUTTING = {  # Arbeitsgruppe 1 – Vertiefung (übergreifend zu allen Ideen)
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
GREEN_ROOFS = {  # Arbeitsgruppe 2 – Vertiefung „Dachbegrünung in Innenstädten fördern“
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
}
WORDS = [  # "Was nehmt Ihr aus dem Tag mit?": the open poll's answers
    "Vernetzung über Ämtergrenzen",
    "Mut zur Vernetzung",
    "Clearingstelle anpacken",
    "Vernetzung, Austausch, Tempo",
    "Austausch mit anderen Kommunen",
    "Dachbegrünung gemeinsam fördern",
    "Mehr Austausch, weniger Silos",
    "Ideen für die Clearingstelle",
]
