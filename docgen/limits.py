"""Every limit docgen puts on templates and on the text they lay out, in one place.

The numbers are far above what a real document needs (the 16-page plan is 79,000 characters of XML, a
decision for 25 members 39,000) and low enough that a template written by mistake — or on purpose — to
loop forever, build a gigabyte string or smuggle a DTD cannot take the machine: each limit, when hit,
stops the work with a Vietnamese message naming the template part and paragraph (README, "Safety").
"""

from __future__ import annotations

# ---------------------------------------------------------------- one render of a template (docgen.sandbox)

# Wall-clock seconds one document's template may run (all its parts together). The deterministic limits
# below normally stop a runaway template long before; this one also catches a slow machine's worst case.
TEMPLATE_SECONDS = 10.0
# Loop iterations plus calls (methods, filters; a macro call counts 10: it costs about that) per document.
TEMPLATE_STEPS = 1_000_000
# Items a single range() may have (Jinja's own sandbox allows the same, with an English message).
TEMPLATE_RANGE = 100_000
# The longest string, or the longest list, one operation of a template may make ("a" * n, join, center …).
TEMPLATE_VALUE_SIZE = 1_000_000
# Characters and list items a template may make in total per document: every value its operations
# produce plus everything it writes out. Bounds the memory a template can use (see README, "Safety").
TEMPLATE_PRODUCED = 20_000_000
# The largest integer a template may compute, in bits (2**64 is fine; 7**(10**8) is not).
TEMPLATE_INT_BITS = 4_096
# Macro calls (and recursive loops) nested inside each other.
TEMPLATE_CALL_DEPTH = 50

# Characters of XML between a tag's opening and closing delimiters (a tag Word split over a few runs spans
# a few hundred), and their sum over one part: docxtpl's preprocessing scans that far from every opening
# delimiter, so unclosed "{{" by the thousand would make it run for hours.
TEMPLATE_TAG_REACH = 20_000
TEMPLATE_TAG_SCAN = 2_000_000

# ---------------------------------------------------------------- a template file (docgen.package)

TEMPLATE_FILE_BYTES = 50 * 2**20  # the .docx itself
TEMPLATE_MEMBERS = 1_000  # files inside the .docx (a built-in template has 11)
TEMPLATE_UNPACKED_BYTES = 200 * 2**20  # all of them, unpacked (pictures included)
TEMPLATE_XML_PART_BYTES = 20 * 2**20  # one XML part, unpacked (a built-in template's largest is 12 KB)
