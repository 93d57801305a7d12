"""The small part of the Garmin FIT profile that the FIT importer needs.

Message and field numbers, base types (struct code, size, invalid sentinel) and the enum maps for
`file`, `sport` and `sub_sport`. Only what `backstride.importers.fit` reads; the full profile lives in
`fitdecode.profile` (used lazily for device names only).
"""

from __future__ import annotations

# Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).
FIT_EPOCH_S = 631065600
# FIT date_time values below this are "system time" (seconds since power-up), not UTC.
FIT_MIN_DATETIME = 0x10000000

# Global message numbers.
MESG_FILE_ID = 0
MESG_SPORT = 12
MESG_SESSION = 18
MESG_RECORD = 20
MESG_ACTIVITY = 34

FIELD_TIMESTAMP = 253

# file_id fields
FILE_ID_TYPE = 0
FILE_ID_MANUFACTURER = 1
FILE_ID_PRODUCT = 2
FILE_ID_TIME_CREATED = 4
FILE_ID_PRODUCT_NAME = 8

# session fields (raw units: times ms, distance cm)
SESSION_START_TIME = 2
SESSION_SPORT = 5
SESSION_SUB_SPORT = 6
SESSION_TOTAL_ELAPSED_TIME = 7  # scale 1000
SESSION_TOTAL_TIMER_TIME = 8  # scale 1000
SESSION_TOTAL_DISTANCE = 9  # scale 100
SESSION_TOTAL_CALORIES = 11
SESSION_AVG_HEART_RATE = 16
SESSION_AVG_CADENCE = 18  # avg_running_cadence (strides/min) when sport is running
SESSION_TOTAL_ASCENT = 22
SESSION_TOTAL_DESCENT = 23
SESSION_TOTAL_MOVING_TIME = 59  # scale 1000
SESSION_AVG_FRACTIONAL_CADENCE = 92  # scale 128

# activity fields
ACTIVITY_LOCAL_TIMESTAMP = 5

# sport message fields
SPORT_SPORT = 0
SPORT_SUB_SPORT = 1

# The message fields the importer keeps, per global message number (record has its own fixed layout).
WANTED_FIELDS: dict[int, frozenset[int]] = {
    MESG_FILE_ID: frozenset(
        {FILE_ID_TYPE, FILE_ID_MANUFACTURER, FILE_ID_PRODUCT, FILE_ID_TIME_CREATED, FILE_ID_PRODUCT_NAME}
    ),
    MESG_SESSION: frozenset(
        {
            FIELD_TIMESTAMP,
            SESSION_START_TIME,
            SESSION_SPORT,
            SESSION_SUB_SPORT,
            SESSION_TOTAL_ELAPSED_TIME,
            SESSION_TOTAL_TIMER_TIME,
            SESSION_TOTAL_DISTANCE,
            SESSION_TOTAL_CALORIES,
            SESSION_AVG_HEART_RATE,
            SESSION_AVG_CADENCE,
            SESSION_TOTAL_ASCENT,
            SESSION_TOTAL_DESCENT,
            SESSION_TOTAL_MOVING_TIME,
            SESSION_AVG_FRACTIONAL_CADENCE,
        }
    ),
    MESG_ACTIVITY: frozenset({FIELD_TIMESTAMP, ACTIVITY_LOCAL_TIMESTAMP}),
    MESG_SPORT: frozenset({SPORT_SPORT, SPORT_SUB_SPORT}),
}

# (message, field) pairs read as text; every other wanted field must be numeric.
STRING_FIELDS = frozenset({(MESG_FILE_ID, FILE_ID_PRODUCT_NAME)})

