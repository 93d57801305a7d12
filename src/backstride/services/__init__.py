"""Use cases, one transaction each. The CLI and the web call these and nothing lower."""
