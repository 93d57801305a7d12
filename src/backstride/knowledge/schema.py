"""The one loader of the knowledge files: read the packaged file, validate it against its declared
schema (pydantic), cache the typed result.

Records are frozen pydantic dataclasses (plain dataclasses to their callers: ``asdict`` and
``replace`` work) that refuse unknown keys; files are frozen models. A file that does not fit raises
``KnowledgeError`` (a ValueError), one line per problem, each naming the file, the entry and the
field: ``exercises.yaml: exercise 'glute-bridge': field 'dosage.sets' must be ..., got 0``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Annotated, Any, ClassVar, Self, TypeVar

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

PACKAGE = "backstride.knowledge"
# Records: frozen dataclasses (frozen in their decorator). defer_build: a record type's validator is
# built when its file is first read, not when the module is imported (a command that reads two of the
# files no longer pays for all of them at start-up); the same checks, the same results.
RECORD = ConfigDict(extra="forbid", defer_build=True)

T = TypeVar("T")


class KnowledgeError(ValueError):
    """A knowledge file that does not fit its schema."""


class FieldError(ValueError):
    """Raised by a validator about a field below the value it checks (``path``, relative to it)."""

    def __init__(self, path: str | int | tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path: tuple[str | int, ...] = path if isinstance(path, tuple) else (path,)
        self.message = message


# --- Field types -----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value.strip()


def _prose(value: Any) -> str:
    return " ".join(_text(value).split())


def number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return float(value)


def _non_empty(value: Any) -> Any:
    if isinstance(value, Mapping):
        if not value:
            raise ValueError("must be a non-empty mapping")
    elif not isinstance(value, list | tuple) or not value:
        raise ValueError("must be a non-empty list")
    return value


def _none_as(empty: Any) -> Callable[[Any], Any]:
    return lambda value: empty if value is None else value


def no_duplicates(value: Any) -> Any:
    if isinstance(value, list | tuple):
        twice = sorted({str(item) for item in value if value.count(item) > 1})
        if twice:
            raise ValueError(f"has duplicates {twice}")
    return value


Text = Annotated[str, BeforeValidator(_text)]  # a non-empty string, stripped
Prose = Annotated[str, BeforeValidator(_prose)]  # a non-empty string, whitespace runs made one space
Number = Annotated[float, BeforeValidator(number)]  # an int or a float (not a bool), finite
NonEmpty = BeforeValidator(_non_empty)  # a list or mapping with at least one entry
Texts = Annotated[tuple[Text, ...], NonEmpty]
OptionalTexts = Annotated[tuple[Text, ...], BeforeValidator(_none_as(()))]


def none_as(empty: Any) -> BeforeValidator:
    """A missing or null value read as ``empty`` (an optional list or mapping)."""
    return BeforeValidator(_none_as(empty))


class Record:
    """Mixin for record dataclasses: unknown keys refused with the keys the record takes. Keys in
    OPTIONAL may be left out of a file (read as null) though the dataclass field has no default, so
    that fields keep their order (``asdict``)."""

    OPTIONAL: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            fields = list(getattr(cls, "__pydantic_fields__", {}))
            unknown = sorted(str(key) for key in data if key not in fields)
            if unknown:
                raise ValueError(f"has unknown key(s) {unknown}; expected a mapping of {', '.join(fields)}")
            if any(key not in data for key in cls.OPTIONAL):
                return {**dict.fromkeys(cls.OPTIONAL), **data}
        return data


class KnowledgeFile(BaseModel):
    """A whole file. ENTRIES: list (or mapping) key -> (what one entry is called, its id field); the
    ids of each list must be unique."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    ENTRIES: ClassVar[Mapping[str, tuple[str, str | None]]] = {}

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        for key, (_, id_field) in self.ENTRIES.items():
            records = getattr(self, key)
            if id_field is None or not isinstance(records, tuple):
                continue
            seen: set[str] = set()
            for index, record in enumerate(records):
                value = getattr(record, id_field)
                if value in seen:
                    raise FieldError((key, index), f"duplicate {id_field} {value!r}")
                seen.add(value)
        return self


# --- Reading and validating ------------------------------------------------------------------------


def read(filename: str) -> Any:
    """The parsed content of a packaged knowledge file (YAML, or JSON for .json)."""
    text = resources.files(PACKAGE).joinpath(filename).read_text("utf-8")
    if filename.endswith(".json"):
        return json.loads(text)
    # libyaml's safe loader where the wheel has it (about 6x faster than the pure-Python one, same data)
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(model: type[T]) -> TypeAdapter[T]:
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(model)
    return _ADAPTERS[model]


def validate(model: type[T], filename: str, data: Any) -> T:
    """``data`` (as read from ``filename``) validated against ``model``; KnowledgeError if it does not
    fit, naming the file, the entry and the field of every problem."""
    try:
        return _adapter(model).validate_python(data)
    except ValidationError as error:
        entries = getattr(model, "ENTRIES", {})
        details = error.errors()
        lines = [
            f"{filename}: {describe(detail, data, entries)}" for detail in details if _own(detail, details)
        ]
        raise KnowledgeError("\n".join(dict.fromkeys(lines))) from None


def describe(detail: ErrorDetails, data: Any, entries: Mapping[str, tuple[str, str | None]]) -> str:
    """One problem in words: ``entry: field 'a.b' what is wrong, got value``."""
    loc: list[str | int] = list(detail["loc"])
    error = (detail.get("ctx") or {}).get("error")
    if isinstance(error, FieldError):
        loc += error.path
    entry = "top level"
    if len(loc) >= 2 and loc[0] in entries:
        label, id_field = entries[str(loc[0])]
        key = loc[1]
        record = _at(data, loc[:2])
        ident = record.get(id_field) if id_field and isinstance(record, Mapping) else None
        if id_field is None:
            entry = f"{label} {key!r}"
        elif isinstance(ident, str) and ident.strip():
            entry = f"{label} {ident.strip()!r}"
        else:
            entry = f"{label} {int(key) + 1 if isinstance(key, int) else key}"
        loc = loc[2:]
    names = [str(part) for part in loc if isinstance(part, str)]
    items = "".join(f" (item {part + 1})" for part in loc if isinstance(part, int))
    message = error.message if isinstance(error, FieldError) else _message(detail)
    if detail["type"] == "missing":
        parent = ".".join(names[:-1])
        where = f"field {'.'.join(names)!r}" + items
        if parent:
            return f"{entry}: {where} is required ({parent!r} has no key {names[-1]!r})"
        return f"{entry}: {where} is required"
    if not names:
        return f"{entry}:{items} {message}"
    return f"{entry}: field {'.'.join(names)!r}{items} {message}"


def _own(detail: ErrorDetails, details: Sequence[ErrorDetails]) -> bool:
    """False for a list's "too short after validation" when its items failed (they are the news)."""
    loc = detail["loc"]
    return detail["type"] != "too_short" or not any(
        len(other["loc"]) > len(loc) and other["loc"][: len(loc)] == loc for other in details
    )


def _message(detail: ErrorDetails) -> str:
    text = detail["msg"].removeprefix("Value error, ")
    if detail["type"] == "value_error":
        return text
    text = text[0].lower() + text[1:]
    return f"{text}, got {detail['input']!r}" if _shown(detail["input"]) else text


def _shown(value: Any) -> bool:
    return not isinstance(value, Mapping) and len(repr(value)) <= 80


def _at(data: Any, path: Sequence[str | int]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
