"""Activity files -> core.activity.ParsedActivity. Formats are told apart by content, not by name."""
