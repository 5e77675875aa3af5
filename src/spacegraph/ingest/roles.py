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
