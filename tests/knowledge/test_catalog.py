"""Checks on the knowledge base: every record cites resolvable sources, the ids the engine uses exist,
the third-party questionnaires are complete, emergency numbers are localised, and no text copies a
seed sentence or claims to diagnose. Plain pytest; no Django."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from backstride.knowledge import catalog

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
KNOWLEDGE = resources.files("backstride.knowledge")

REQUIRED_CARDS = (
    "ces-safety-net",
    "run-green",
    "run-amber",
    "run-red",
    "run-red-urgent",
    "cross-training",
    "see-whom",
    "under-16",
    "inflammatory-referral",
    "startback-low",
    "startback-medium",
    "startback-high",
    "rest-not-first",
    "pain-not-damage",
    "no-routine-imaging",
    "hills-caution",
    "downhill-caution",
    "mileage-progression",
    "terrain-change",
    "shoe-mileage",
    "break-up-sitting",
    "return-to-run",
    "medicines",
)

REQUIRED_RULES = (
    *(f"E{n}" for n in range(1, 12)),
    *(f"D{n}" for n in range(1, 10)),
    "CES-UNSURE",
    *(f"C{n}" for n in range(1, 9)),
    "SCOPE-1",
    "IBP-1",
    *(f"P{n}" for n in range(1, 9)),
    "R1",
    "R3",
    "R4",
    "R5",
    "R6",
    *(f"A{n}" for n in range(1, 7)),
)

# In precedence order (spec E.1 as changed by K.3), then not_assessed (the check stopped at an
# emergency answer before any pattern question).
PATTERN_CODES = (
    "bone_or_serious",
    "not_from_the_back",
    "bone_stress",
    "nerve_root",
    "pregnancy_related",
    "sacroiliac",
    "disc",
    "muscular",
    "facet",
    "nonspecific",
    "not_assessed",
)

# Cards that section K of the spec adds (K.2-K.6, K.9); the engine picks them as K's rules are wired.
SECTION_K_CARDS = (
    "kidney-warning",
    "aneurysm-warning",
    "see-gp-urine",
    "bone-stress",
    "energy-and-bone",
    "young-runner",
    "pregnancy",
    "after-birth",
    "pelvic-floor",
    "flare-up-plan",
    "running-is-not-bad-for-backs",
    "past-back-pain",
    "choosing-shoes",
    "posture",
    "manual-therapy",
    "comfort-measures",
)

STARTBACK_IDS = (
    "sb_leg_pain",
    "sb_shoulder_neck",
    "sb_walk_short",
    "sb_dress_slow",
    "sb_unsafe_active",
    "sb_worry",
    "sb_never_better",
    "sb_no_enjoy",
    "sb_bothersome",
)

REQUIRED_COUNTRIES = [
    "GB",
    "IE",
    "US",
    "CA",
    "AU",
    "NZ",
    "DE",
    "FR",
    "ES",
    "IT",
    "NL",
    "BE",
    "AT",
    "CH",
    "SE",
    "NO",
    "DK",
    "FI",
    "PT",
    "PL",
    "IN",
    "ZA",
    "JP",
]

# Our own prose. startback.yaml and rmdq.yaml are meant to be verbatim third-party text, and
# sources.yaml holds citations, which must quote the seeds' titles as published.
OWN_WORDS_FILES = (
    "patterns.yaml",
    "advice.yaml",
    "rules.yaml",
    "tiers.yaml",
    "emergency_numbers.yaml",
    "exercises.yaml",
    "plan_rules.yaml",
    "plan_texts.yaml",
    "diary_texts.yaml",
    "gait_findings.yaml",
)


def _raw(filename: str) -> Any:
    return yaml.safe_load(KNOWLEDGE.joinpath(filename).read_text("utf-8"))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def _all_cited() -> Iterator[tuple[str, tuple[str, ...]]]:
    """(record label, its source ids) for every record of every file, read through the catalog."""
    for code, pat in catalog.patterns().items():
        yield f"pattern {code}", pat.sources
    for card_id, card in catalog.advice_cards().items():
        yield f"card {card_id}", card.sources
    for rule_id, rule in catalog.rules().items():
        yield f"rule {rule_id}", rule.sources
    for code, tier in catalog.tiers().items():
        yield f"tier {code}", tier.sources
    yield "emergency default", catalog.emergency_contact(None).sources
    for code in catalog.countries():
        yield f"country {code}", catalog.emergency_contact(code).sources
    yield "startback", catalog.startback().sources
    yield "rmdq", catalog.rmdq().sources
    yield "rmdq minimal_important_change", catalog.rmdq().mic_sources


# --- Sources ---------------------------------------------------------------------------------------


def test_every_record_cites_known_sources() -> None:
    known = catalog.sources()
    for label, ids in _all_cited():
        assert ids, f"{label} has no sources"
        for source_id in ids:
            assert source_id in known, f"{label} cites unknown source {source_id!r}"


def test_raw_files_cite_known_sources() -> None:
    """Independent of the loader: every `sources:` list in the raw YAML resolves."""
    known = {record["id"] for record in _raw("sources.yaml")["sources"]}

    def walk(value: Any, where: str) -> Iterator[tuple[str, Any]]:
        if isinstance(value, dict):
            if "sources" in value:
                yield where, value["sources"]
            for key, item in value.items():
                if key != "sources":
                    yield from walk(item, f"{where}/{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, f"{where}[{index}]")

    files = ("patterns.yaml", "advice.yaml", "rules.yaml", "tiers.yaml", "emergency_numbers.yaml")
    for filename in (*files, "startback.yaml", "rmdq.yaml"):
        found = list(walk(_raw(filename), filename))
        assert found, f"{filename} has no sources lists"
        for where, ids in found:
            assert isinstance(ids, list) and ids, f"{where}: sources must be a non-empty list"
            unknown = set(ids) - known
            assert not unknown, f"{where}: unknown source ids {sorted(unknown)}"


def test_source_records_are_complete() -> None:
    for source in catalog.sources().values():
        assert source.kind in catalog.SOURCE_KINDS
        assert source.citation
        if source.kind == "seed":
            assert source.path and source.path.startswith("shared/seeds/"), source.id
            assert source.title, source.id
    assert catalog.source("app-policy").kind == "app_policy"
    assert "needs clinical review" in catalog.source("app-policy").citation
    for n in range(5):
        assert catalog.source(f"seed-00{n}").kind == "seed"


def test_required_evidence_sources_exist() -> None:
    required = [
        "nice-ng59",
        "nice-ng65",
        "nice-ng234",
        "ifompt-2020",
        "downie-2013",
        "yusuf-2019",
        "girft-ces-2023",
        "nhs-back-pain",
        "nhs-sciatica",
        "nhs-aaa",
        "sieper-2009",
        "hill-2008",
        "hill-2011",
        "keele-sbst",
        "roland-morris-1983",
        "roland-fairbank-2000",
        "ostelo-2008",
        "thomee-1997",
        "silbernagel-2007",
        "smith-2017",
        "nielsen-2014",
        "buist-2008",
        "heiderscheit-2011",
        "maselli-2020",
        "wernli-2020-review",
        "wernli-2020-single-case",
        "hancock-2007",
        "han-2023",
        "laslett-2005",
        "cook-1985",
        "hartvigsen-2000",
        "roffey-2010",
        "saragiotto-2016",
        "owen-2020",
        "app-policy",
        # section K.10
        "qaseem-2017",
        "da-silva-2019",
        "knapik-2010",
        "nigg-2015",
        "slater-2019",
        "dumoulin-2018",
        "mountjoy-2023",
        "de-souza-2014",
        "hoenig-2022",
        "micheli-wood-1995",
        "goom-2019",
        "acog-804-2020",
        "uk-cmo-pregnancy-2019",
        "nice-ng156",
        "nice-ng12",
        "nhs-kidney-stones",
        "nidirect-kidney-stones",
        "nhs-kidney-infection",
        "nhs-pregnancy-urgent",
        "nhs-uti",
    ]
    missing = [source_id for source_id in required if source_id not in catalog.sources()]
    assert not missing


def test_seed_files_exist() -> None:
    if not SHARED.is_dir():
        pytest.fail("the shared/ folder (seeds, spec) must sit next to the repository, as in CI")
    for source in catalog.sources().values():
        if source.kind == "seed":
            assert source.path is not None
            assert (REPO_ROOT.parent / source.path).is_file(), source.path


def test_app_policy_is_never_cited_alone() -> None:
    for label, ids in _all_cited():
        if "app-policy" in ids:
            assert len(ids) > 1, f"{label} cites app-policy without a real source"


def test_rules_with_app_policy_text_cite_app_policy() -> None:
    for rule in catalog.rules().values():
        if rule.app_policy is not None:
            assert "app-policy" in rule.sources, rule.id


def test_seeds_named_in_notes_are_cited() -> None:
    """A note that says "seed 003" (or "seeds 000 and 002") must cite those seeds."""
    pattern = re.compile(r"\bseeds?\s+(\d{3}(?:\s*(?:,|and)\s*\d{3})*)", re.IGNORECASE)
    notes: list[tuple[str, str | None, tuple[str, ...]]] = []
    notes += [(f"pattern {p.code}", p.evidence_note, p.sources) for p in catalog.patterns().values()]
    notes += [(f"card {c.id}", c.evidence_note, c.sources) for c in catalog.advice_cards().values()]
    notes += [(f"rule {r.id}", r.app_policy, r.sources) for r in catalog.rules().values()]
    for label, note, ids in notes:
        for match in pattern.finditer(note or ""):
            for number in re.findall(r"\d{3}", match.group(1)):
                assert f"seed-{number}" in ids, f"{label} names seed {number} but does not cite it"


def test_sources_for_dedupes_in_order_and_rejects_unknown() -> None:
    result = catalog.sources_for(["nice-ng59", "seed-004", "nice-ng59", "app-policy", "seed-004"])
    assert [s.id for s in result] == ["nice-ng59", "seed-004", "app-policy"]
    assert catalog.sources_for([]) == []
    with pytest.raises(KeyError):
        catalog.sources_for(["nice-ng59", "no-such-source"])
    with pytest.raises(KeyError):
        catalog.source("no-such-source")


# --- Ids the engine relies on ----------------------------------------------------------------------


def test_required_advice_cards_exist() -> None:
    cards = catalog.advice_cards()
    missing = [card_id for card_id in (*REQUIRED_CARDS, *SECTION_K_CARDS) if card_id not in cards]
    assert not missing
    # The running-form check gives the step-rate advice; a card the engine never picks is dead (K.9).
    assert "cadence-tip" not in cards
    for card in cards.values():
        assert card.title and card.body
        assert all(paragraph.strip() for paragraph in card.body)
    assert catalog.advice("medicines").id == "medicines"


def test_required_rules_exist() -> None:
    rules = catalog.rules()
    missing = [rule_id for rule_id in REQUIRED_RULES if rule_id not in rules]
    assert not missing
    assert catalog.rule("E1").title.startswith("Numbness around the genitals")


def test_app_policy_thresholds_are_marked() -> None:
    for rule_id in ("D1", "C3", "C6", "D3", "E11", "CES-UNSURE", "R4", "A4"):
        assert catalog.rule(rule_id).app_policy, rule_id
    assert "65" in (catalog.rule("D1").app_policy or "")
    assert "6" in (catalog.rule("C3").app_policy or "")
    assert "8/10" in (catalog.rule("C6").app_policy or "")
    assert "2/10" in (catalog.rule("A4").app_policy or "")


def test_patterns_with_disclaimer() -> None:
    patterns = catalog.patterns()
    assert tuple(patterns) == PATTERN_CODES
    for pat in patterns.values():
        assert pat.name and pat.fits_when and pat.summary
        if pat.code == "not_assessed":
            continue
        assert 3 <= len(pat.self_care) <= 6, pat.code
        assert pat.summary.startswith("Your answers fit"), pat.code
    # A check that stopped at an emergency answer names no pattern and says only what to do now.
    not_assessed = catalog.pattern("not_assessed")
    assert not_assessed.name == "Not assessed"
    assert "Your answers fit" not in not_assessed.summary
    assert len(not_assessed.self_care) == 1 and "emergency" in not_assessed.self_care[0].lower()
    assert "doctor" in catalog.pattern("not_from_the_back").name.lower()
    for code in ("not_from_the_back", "bone_stress", "pregnancy_related"):
        pattern_text = " ".join(catalog.pattern(code).self_care).lower()
        assert "run" in pattern_text, code  # each says what it means for running
    disclaimer = catalog.pattern_disclaimer().lower()
    assert "cannot diagnose" in disclaimer
    assert "no single source" in disclaimer
    serious = catalog.pattern("bone_or_serious")
    assert "only" in serious.fits_when.lower()
    assert "urgency advice" in serious.self_care[0].lower()


PLACEHOLDERS = ("{emergency_number}", "{urgent_advice}")


def _fill(text: str, contact: catalog.EmergencyContact) -> str:
    return text.format(emergency_number=contact.emergency, urgent_advice=contact.urgent_advice)


def _without_placeholders(text: str) -> str:
    for placeholder in PLACEHOLDERS:
        text = text.replace(placeholder, "")
    return text


def test_tiers_and_placeholders() -> None:
    tiers = catalog.tiers()
    assert tuple(tiers) == ("emergency", "doctor_soon", "clinician_if_no_better", "self_manage")
    assert "{emergency_number}" in catalog.tier("emergency").action
    assert "{urgent_advice}" in catalog.tier("doctor_soon").action
    for code in ("GB", "US", "ZA", None):
        contact = catalog.emergency_contact(code)
        assert contact.emergency in _fill(catalog.tier("emergency").action, contact)
        assert contact.urgent_advice in _fill(catalog.tier("doctor_soon").action, contact)
    for tier in tiers.values():
        for text in (tier.headline, tier.action):
            other = _without_placeholders(text)
            assert "{" not in other and "}" not in other, tier.code


def test_cards_format_with_any_country() -> None:
    """Card titles and bodies go through str.format with the user's numbers (services/check_report.py)."""
    for card in catalog.advice_cards().values():
        for text in (card.title, *card.body):
            other = _without_placeholders(text)
            assert "{" not in other and "}" not in other, card.id
            for code in ("GB", "NZ", None):
                _fill(text, catalog.emergency_contact(code))
    safety = " ".join(catalog.advice("ces-safety-net").body)
    assert "{emergency_number}" in safety
    unknown = _fill(safety, catalog.emergency_contact(None))
    assert "111" not in unknown and "NHS" not in unknown


