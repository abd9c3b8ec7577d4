"""Rehearsal rooms ("Probelauf"): the example workshop Initiativen.Werk 2025 with simulated people who act through
phones of their own, for a facilitator who wants to try the console and the projector alone (rehearsals.py)."""
