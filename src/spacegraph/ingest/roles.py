"""Reading role phrases as sources print them ("Opening and Closing Remarks", "moderator, opening remarks").

>>> parse_roles("Opening and Closing Remarks")
('openingRemarks', 'closingRemarks')
>>> parse_roles("moderator, opening remarks, closing remarks")
('moderator', 'openingRemarks', 'closingRemarks')
>>> parse_roles("presenter")
('speaker',)
"""

from __future__ import annotations

import re

# role phrase (lower case) -> local name of the role in the ontology (SG.<name>)
ROLE_PHRASES: dict[str, str] = {
    "speaker": "speaker",
    "presenter": "speaker",
    "moderator": "moderator",
    "opening remarks": "openingRemarks",
    "closing remarks": "closingRemarks",
    "keynote": "keynote",
    "keynote speaker": "keynote",
    "panelist": "panelist",
    "panellist": "panelist",
    "discussant": "discussant",
    "host": "host",
    "co-host": "host",
    "co-organiser": "host",
    "co-organizer": "host",
    "contact": "contact",
}


def parse_roles(text: str) -> tuple[str, ...]:
    """The roles named in ``text``, in order, without repeats; ValueError names a phrase it does not know."""
    phrase = re.sub(r"\s+", " ", text.strip().lower())
    # "opening and closing remarks" shares one noun between two roles
    phrase = re.sub(r"\b(\w+) (?:and|&) (\w+) remarks\b", r"\1 remarks, \2 remarks", phrase)
    roles: list[str] = []
    for part in re.split(r"\s*(?:,|;|\band\b|&)\s*", phrase):
        if not part:
            continue
        if part not in ROLE_PHRASES:
            known = ", ".join(sorted(ROLE_PHRASES))
            raise ValueError(f"unknown role {part!r} in {text!r}: use one of {known}")
        role = ROLE_PHRASES[part]
        if role not in roles:
            roles.append(role)
    if not roles:
        raise ValueError(f"no role in {text!r}")
    return tuple(roles)