# --- Emergency numbers -----------------------------------------------------------------------------


def _contact_text(contact: catalog.EmergencyContact) -> str:
    return " ".join((contact.name, contact.emergency, contact.urgent or "", contact.urgent_advice))


def test_uk_numbers() -> None:
    gb = catalog.emergency_contact("GB")
    assert gb.country == "GB"
    assert "999" in _contact_text(gb)
    assert "111" in _contact_text(gb)
    assert catalog.emergency_contact("gb") == gb
    assert catalog.emergency_contact("UK") == gb


def test_us_numbers() -> None:
    assert "911" in _contact_text(catalog.emergency_contact("US"))


def test_unknown_country_never_shows_uk_111() -> None:
    for code in (None, "ZZ", "", "xx"):
        contact = catalog.emergency_contact(code)
        assert contact.country is None
        text = _contact_text(contact)
        assert "111" not in text
        assert "NHS" not in text
    default = catalog.emergency_contact(None)
    for number in ("112", "911", "000"):
        assert number in default.emergency


def test_no_uk_numbers_outside_uk() -> None:
    for code in catalog.countries():
        if code == "GB":
            continue
        text = _contact_text(catalog.emergency_contact(code))
        assert "NHS" not in text, code
        if code != "NZ":  # 111 is New Zealand's own emergency number
            assert "111" not in text, code


