"""Reading role phrases as sources print them ("Opening and Closing Remarks", "moderator, opening remarks").

The phrases each role is printed as are in ``spacegraph.vocab.terms.ROLES``.

>>> parse_roles("Opening and Closing Remarks")
('openingRemarks', 'closingRemarks')
>>> parse_roles("moderator, opening remarks, closing remarks")
('moderator', 'openingRemarks', 'closingRemarks')
>>> parse_roles("presenter")
('speaker',)
"""

from __future__ import annotations

import re

from spacegraph.vocab.terms import ROLE_BY_PHRASE


def parse_roles(text: str) -> tuple[str, ...]:
    """The roles named in ``text`` (keys of ``ROLE_BY_KEY``), in order, without repeats; ValueError names a phrase it
    does not know."""
    phrase = re.sub(r"\s+", " ", text.strip().lower())
    # "opening and closing remarks" shares one noun between two roles
    phrase = re.sub(r"\b(\w+) (?:and|&) (\w+) remarks\b", r"\1 remarks, \2 remarks", phrase)
    roles: list[str] = []
    for part in re.split(r"\s*(?:,|;|\band\b|&)\s*", phrase):
        if not part:
            continue
        if part not in ROLE_BY_PHRASE:
            known = ", ".join(sorted(ROLE_BY_PHRASE))
            raise ValueError(f"unknown role {part!r} in {text!r}: use one of {known}")
        role = ROLE_BY_PHRASE[part].key
        if role not in roles:
            roles.append(role)
    if not roles:
        raise ValueError(f"no role in {text!r}")
    return tuple(roles)


def role_names(text: str) -> list[str]:
    """Role phrases -> role names of the ontology's list, in order."""
    text = re.sub(r"\b(\w+)\s+and\s+(\w+)\s+remarks\b", r"\1 remarks, \2 remarks", text.lower())
    roles: list[str] = []
    for part in re.split(r"\s*(?:,|&|/|\band\b)\s*", text):
        role = _ROLE_OF(part.strip())
        if role and role not in roles:
            roles.append(role)
    return roles


def _ROLE_OF(phrase: str) -> str | None:  # noqa: N802 (a table lookup)
    if not phrase:
        return None
    if re.match(r"(?:opening|welcome|welcoming|introductory)\b", phrase):
        return "opening remarks"
    if re.match(r"(?:closing|concluding|farewell)\b", phrase):
        return "closing remarks"
    if phrase.startswith("keynote"):
        return "keynote"
    if phrase.startswith(("moderat", "chair", "co-chair", "master of ceremonies", "emcee")):
        return "moderator"  # the ontology's role for whoever chairs or leads a session
    if phrase.startswith("rapporteur"):
        return "speaker"  # a rapporteur reports the session's conclusions
    if phrase.startswith("panel"):
        return "panelist"
    if phrase.startswith(("discussant", "respondent")):
        return "discussant"
    if phrase.startswith(("speaker", "presenter")):
        return "speaker"
    if phrase.startswith("contact"):
        return "contact"
    return None
