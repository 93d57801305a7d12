"""The pure domain: no Django, no I/O beyond reading the packaged knowledge files, no clock."""