def test_required_countries_and_known_numbers() -> None:
    countries = catalog.countries()
    missing = [code for code in REQUIRED_COUNTRIES if code not in countries]
    assert not missing
    names = list(countries.values())
    assert names == sorted(names)
    expected = {"NZ": "111", "AU": "000", "JP": "119", "IN": "112", "CA": "911", "DE": "112", "NO": "113"}
    for code, number in expected.items():
        assert catalog.emergency_contact(code).emergency == number, code
    za = catalog.emergency_contact("ZA").emergency
    assert "10177" in za and "112" in za


# --- Third-party questionnaires --------------------------------------------------------------------


def test_startback_items() -> None:
    sb = catalog.startback()
    assert tuple(item.app_id for item in sb.items) == STARTBACK_IDS
    assert [item.number for item in sb.items] == list(range(1, 10))
    for item in sb.items[:8]:
        assert item.answers == (("disagree", "Disagree"), ("agree", "Agree")), item.app_id
    assert [value for value, _ in sb.items[8].answers] == [
        "not_at_all",
        "slightly",
        "moderately",
        "very_much",
        "extremely",
    ]
    assert [label for _, label in sb.items[8].answers] == [
        "Not at all",
        "Slightly",
        "Moderately",
        "Very much",
        "Extremely",
    ]
    assert sb.items[0].text == "My back pain has spread down my leg(s) at some time in the last 2 weeks"
    assert sb.preamble.startswith("Thinking about the last 2 weeks")
    assert "Keele University" in sb.copyright and "©" in sb.copyright
    assert "Arthritis Research UK" in sb.funding
    assert "non-commercial" in sb.terms and "Apache-2.0" in sb.terms
    assert set(sb.sources) >= {"keele-sbst", "hill-2008"}


