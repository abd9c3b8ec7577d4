"""Transport: HTTP pages and commands, the room socket, templates, cookies and security headers."""