# record: field number -> slot in the raw record tuple both decoders produce.
# Slot 0 is the timestamp (from field 253 or from a compressed-timestamp header).
REC_TIMESTAMP = 0
REC_LAT = 1  # semicircles
REC_LON = 2
REC_ALTITUDE = 3  # scale 5, offset 500
REC_ENH_ALTITUDE = 4  # scale 5, offset 500
REC_HEART_RATE = 5
REC_CADENCE = 6
REC_FRACTIONAL_CADENCE = 7  # scale 128
REC_DISTANCE = 8  # scale 100
REC_SPEED = 9  # scale 1000
REC_ENH_SPEED = 10  # scale 1000
REC_COMPRESSED_SPEED_DISTANCE = 11  # 3 bytes: speed 12 bits /100, distance 12 bits /16 (accumulated)
REC_SLOTS = 12
RECORD_FIELD_SLOTS: dict[int, int] = {
    FIELD_TIMESTAMP: REC_TIMESTAMP,
    0: REC_LAT,
    1: REC_LON,
    2: REC_ALTITUDE,
    78: REC_ENH_ALTITUDE,
    3: REC_HEART_RATE,
    4: REC_CADENCE,
    53: REC_FRACTIONAL_CADENCE,
    5: REC_DISTANCE,
    6: REC_SPEED,
    73: REC_ENH_SPEED,
    8: REC_COMPRESSED_SPEED_DISTANCE,
}

# Base types by number (low 5 bits of the base-type byte): (struct code, size, invalid sentinel).
# Strings and byte arrays are read as bytes ("s"); their invalid value is handled by the decoder.
BASE_TYPES: dict[int, tuple[str, int, int | float | None]] = {
    0x00: ("B", 1, 0xFF),  # enum
    0x01: ("b", 1, 0x7F),  # sint8
    0x02: ("B", 1, 0xFF),  # uint8
    0x03: ("h", 2, 0x7FFF),  # sint16
    0x04: ("H", 2, 0xFFFF),  # uint16
    0x05: ("i", 4, 0x7FFFFFFF),  # sint32
    0x06: ("I", 4, 0xFFFFFFFF),  # uint32
    0x07: ("s", 1, None),  # string (NUL-terminated, UTF-8)
    0x08: ("f", 4, None),  # float32 (invalid: NaN / all-ones bit pattern)
    0x09: ("d", 8, None),  # float64
    0x0A: ("B", 1, 0),  # uint8z
    0x0B: ("H", 2, 0),  # uint16z
    0x0C: ("I", 4, 0),  # uint32z
    0x0D: ("s", 1, None),  # byte (array; invalid when every byte is 0xFF)
    0x0E: ("q", 8, 0x7FFFFFFFFFFFFFFF),  # sint64
    0x0F: ("Q", 8, 0xFFFFFFFFFFFFFFFF),  # uint64
    0x10: ("Q", 8, 0),  # uint64z
}
BASE_TYPE_STRING = 0x07
BASE_TYPE_BYTE = 0x0D

FILE_TYPES: dict[int, str] = {
    1: "device",
    2: "settings",
    3: "sport",
    4: "activity",
    5: "workout",
    6: "course",
    7: "schedules",
    9: "weight",
    10: "totals",
    11: "goals",
    14: "blood_pressure",
    15: "monitoring_a",
    20: "activity_summary",
    28: "monitoring_daily",
    32: "monitoring_b",
    34: "segment",
    35: "segment_list",
    40: "exd_configuration",
}
FILE_TYPE_ACTIVITY = 4

# FIT sport enum -> backstride SPORTS. Everything else is "other"; transition legs are dropped.
SPORT_TRANSITION = 3
SPORT_MAP: dict[int, str] = {
    1: "running",
    2: "cycling",
    5: "swimming",
    11: "walking",
    17: "hiking",
    21: "cycling",  # e_biking
}
# Sports whose FIT cadence is strides/min per leg (doubled to steps/min).
STRIDE_SPORTS = frozenset({"running", "walking", "hiking"})

# FIT sub_sport enum -> backstride SUB_SPORTS (others: None).
SUB_SPORT_MAP: dict[int, str] = {
    0: "generic",
    1: "treadmill",
    2: "road",  # street
    3: "trail",
    4: "track",
    5: "indoor",  # spin
    6: "indoor",  # indoor_cycling
    7: "road",
    13: "track",  # track_cycling
    14: "indoor",  # indoor_rowing
    27: "indoor",  # indoor_walking
    45: "indoor",  # indoor_running
    58: "virtual",  # virtual_activity
}
# Sub-sports whose positions are not real places (or absent): lat/lon are dropped.
NO_GPS_SUB_SPORTS = frozenset({"treadmill", "indoor", "virtual"})

# Manufacturers whose `product` is a Garmin product id.
GARMIN_PRODUCT_MANUFACTURERS = frozenset({1, 13, 15, 89})  # garmin, dynastream_oem, dynastream, tacx