def test_startback_choices_match_questionnaire() -> None:
    from backstride.knowledge.questionnaire import questionnaire_items

    items = questionnaire_items()
    sb = catalog.startback()
    for item in sb.items:
        assert item.app_id in items, item.app_id
    bothersome = items["sb_bothersome"]
    assert tuple(value for value, _ in sb.items[8].answers) == bothersome.choices


def test_rmdq() -> None:
    r = catalog.rmdq()
    assert len(r.items) == 24
    assert len(set(r.items)) == 24
    assert r.items[0] == "I stay at home most of the time because of my back."
    assert r.items[-1] == "I stay in bed most of the time because of my back."
    assert "describes you today" in r.instructions
    assert (r.mic_points, r.mic_percent) == (5, 30)
    assert r.mic_sources == ("ostelo-2008",)
    assert set(r.sources) >= {"roland-morris-1983", "roland-fairbank-2000"}
    assert "1983" in r.citation


def test_third_party_notice() -> None:
    text = KNOWLEDGE.joinpath("THIRD_PARTY.md").read_text("utf-8")
    assert "startback.yaml" in text and "rmdq.yaml" in text
    assert "Keele University" in text and "Apache-2.0" in text and "non-commercial" in text
    assert "Roland" in text
    header = KNOWLEDGE.joinpath("startback.yaml").read_text("utf-8")[:800]
    assert "Keele" in header and "Apache-2.0" in header


