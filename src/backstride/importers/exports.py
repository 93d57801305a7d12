"""Bulk-export readers: what a Strava or Garmin export holds, and what the export says about each
activity. Activity files are not parsed here (the FIT/GPX/TCX parsers do that): each one is handed
over as an ExportActivity whose ``read`` returns its raw bytes (possibly still gzipped).

Strava (spec 3.1): ``activities.csv`` is the index. Each row is joined to its file through the
``Filename`` column (never through the Activity ID); a row with an empty Filename is a manual
activity (``manual=True``, ``read=None``); files in ``activities/`` that no row names are still
returned, without metadata. Headers are mapped by name (English or German), duplicated names by
occurrence: the first "Distance" is in display units (km or mi, ignored), the second in metres.

Garmin (spec 3.2): file names carry upload ids, not activity ids, so files and summaries cannot be
joined here. Every uploaded activity file (nested ``UploadedFiles_*.zip`` expanded) is returned
in ``activities`` without metadata, and the ``*_summarizedActivities.json`` entries go to
``garmin_summaries`` (``read=None``). After parsing a file, the import service calls
``match_garmin_summary(start_time, contents.garmin_summaries)`` to get its metadata; summaries that
match no file may be imported as manual activities by the service (no track, but distance/time).
Non-activity FIT files (monitoring, settings) are returned too: the FIT parser tells them apart.
"""

from backstride.importers.export_model import (
    ExportActivity,
    ExportContents,
    ExportError,
    ExportShoe,
    detect_export,
    match_garmin_summary,
    match_shoe,
)
from backstride.importers.garmin_export import garmin_sport, read_garmin_export
from backstride.importers.strava_export import parse_strava_date, read_strava_export, strava_sport

__all__ = [
    "ExportActivity",
    "ExportContents",
    "ExportError",
    "ExportShoe",
    "detect_export",
    "garmin_sport",
    "match_garmin_summary",
    "match_shoe",
    "parse_strava_date",
    "read_garmin_export",
    "read_strava_export",
    "strava_sport",
]
