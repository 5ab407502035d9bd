"""The law at hand: the statutes zhifa applies, shipped as data, and citations that resolve.

texts/       the official texts (one Markdown file per law) and index.json (version, effective
             date, short names); README.md there says where they come from
numerals.py  Chinese numerals ↔ int (第一百零三条)
parse.py     a law file → articles (条), paragraphs (款), items (项), under their headings
library.py   the laws, loaded once, found by id, title, short name or alias
fingerprint.py one SHA-256 of the texts and this code: a remembered check is redone on change
citations.py `Citation` (law, article, paragraph, item) and finding citations in text
resolve.py   a citation → its text, or exactly what does not resolve
sources.py   the sources cited on purpose that are not in the library (国办发〔2018〕118号 …)
explain.py   a `Reason.source` → the text of each article it cites
search.py    articles by Chinese text
scan.py      every citation in a set of files, checked

Like rules/, nothing here touches a database or a terminal.
"""
