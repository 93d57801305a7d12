"""What goes with my flare-ups (issue 16): day records in, candidate factors and pain outcomes out,
and an analysis that reports associations with intervals, only once there are enough days. Pure:
no Django, no I/O; the service (next step) builds ``DayRecord`` rows from check-ins and activities."""

from backstride.core.triggers.analysis import Finding, TriggerReport, analyse
from backstride.core.triggers.factors import DayRecord

__all__ = ["DayRecord", "Finding", "TriggerReport", "analyse"]
