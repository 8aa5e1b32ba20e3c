"""How spellings of one name are told apart from other names (``kg/data/resolution.toml``)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from kg.gazetteer import fold, phonetic
from kg.resources import layout_error, read_toml, resource


@dataclass(frozen=True)
class ResolutionRules:
    """The data resolution reads (``kg/data/resolution.toml``)."""

    particles: tuple[tuple[str, str], ...]
    undated_window: dt.timedelta

    @classmethod
    def load(cls, path: Path | None = None) -> ResolutionRules:
        """The rules of ``path`` (default: the installed ``kg/data/resolution.toml``).

        Raises:
            ResourceError: the file is missing, is not valid TOML, or lacks a table or key (the message names it).
        """
        path = path if path is not None else resource("data", "resolution.toml")
        data = read_toml(path)
        try:
            particles = sorted(((form, key) for key, forms in data["names"]["particles"].items() for form in forms),
                               key=lambda p: -len(p[0]))
            return cls(tuple(particles), dt.timedelta(days=data["window"]["undated_days"]))
        except (KeyError, TypeError, AttributeError) as err:
            raise layout_error(path, err) from None

    def name_key(self, name: str) -> str:
        """One key for the spellings of a person's name: its phonetic key, with name particles folded.

        >>> rules = ResolutionRules.load()
        >>> len({rules.name_key(n) for n in ("Rami Abdel Rahman", "Rami Abdurrahman", "Rami Abdul Rahman")})
        1
        >>> rules.name_key("Khaled Omar"), rules.name_key("Khaled Amer")
        ('khalidumar', 'khalidamir')
        """
        return phonetic(self.name_key_text(name))

    def name_parts(self, name: str) -> tuple[str, ...]:
        """The keys of a person's name, word by word (particles folded into the word after them).

        >>> ResolutionRules.load().name_parts("Zahran Alloush")
        ('zahran', 'lush')
        """
        return tuple(phonetic(word) for word in self.name_key_text(name).split())

    def name_key_text(self, name: str) -> str:
        """A person's name with its particles folded, as words."""
        text = " " + fold(name) + " "
        for form, key in self.particles:
            text = text.replace(" " + fold(form).replace("-", " ").strip() + " ", f" {key} ")
            text = re.sub(rf" {re.escape(fold(form).strip())}(?=\w)", f" {key} ", text)
        return text


def full_name_of(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether a longer name ends with a shorter one of two words or more: "Mohammed bin Abdullah Zahran Aloush"
    is "Zahran Alloush", told in full.

    >>> full_name_of(("zahran", "lush"), ("muhamid", "bin", "abdlah", "zahran", "alush"))
    True
    >>> full_name_of(("bashar", "asad"), ("hafiz", "asad"))
    False
    """
    if len(short) < 2 or len(long) <= len(short):
        return False
    return all(a == b or (min(len(a), len(b)) >= 4 and edits(a, b) <= 1) for a, b in zip(short, long[-len(short):]))


def skeleton(name: str) -> str:
    """The consonants of a name's phonetic key, for telling apart spellings of one name from other names.

    >>> skeleton("Salamyieh") == skeleton("Salamiyah") == skeleton("Salamiyeh")
    True
    >>> skeleton("Homs") == skeleton("Hama")
    False
    """
    key = phonetic(name)
    if not key:
        return ""
    rest = re.sub(r"[aeiouyhw']", "", key[1:])
    return re.sub(r"(.)\1+", r"\1", key[0] + rest)


def alike(a: str, b: str) -> bool:
    """Whether two phonetic keys may be spellings of one name: one edit apart, two in a name of eight or more.

    >>> alike("salamyia", "salamiya"), alike("jabal", "jabla"), alike("mayadin", "midan")
    (True, False, False)
    """
    return edits(a, b) <= (2 if min(len(a), len(b)) >= 8 else 1)


def edits(a: str, b: str) -> int:
    """The Levenshtein distance of two short strings.

    >>> edits("salamyia", "salamiya"), edits("hamas", "hums")
    (2, 2)
    """
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
