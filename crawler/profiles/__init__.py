"""Site profiles, by spider name: every module of this package with a ``PROFILE``.

Adding an outlet is adding one file here (``crawler/profiles/<name>.py``
defining ``PROFILE = SiteProfile(name="<name>", ...)``): the registry finds
it, and crawler/spiders/sites.py gives it a spider of the same name. No
spider code per site.
"""

from __future__ import annotations

import importlib
import pkgutil

from crawler.profiles.alusbu import PROFILE as ALUSBU
from crawler.profiles.base import Section, Selectors, SiteProfile


def _discover() -> dict[str, SiteProfile]:
    profiles: dict[str, SiteProfile] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if module_info.name == "base" or module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        profile = getattr(module, "PROFILE", None)
        if not isinstance(profile, SiteProfile):
            continue
        if profile.name in profiles:
            raise ValueError(f"two site profiles are named {profile.name!r}")
        profiles[profile.name] = profile
    return profiles


PROFILES: dict[str, SiteProfile] = _discover()


def get_profile(name: str) -> SiteProfile:
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"no site profile named {name!r}; known: {', '.join(sorted(PROFILES))}") from None


__all__ = ["ALUSBU", "PROFILES", "Section", "Selectors", "SiteProfile", "get_profile", "profile_for_url"]


def profile_for_url(url: str) -> SiteProfile:
    """The profile of the site a URL is on: a registered one whose domains hold its host,
    else the generic profile of that host (``scrapy extract``, backfills, any page)."""
    from crawler.profiles.generic import profile_for

    for profile in PROFILES.values():
        if profile.is_own_host(url):
            return profile
    return profile_for(url)
