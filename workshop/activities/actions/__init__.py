"""Action items ("Maßnahme – verantwortlich – bis wann"): agreed on a board section or an idea theme, listed in the
minutes of their own, and brought to the next workshop while open. Not a kind of activity: a part of boards and idea
collections (each kind that takes them says where, in its `Kind` record: `places` and `actions`)."""
