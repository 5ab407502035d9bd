"""What the terminal shows: every rich table, panel and JSON document goes through here."""