# --- Wording checks --------------------------------------------------------------------------------


def _own_prose() -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = [("pattern disclaimer", catalog.pattern_disclaimer())]
    for pat in catalog.patterns().values():
        for text in (pat.name, pat.fits_when, pat.summary, *pat.self_care, pat.evidence_note or ""):
            texts.append((f"pattern {pat.code}", text))
    for card in catalog.advice_cards().values():
        for text in (card.title, *card.body, card.evidence_note or ""):
            texts.append((f"card {card.id}", text))
    for rule in catalog.rules().values():
        texts.append((f"rule {rule.id}", rule.title))
        texts.append((f"rule {rule.id}", rule.app_policy or ""))
    for tier in catalog.tiers().values():
        texts.append((f"tier {tier.code}", tier.headline))
        texts.append((f"tier {tier.code}", tier.action))
    return texts


ALLOWED_DIAGNOSE = re.compile(
    r"\b(cannot|can't|can not|never|does not|doesn't) diagnose\b|\bnot a diagnosis\b"
)


def test_no_diagnosis_claims() -> None:
    for label, text in _own_prose():
        cleaned = ALLOWED_DIAGNOSE.sub("", text.lower())
        assert not re.search(r"\bdiagnos\w*", cleaned), f"{label}: {text!r}"


def test_disclaimer_is_allowed_by_the_diagnosis_check() -> None:
    assert ALLOWED_DIAGNOSE.search(catalog.pattern_disclaimer().lower())


def _seed_sentences() -> list[str]:
    sentences: list[str] = []
    for source in catalog.sources().values():
        if source.kind != "seed" or source.path is None:
            continue
        text = _normalise((REPO_ROOT.parent / source.path).read_text("utf-8"))
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            sentence = sentence.strip().rstrip(".!?").strip()
            if len(sentence.split()) >= 8:
                sentences.append(sentence)
    return sentences


def test_no_seed_sentence_is_copied() -> None:
    if not SHARED.is_dir():
        pytest.fail("the shared/ folder (seeds, spec) must sit next to the repository, as in CI")
    sentences = _seed_sentences()
    assert len(sentences) > 50  # the seeds were found and split
    for filename in OWN_WORDS_FILES:
        knowledge = _normalise(" \n ".join(_strings(_raw(filename))))
        copied = [sentence for sentence in sentences if sentence in knowledge]
        assert not copied, f"{filename} copies seed sentence(s): {copied}"


def test_copy_check_would_catch_a_copy() -> None:
    if not SHARED.is_dir():
        pytest.fail("the shared/ folder (seeds, spec) must sit next to the repository, as in CI")
    sentences = _seed_sentences()
    planted = _normalise("Intro. " + sentences[3].upper() + ". Outro.")
    assert any(sentence in planted for sentence in sentences)


# --- Validation on load ----------------------------------------------------------------------------


def test_missing_field_raises_value_error_naming_file_and_record(monkeypatch: pytest.MonkeyPatch) -> None:
    real_load = catalog._load

    def broken(filename: str) -> Any:
        if filename == "advice.yaml":
            return {"cards": [{"id": "broken-card", "body": ["x"], "sources": ["nice-ng59"]}]}
        if filename == "rules.yaml":
            return {"rules": [{"id": "Z1", "title": "x", "sources": ["no-such-source"]}]}
        return real_load(filename)

    monkeypatch.setattr(catalog, "_load", broken)
    with pytest.raises(ValueError, match=r"advice\.yaml.*broken-card.*'title'"):
        catalog.advice_cards.__wrapped__()
    with pytest.raises(ValueError, match=r"rules\.yaml.*Z1.*no-such-source"):
        catalog.rules.__wrapped__()
