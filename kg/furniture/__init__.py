"""Page furniture: what a page puts around an article, and how to take it off.

News text copied from the web carries more than the article: adverts and
share prompts, bylines and datelines, photo credits, site footers, and lists
of other stories after the article ends. None of it is the article, and the
names in it must not reach the graph. :func:`clean_text` removes it with
general rules about the *shape* of text, not lists of known strings:

- a **prose** line holds sentences (final punctuation, lowercase words);
  the article's body starts at the first prose line; headline-like lines
  before it are kept (the longest is the headline), other lines dropped;
- a **dateline** is a short line that is mostly a date (plus a weekday, a
  time, a label or a byline); a **credit** is a short line of agency-style
  capitals ("AFP", "Damascus / AFP", "- AP"); both are removed, and the
  first dateline near the top (or in the sign-off) is the publication date.
  A date inside a sentence (a photo caption, running text) is no dateline;
- the article **ends** at a dateline, credit or prompt after which only
  non-article text follows: no prose, or mostly headlines that name nothing
  the article names; a **list of other stories** (3+ headline + one-sentence
  teaser pairs about other things, running to the end) is cut likewise;
- one-word labels ("Advertisement"), prompts ("Follow us:", "Share this"),
  menus ("Home | World") and lines with web addresses or copyright notices
  are dropped, and so is whatever has no sentence after the last sentence;
- at the end of the last paragraph, sentence by sentence: a trailing
  "Related ..." block (when no article text follows it), sign-offs
  ("- REUTERS"), reporter credits ("Reporting by ...; Editing by ..."),
  fragments without a sentence, and lines about the outlet itself;
- in a one-paragraph text (as in FA-KES) a leading dateline, or a date and
  byline before the known headline, is cut from its start.

Section subheads and photo captions inside the article are kept, and a line
broken in the middle of a sentence is joined again.

>>> cleaned = clean_text("Advertisement\\nWed Nov 26 2014\\nRaids kill 95 in Raqa\\n"
...                      "Air strikes killed 95 people in Raqa, a monitor said.\\n- AP\\nFollow us:")
>>> print(cleaned.text)
Raids kill 95 in Raqa
Air strikes killed 95 people in Raqa, a monitor said.
>>> cleaned.title, cleaned.published
('Raids kill 95 in Raqa', datetime.date(2014, 11, 26))
"""
from __future__ import annotations

from kg.furniture.cleaning import Cleaned, clean_text
from kg.furniture.dates import parse_date
from kg.furniture.lines import dateline_date
from kg.furniture.text import PUNCTUATION_RUN, PUNCTUATION_RUN_KEPT, clean_title, cut_at_sentence, normalise

__all__ = ["Cleaned", "clean_text", "clean_title", "cut_at_sentence", "dateline_date", "normalise", "parse_date",
           "PUNCTUATION_RUN", "PUNCTUATION_RUN_KEPT"]
