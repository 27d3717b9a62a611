"""Site profiles, by spider name."""

from crawler.profiles.alusbu import PROFILE as ALUSBU
from crawler.profiles.base import Section, Selectors, SiteProfile

PROFILES: dict[str, SiteProfile] = {ALUSBU.name: ALUSBU}


def get_profile(name: str) -> SiteProfile:
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"no site profile named {name!r}; known: {', '.join(sorted(PROFILES))}") from None


__all__ = ["PROFILES", "Section", "Selectors", "SiteProfile", "get_profile"]
