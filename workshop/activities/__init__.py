"""The kinds of activity a group's agenda holds, one package each; `kind.py` says what a kind is."""
