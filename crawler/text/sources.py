"""Source credits a page prints: source lines, labelled fields and agency credits.

* ``المصدر: الأسبوع`` lines (and a label alone followed by the name) are a
  ``source_line`` credit; a sentence that merely mentions المصدر ("وقال المصدر
  إن ...") is not.
* an agency credit on its own line ("(رويترز)", "- أ ف ب") is an ``agency``
  credit; a credit inside the lead ("دمشق (CNN) --") is recorded and the text
  kept.

Outlets a body *cites* ("أفادت وكالة ... تاس") are the lens's business
(crawler/lens/cited.py). Written by hand: no maintained library parses Arabic
source lines; extruct and trafilatura either ignore or drop them.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from crawler.items import Attribution, Block
from crawler.text.arabic import matching_form
from crawler.text.lexicon import AGENCY_RE, CONTRIBUTED_RE, SOURCE_LINE_RE, agency_name

SOURCE_MAX_WORDS = 8
SOURCE_MAX_CHARS = 60

_QUOTES = "\"'«»“”„‘’()[]{}"
_DATELINE_SOURCE_RE = re.compile(r"^\(?\s*[^()\-–—]{2,30}\s*[-–—]\s*(?P<name>[^()\-–—]{2,40})\)?$")
_AGENCY_ONLY_RE = re.compile(r"^[\s\-–—(（\[]*(?P<name>[^()\[\]\-–—]{1,40}?)[\s\-–—)）\].]*$")


def clean_source_name(text: str) -> str:
    """ "(أبوظبي - البيان)" → "البيان"; '"سانا" + RT' → "سانا + RT"."""
    text = text.strip()
    dateline = _DATELINE_SOURCE_RE.match(text)
    if dateline and text.startswith("("):
        text = dateline.group("name")
    text = "".join(char for char in text if char not in _QUOTES)
    return " ".join(text.split()).strip(" .،,:-–—")


_SOURCE_SEPARATOR_RE = re.compile(r"\s*[+،,/&]\s*")


def source_names(text: str) -> list[str]:
    """The outlets a credit names: '"سانا" + RT' → ["سانا", "RT"]."""
    names = [clean_source_name(part) for part in _SOURCE_SEPARATOR_RE.split(text)]
    return [name for name in names if name]


def source_line(text: str) -> str | None:
    """The credit of a source line ("المصدر: الأسبوع"), or None for any other text."""
    match = SOURCE_LINE_RE.match(text)
    if match is None:
        return None
    name = text[match.end() :].strip()
    if len(name) > SOURCE_MAX_CHARS or len(name.split()) > SOURCE_MAX_WORDS:
        return None  # a sentence that starts with the word, not a credit
    return clean_source_name(name)


# Agencies credited together: "(بترا - وكالات)", "(أ ف ب، رويترز)".
_CREDIT_PARTS_RE = re.compile(r"\s*[-–—،,/+&]\s*")


def credited_agencies(candidate: str) -> list[str]:
    """The agencies a credit names: one ("رويترز"), or several joined, every part an agency
    ("بترا - وكالات"); [] when any part is something else (a place, a reporter)."""
    agency = AGENCY_RE.fullmatch(candidate)
    if agency:
        return [agency_name(agency.group("name"))]
    parts = [part for part in _CREDIT_PARTS_RE.split(candidate) if part]
    if len(parts) < 2:
        return []
    names: list[str] = []
    for part in parts:
        agency = AGENCY_RE.fullmatch(part)
        if agency is None:
            return []
        names.append(agency_name(agency.group("name")))
    return names


# Outlets named together in a contribution line: "Reuters and AFP", "رويترز وفرانس برس".
_CONTRIBUTORS_RE = re.compile(r"\s+(?:and|&)\s+|\s+و(?=\S)", re.IGNORECASE)


def contributed(text: str) -> list[str]:
    """The agencies of a closing line crediting them with the story ("The Associated Press
    contributed to this report.", "ساهمت رويترز في إعداد هذا التقرير"); [] for any other line,
    a reporter's name included."""
    match = CONTRIBUTED_RE.match(text)
    if match is None:
        return []
    name = (match.group("after") or match.group("before") or "").strip()
    names: list[str] = []
    for part in _CONTRIBUTORS_RE.split(name):
        found = credited_agencies(re.sub(r"^(?:the|وكالة)\s+", "", part.strip(), flags=re.IGNORECASE))
        if not found:
            return []
        names += found
    return names


def agencies_only(text: str) -> list[str]:
    """The agencies of a line that is nothing but a credit ("(رويترز)", "- أ ف ب", "(بترا - وكالات)")."""
    match = _AGENCY_ONLY_RE.match(text)
    return credited_agencies(match.group("name").strip()) if match else []


def agency_only(text: str) -> str | None:
    """The first agency of a line that is nothing but a credit, or None."""
    return next(iter(agencies_only(text)), None)


def _lead_credit(text: str) -> str | None:
    """A credit in parentheses near the start of the lead: "دمشق، سوريا (CNN) --"."""
    match = re.search(r"\(\s*([^()]{1,30})\s*\)", text[:80])
    if match:
        agency = AGENCY_RE.fullmatch(match.group(1).strip())
        if agency:
            return agency_name(agency.group("name"))
    return None


# A dateline that credits an agency and runs into the lead: "الرياض - واس -",
# "القاهرة - (أ ش أ) -", "DUBAI, March 7 (Reuters) -". The place (and a date) come
# first, the agency in parentheses or between dashes, then a dash or colon.
_DATELINE_CREDIT_RE = re.compile(
    r"^(?P<place>[^()\-–—:\n]{2,40}?)\s*"
    r"(?:[-–—]?\s*\(\s*(?P<paren>[^()]{1,30}?)\s*\)|[-–—]\s*(?P<bare>[^()\-–—:\n]{1,30}?))"
    r"\s*(?:--?|[–—:])\s*(?=\S)"
)
# A dateline of its own line, in the slash style of Anadolu and the agencies and papers
# that follow it: "أنقرة/ الأناضول", "بغداد/ محمد علي/ الأناضول" (place, reporter,
# agency). A short place, at most one more part, a short name; no digits, no clause.
_SLASH_DATELINE_RE = re.compile(
    r"^(?P<place>[^/\d.،,:!?؟\n]{2,30}?)\s*/\s*(?:[^/\d.،,:!?؟\n]{2,40}?\s*/\s*)?"
    r"(?P<name>[^/\d.،,:!?؟()\n]{2,30}?)\s*$"
)
_SLASH_PART_MAX_WORDS = 4
# A credit that closes the last paragraph: "… باب المندب. - (أ ف ب)", "… (رويترز)".
_TRAILING_CREDIT_RE = re.compile(r"\s*[-–—]?\s*\(\s*(?P<name>[^()]{1,30}?)\s*\)\s*[.،]?\s*$")
# Words of a lead's dateline place: a long run is a sentence, not a place and date.
_DATELINE_MAX_WORDS = 7
# Blocks the lead may be in.
LEAD_BLOCKS = 2


def dateline_credit(text: str) -> tuple[str, str] | None:
    """(agency, rest of the paragraph) for a lead that opens with a crediting dateline."""
    match = _DATELINE_CREDIT_RE.match(text)
    if match is None or len(match.group("place").split()) > _DATELINE_MAX_WORDS:
        return None
    candidate = (match.group("paren") or match.group("bare") or "").strip()
    agency = AGENCY_RE.fullmatch(candidate)
    rest = text[match.end() :].strip()
    if agency is None or len(rest.split()) < 3:
        return None
    return agency_name(agency.group("name")), rest


def slash_dateline(text: str, own_names: Collection[str] = ()) -> str | None:
    """The credit of a line that is only a slash dateline ("أنقرة/ الأناضول"): a known agency,
    or the page's own outlet when the line names it ("أنقرة/ الجسر" on وكالة الجسر's page).
    None for anything else, a reporter's name after the place included."""
    match = _SLASH_DATELINE_RE.match(text.strip())
    if match is None or any(
        len(part.split()) > _SLASH_PART_MAX_WORDS for part in (match.group("place"), match.group("name"))
    ):
        return None
    name = match.group("name").strip()
    agency = AGENCY_RE.fullmatch(name)
    if agency:
        return agency_name(agency.group("name"))
    key = f" {matching_form(name)} "
    return name if any(key in f" {matching_form(own)} " for own in own_names if own) else None


def trailing_credit(text: str) -> tuple[str, list[str]] | None:
    """(the paragraph without it, agencies) for a paragraph that ends with an agency credit."""
    match = _TRAILING_CREDIT_RE.search(text)
    if match is None:
        return None
    agencies = credited_agencies(match.group("name").strip())
    rest = text[: match.start()].strip()
    if not agencies or len(rest.split()) < 3:
        return None
    return rest, agencies


def split_credits(
    blocks: list[Block], own_names: Collection[str] = ()
) -> tuple[list[Block], list[Attribution]]:
    """Source lines and agency credits out of the body; a credit in the lead is recorded, its text kept.

    ``own_names`` are the page's names for its own outlet (publisher, site name): a dateline
    that credits the outlet itself is a credit too.
    """
    body: list[Block] = []
    found: list[Attribution] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        name = source_line(block.text)
        if name == "" and index + 1 < len(blocks):
            # a label alone ("المصدر:") with the name on the next line
            following = blocks[index + 1].text
            if len(following) <= SOURCE_MAX_CHARS and len(following.split()) <= SOURCE_MAX_WORDS:
                text = f"{block.text} {following}"
                found += [Attribution("source_line", part, text) for part in source_names(following)]
                index += 2
                continue
        if name:
            found += [Attribution("source_line", part, block.text) for part in source_names(name)]
            index += 1
            continue
        agencies = agencies_only(block.text) or contributed(block.text)
        if agencies:
            found += [Attribution("agency", agency, block.text) for agency in agencies]
            index += 1
            continue
        body.append(block)
        index += 1
    for at, block in enumerate(body[:LEAD_BLOCKS]):
        credit = slash_dateline(block.text, own_names)
        if credit:  # a dateline line of its own: a credit, not the story's text
            found.append(Attribution("agency", credit, block.text))
            del body[at]
            break
    if body:
        # the lead is the first block, or the second when a short line (a kicker, a
        # caption the template printed as a paragraph) stands above it
        lead_at = next(
            (i for i, block in enumerate(body[:LEAD_BLOCKS]) if dateline_credit(block.text) is not None), None
        )
        if lead_at is not None:
            # the dateline is not part of the story's text: the credit is recorded, the lead kept
            first = body[lead_at]
            credit, rest = dateline_credit(first.text) or ("", first.text)
            found.append(Attribution("agency", credit, first.text[: len(first.text) - len(rest)].strip()))
            body[lead_at] = Block(text=rest, links=first.links, tag=first.tag, hints=first.hints)
        else:
            credit_in_lead = _lead_credit(body[0].text)
            if credit_in_lead:
                found.append(Attribution("agency", credit_in_lead, body[0].text[:80]))
        last = body[-1]
        trailing = trailing_credit(last.text)
        if trailing is not None:
            rest, credits = trailing
            found += [Attribution("agency", credit, last.text[len(rest) :].strip()) for credit in credits]
            body[-1] = Block(text=rest, links=last.links, tag=last.tag, hints=last.hints)
    return body, found


def dedupe(attributions: list[Attribution]) -> list[Attribution]:
    seen: set[tuple[str, str]] = set()
    unique: list[Attribution] = []
    for attribution in attributions:
        key = (attribution.kind, matching_form(attribution.name))
        if key not in seen:
            seen.add(key)
            unique.append(attribution)
    return unique
