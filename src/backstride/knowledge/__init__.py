"""Knowledge as data: questionnaire items, pain patterns, advice cards, rule texts and sources.

Every record names its sources; tests/knowledge checks that none is missing.
"""
