"""A record's citation written as BibTeX, RIS and CSL-JSON, for reference managers.

Each writer takes a `core.citations.Citation` and returns text:

- BibTeX: one `@misc` entry; UTF-8 is kept as it is (biber and modern BibTeX read it), and
  the characters LaTeX treats specially are escaped, so a title with "&", "%" or "{" comes
  back as written. The address is left as it is: `url` is a verbatim field.
- RIS: `TY  - ELEC` (or `DATA` for a reported figure) … `ER  - `, one tag a line, lines ending
  in CR LF as the format asks.
- CSL-JSON: a list holding one item, valid against the CSL input schema (csl-data.json).
"""

import json
import re

# LaTeX's special characters and how to write them in a BibTeX field.
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}

FORMATS = {
    # extension: (media type, what the link says)
    "bib": ("application/x-bibtex; charset=utf-8", "BibTeX"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "RIS"),
    "json": ("application/vnd.citationstyles.csl+json", "CSL-JSON"),
}


def one_line(text):
    """Text on one line, its runs of white space (new lines included) made single spaces."""
    return re.sub(r"\s+", " ", str(text)).strip()


def bibtex_escape(text):
    return "".join(BIBTEX_ESCAPES.get(char, char) for char in one_line(text))


def bibtex(citation):
    fields = [
        # Double braces keep the title's capitals as they are.
        ("title", "{" + bibtex_escape(citation.title) + "}"),
        ("author", "{" + bibtex_escape(citation.publisher) + "}"),
        ("howpublished", bibtex_escape(citation.site)),
        ("publisher", bibtex_escape(citation.publisher)),
    ]
    if citation.updated:
        fields += [("year", str(citation.updated.year)), ("date", citation.updated.isoformat())]
    fields += [("url", one_line(citation.url)), ("urldate", citation.accessed.isoformat())]
    if citation.version:
        fields.append(("version", bibtex_escape(citation.version)))
    fields.append(("note", bibtex_escape(citation.note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{citation.key},\n{body}\n}}\n"


def _ris_date(day):
    return f"{day:%Y/%m/%d}/"


def ris(citation):
    lines = [
        ("TY", "DATA" if citation.kind == "dataset" else "ELEC"),
        ("ID", citation.key),
        ("TI", citation.title),
        ("AU", citation.publisher),
        ("T2", citation.site),
        ("PB", citation.publisher),
    ]
    if citation.updated:
        lines += [("PY", str(citation.updated.year)), ("DA", _ris_date(citation.updated))]
    lines += [("UR", citation.url), ("Y2", _ris_date(citation.accessed))]
    if citation.version:
        lines.append(("ET", citation.version))
    lines += [("N1", citation.note), ("ER", "")]
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)


def _csl_date(day):
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_json(citation):
    item = {
        "id": citation.key,
        "type": citation.kind,
        "title": one_line(citation.title),
        "author": [{"literal": one_line(citation.publisher)}],
        "container-title": one_line(citation.site),
        "publisher": one_line(citation.publisher),
        "URL": citation.url,
        "accessed": _csl_date(citation.accessed),
        "note": one_line(citation.note),
    }
    if citation.updated:
        item["issued"] = _csl_date(citation.updated)
    if citation.version:
        item["version"] = citation.version
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


WRITERS = {"bib": bibtex, "ris": ris, "json": csl_json}
