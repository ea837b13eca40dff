// Ladder: small behaviours on top of htmx and Alpine.
