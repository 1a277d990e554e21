#!/usr/bin/env python3
"""Build the generated lexicon files of Cinegraph from the shared knowledge base.

Usage (from the repository root):

    python3 scripts/build_lexicon.py [--kb ../shared/kb] [--out ontology/lexicon]

Reads (read-only):
  oscars.tsv, oscars-name-aliases.yaml, oscars-film-aliases.yaml  (oscar_data, D. V. Lu, BSD-2-Clause)
  cannes-films.csv                                                 (gt / great_tables, Posit, MIT)

Writes:
  <out>/people.tsv   kind=person rows (IMDb nm ids, plus local: ids for Cannes directors not in the Oscars data)
  <out>/films.tsv    kind=film rows (IMDb tt ids) with year and links to people

Python 3.11, standard library only. Output is deterministic (rows sorted by id, cells sorted
where order carries no meaning).
"""

from __future__ import annotations

import argparse
import collections
import csv
import re
import sys
import unicodedata
from pathlib import Path

# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------


def clean(s: str | None) -> str:
    """Remove escaping artefacts and characters that cannot live in a lexicon cell."""
    if not s:
        return ""
    s = s.replace('\\"', '"').replace("\\'", "'")
    s = s.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    s = re.sub(r"\s+", " ", s).strip()
    return s


def list_item(s: str) -> str:
    """A value that goes into a `|`-separated cell: no `|` allowed inside."""
    return clean(s).replace("|", "/")


def fold(s: str) -> str:
    """Case- and accent-insensitive key used for matching names."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", s).strip().casefold()


def name_key(s: str) -> str:
    """Key for matching Cannes directors to Oscar people: fold(), with hyphens as spaces
    ('Gian Carlo Menotti' = 'Gian-Carlo Menotti')."""
    return fold(re.sub(r"[-\u2010\u2011]", " ", s))


def translit_key(s: str) -> str:
    """A looser key for names romanised in several ways ('Grigoriy Chukhray' = 'Grigori
    Chukhrai'): name_key(), then the usual variants of English, French and German
    transliteration folded together (y/j -> i, doubled letters once, kh/ch -> h, tch -> ch ->
    h, ou -> u, w -> v, x -> ks). Used only when the exact key finds nobody, and only when it
    finds exactly one person."""
    k = name_key(s)
    k = k.replace("tch", "ch").replace("kh", "h").replace("ch", "h").replace("ou", "u")
    k = k.replace("w", "v").replace("x", "ks").replace("y", "i").replace("j", "i")
    k = re.sub(r"(\w)\1+", r"\1", k)
    return k


def slug(s: str) -> str:
    """Slug of the lexicon format: NFKD, drop combining marks, lowercase, runs of anything that
    is not an ASCII letter or digit -> '-', trimmed of '-'."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-")


ROMAN = {"II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII"}


def is_all_caps_name(s: str) -> bool:
    """True for names such as 'JOHN ARNOLD'; single words ('JR', 'SZA') are left alone."""
    return " " in s.strip() and not any(c.islower() for c in s) and sum(c.isupper() for c in s) >= 2


def title_case_name(s: str) -> str:
    """'DOUGLAS G. SHEARER' -> 'Douglas G. Shearer', "D'EAUBONNE" -> "D'Eaubonne",
    'MCQUEEN' -> 'McQueen', 'HENRI III' -> 'Henri III', 'JR.' -> 'Jr.'."""

    def word(m: re.Match) -> str:
        w = m.group(0)
        if w in ROMAN:
            return w
        w = w[0].upper() + w[1:].lower()
        if len(w) > 2 and w.startswith("Mc"):
            w = "Mc" + w[2].upper() + w[3:]
        return w

    return re.sub(r"[^\W\d_]+", word, s)


HONORIFIC = re.compile(r"(?:Dr|Col|Prof|Professor)\.?\s+")


def plain_label(name: str) -> str:
    """Label form of a spelling: 'Dr. Hugo Riesenfeld' -> 'Hugo Riesenfeld',
    'James Griffin (aka Arthur James)' -> 'James Griffin'. The full spelling stays an alias."""
    m = HONORIFIC.match(name)
    if m and len(name[m.end():].split()) >= 2:
        name = name[m.end():]
    m = re.fullmatch(r"(.+?)\s*\(\s*aka\s+(.+?)\s*\)", name, flags=re.I)
    return m.group(1) if m else name


def name_variants(name: str) -> list[str]:
    """Extra spellings derived from one spelling of a person's name:
    'Barney "Chick" McGill' -> 'Barney McGill'; 'Gaetano (Tony) Gaudio' -> 'Gaetano Gaudio';
    'James Griffin (aka Arthur James)' -> 'James Griffin', 'Arthur James'."""
    out = []
    m = HONORIFIC.match(name)
    if m and len(name[m.end():].split()) >= 2:
        out.append(name[m.end():])
        name = name[m.end():]
    m = re.fullmatch(r"(.+?)\s*\(\s*aka\s+(.+?)\s*\)", name, flags=re.I)
    if m:
        out += [m.group(1), m.group(2)]
        return out
    stripped = re.sub(r"\s+\(?([\"'])[^\"']+\1\)?(?=\s)", "", name)
    stripped = re.sub(r"\s+\([^()]*\)(?=\s)", "", stripped)
    stripped = re.sub(r"\s+", " ", stripped).strip()
    if stripped != name and stripped:
        out.append(stripped)
    return out


def title_variants(title: str) -> list[str]:
    """'Coup de Torchon ('Clean Slate')' -> 'Coup de Torchon', 'Clean Slate'.
    Only parts of two or more words are kept, so that a part like 'Most' or 'Dog' does not
    become an alias of a film."""
    m = re.fullmatch(r"(.+?)\s+[(\[]\s*(?:aka\s+)?(.+?)\s*[)\]]", title, flags=re.I)
    if not m:
        return []
    out = []
    main, alt = m.group(1).strip(), m.group(2).strip().strip("'\"").strip()
    if len(main.split()) >= 2 and not re.search(r"\b(or|and|of|the|a)$", main, flags=re.I):
        out.append(main)
    if len(alt.split()) >= 2 and not alt.startswith(".") and not re.search(r"\d{4}", alt):
        out.append(alt)
    return out


def dedupe(label: str, names) -> list[str]:
    """Aliases without the label and without case-insensitive repeats, sorted."""
    seen = {label.casefold()}
    out = []
    for n in names:
        n = list_item(n)
        if not n or n == "-" or n.casefold() in seen:
            continue
        seen.add(n.casefold())
        out.append(n)
    return sorted(out, key=lambda x: (x.casefold(), x))


# --------------------------------------------------------------------------------------------
# Input readers
# --------------------------------------------------------------------------------------------


def yaml_scalar(v: str) -> str:
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] == "'":
        return v[1:-1].replace("''", "'")
    if len(v) >= 2 and v[0] == v[-1] == '"':
        return v[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return v


def read_alias_yaml(path: Path) -> dict[str, list[str]]:
    """The alias files map an IMDb id to one string or to a block list of strings."""
    out: dict[str, list[str]] = collections.defaultdict(list)
    key = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"^(\w+):\s*(.*)$", line)
        if m and not line.startswith((" ", "-")):
            key = m.group(1)
            if m.group(2):
                out[key].append(clean(yaml_scalar(m.group(2))))
            continue
        m = re.match(r"^\s*-\s+(.*)$", line)
        if m and key:
            out[key].append(clean(yaml_scalar(m.group(1))))
            continue
        print(f"warning: {path.name}: unparsed line: {raw!r}", file=sys.stderr)
    return dict(out)


def read_oscars(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [{k: (v or "") for k, v in row.items() if k is not None} for row in reader]


def read_cannes(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: (v or "") for k, v in row.items()} for row in csv.DictReader(f)]


# --------------------------------------------------------------------------------------------
# Oscar categories -> roles
# --------------------------------------------------------------------------------------------

# Special-class awards that honour people for their work in films (kept as people without a
# role); the technical ones (Gordon E. Sawyer, medals, commendations) are skipped like SciTech.
SPECIAL_PEOPLE = ("HONORARY AWARD", "IRVING G. THALBERG", "JEAN HERSHOLT", "SPECIAL AWARD",
                  "SPECIAL ACHIEVEMENT AWARD", "SPECIAL FOREIGN LANGUAGE FILM AWARD")


def role_of(canonical: str) -> str | None:
    c = canonical.upper()
    if c.startswith("DIRECTING"):
        return "director"
    if c.startswith(("ACTOR", "ACTRESS")):
        return "actor"
    if c.startswith("CINEMATOGRAPHY"):
        return "cinematographer"
    if c.startswith("WRITING"):
        return "writer"
    if c in ("MUSIC (ORIGINAL SCORE)", "MUSIC (ORIGINAL SONG SCORE OR ADAPTATION SCORE)"):
        return "composer"
    if c == "FILM EDITING":
        return "editor"
    if c == "BEST PICTURE":
        return "producer"
    return None


def is_lyricist(credit: str, nominee: str) -> bool:
    """In score categories, 'Music by X; lyrics by Y' credits Y as lyricist, not composer."""
    for seg in credit.split(";"):
        if nominee in seg:
            low = seg.lower()
            return "lyric" in low and "music" not in low and "score" not in low
    return False


ROLE_ORDER = ["director", "cinematographer", "actor", "writer", "composer", "producer", "editor"]


def sort_roles(roles) -> list[str]:
    return sorted(set(roles), key=ROLE_ORDER.index)


# --------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------


def build(kb: Path):
    problems: list[str] = []
    oscars = read_oscars(kb / "oscars.tsv")
    cannes = read_cannes(kb / "cannes-films.csv")
    name_yaml = read_alias_yaml(kb / "oscars-name-aliases.yaml")
    film_yaml = read_alias_yaml(kb / "oscars-film-aliases.yaml")

    # ---- people and films of the Oscars -----------------------------------------------------
    spell = collections.defaultdict(collections.Counter)   # nm -> spelling -> count
    last_seen = collections.defaultdict(dict)              # nm -> spelling -> last ceremony
    roles = collections.defaultdict(set)                   # id -> roles
    keep_person: set[str] = set()
    ftitle = collections.defaultdict(collections.Counter)  # tt -> title -> count
    fyear: dict[str, int] = {}
    links = collections.defaultdict(set)                   # tt -> {(relation, person id)}
    misaligned = collections.Counter()

    for row in oscars:
        cls, canon = row["Class"], row["CanonicalCategory"]
        ceremony = int(row["Ceremony"] or 0)
        films = [clean(f) for f in row["Film"].split("|")] if row["Film"] else []
        fids = [f.strip() for f in row["FilmId"].split("|")] if row["FilmId"] else []
        noms = [clean(n) for n in row["Nominees"].split("|")] if row["Nominees"] else []
        nids = [n.strip() for n in row["NomineeIds"].split("|")] if row["NomineeIds"] else []
        year_m = re.match(r"\d{4}", row["Year"])

        film_ok = len(films) == len(fids)
        if film_ok:
            for title, tt in zip(films, fids):
                if re.fullmatch(r"tt\d+", tt) and title:
                    ftitle[tt][title] += 1
                    if year_m:
                        y = int(year_m.group())
                        fyear[tt] = min(fyear.get(tt, y), y)
        if len(noms) != len(nids):
            # Nominees named but no ids given (companies, SciTech lists): nothing to pair.
            misaligned[cls] += 1
            continue

        technical = cls == "SciTech" or (cls == "Special" and not canon.upper().startswith(SPECIAL_PEOPLE))
        role = None if cls in ("SciTech", "Special") else role_of(canon)
        for name, nid in zip(noms, nids):
            if not re.fullmatch(r"nm\d+", nid) or not name:
                continue
            spell[nid][name] += 1
            last_seen[nid][name] = max(last_seen[nid].get(name, 0), ceremony)
            if technical:
                continue
            keep_person.add(nid)
            if role and not (role == "composer" and is_lyricist(row["Name"], name)):
                roles[nid].add(role)
                if film_ok:
                    for tt in fids:
                        if re.fullmatch(r"tt\d+", tt):
                            links[tt].add((role, nid))
    if misaligned:
        by_class = ", ".join(f"{n} {c}" for c, n in sorted(misaligned.items()))
        problems.append(f"{sum(misaligned.values())} oscars rows whose nominees have no ids ({by_class}): "
                        "no people taken from them")

    # Titles known as films, to reject film titles that sneaked into the name alias file.
    film_title_keys = {fold(t) for c in ftitle.values() for t in c}
    film_title_keys |= {fold(clean(r["title"])) for r in cannes}

    # ---- person labels and aliases ------------------------------------------------------------
    people: dict[str, dict] = {}
    for nid in sorted(keep_person):
        counts = spell[nid]
        yaml_alias = set(name_yaml.get(nid, []))
        proper = [n for n in counts if not is_all_caps_name(n)]
        if proper:
            label = max(proper, key=lambda n: (n not in yaml_alias, counts[n], last_seen[nid][n], n))
        else:
            label = title_case_name(max(counts, key=lambda n: (counts[n], n)))
        people[nid] = {"label": plain_label(label), "names": [label], "roles": set(roles[nid])}

    # A spelling that is another person's label and shares no word with this person's label is
    # an id error of the source (e.g. a sound director credited under a colleague's id).
    label_owner = collections.defaultdict(set)
    for nid, p in people.items():
        label_owner[fold(p["label"])].add(nid)

    def words(s):
        return set(re.findall(r"\w+", fold(s)))

    for nid, p in people.items():
        candidates = [title_case_name(n) if is_all_caps_name(n) else n for n in spell[nid]]
        candidates += [title_case_name(n) if is_all_caps_name(n) else n for n in name_yaml.get(nid, [])]
        names = list(p["names"]) + name_variants(p["names"][0])
        for n in candidates:
            owners = label_owner.get(fold(n), set()) - {nid}
            if owners and not (words(n) & words(p["label"])):
                problems.append(f"{nid} ({p['label']}): dropped spelling {n!r}, the label of {sorted(owners)}")
                continue
            if fold(n) in film_title_keys and fold(n) != fold(p["label"]):
                problems.append(f"{nid} ({p['label']}): dropped alias {n!r}, a film title")
                continue
            names.append(n)
            names += name_variants(n)
        p["names"] = names

    # ---- films ------------------------------------------------------------------------------
    films: dict[str, dict] = {}
    for tt, counts in ftitle.items():
        label = max(counts, key=lambda t: (counts[t], -len(t), t))
        names = list(counts) + film_yaml.get(tt, [])
        films[tt] = {"label": label, "names": names, "year": fyear.get(tt), "links": set(links[tt]),
                     "oscars": True}

    # ---- Cannes -------------------------------------------------------------------------------
    # Name index over the people of the Oscars (every spelling and alias).
    by_name = collections.defaultdict(set)
    by_translit = collections.defaultdict(set)
    for nid, p in people.items():
        for n in [p["label"], *p["names"]]:
            by_name[name_key(n)].add(nid)
            by_translit[translit_key(n)].add(nid)

    local_people: dict[str, dict] = {}
    ambiguous = set()
    translit = set()
    for row in cannes:
        m = re.search(r"tt\d+", row["imdb_url"])
        title = clean(row["title"])
        if not m or not title:
            problems.append(f"cannes row without imdb id or title skipped: {row}")
            continue
        tt = m.group()
        orig = clean(row["original_title"])
        year = int(row["year"]) if re.fullmatch(r"\d{4}", row["year"].strip()) else None
        f = films.get(tt)
        if f is None:
            f = films[tt] = {"label": title, "names": [], "year": year, "links": set(), "oscars": False}
        else:
            # Prefer the Cannes title when the Oscars one carries a bracketed translation.
            if f["oscars"] and re.search(r"[)\]]$", f["label"]) and not re.search(r"[)\]]$", title):
                f["names"].append(f["label"])
                f["label"] = title
            if f["year"] is None:
                f["year"] = year
        f["names"].append(title)
        if orig and orig != title:
            f["names"].append(orig)

        for d in re.split(r",|&|\s+and\s+", row["director"]):
            d = clean(d)
            if not d:
                continue
            cands = by_name.get(name_key(d), set())
            if not cands and len(by_translit.get(translit_key(d), set())) == 1:
                cands = by_translit[translit_key(d)]
                pid = next(iter(cands))
                translit.add(f"{d} -> {pid} ({people[pid]['label']})")
            if len(cands) > 1:
                directors = {c for c in cands if "director" in people[c]["roles"]}
                cands = directors if directors else cands
            if len(cands) == 1:
                pid = next(iter(cands))
                people[pid]["roles"].add("director")
                if fold(d) != fold(people[pid]["label"]):
                    people[pid]["names"].append(d)
            else:
                if len(cands) > 1:
                    ambiguous.add(f"{d} -> {sorted(cands)}")
                pid = "local:" + slug(d)
                lp = local_people.setdefault(pid, {"label": d, "names": [], "roles": {"director"}})
                if d != lp["label"]:
                    lp["names"].append(d)
            f["links"].add(("director", pid))
    for t in sorted(translit):
        problems.append(f"cannes director matched by transliteration: {t}")
    for a in sorted(ambiguous):
        problems.append(f"cannes director matches several oscars people, kept local id: {a}")

    # Derived title variants ('Main (Alt)').
    for f in films.values():
        extra = []
        for t in [f["label"], *f["names"]]:
            extra += title_variants(t)
        f["names"] += extra

    for pid, lp in local_people.items():
        if pid in people:  # cannot happen (different id spaces) but keep the merge explicit
            people[pid]["roles"] |= lp["roles"]
        else:
            people[pid] = lp
    return people, films, list(dict.fromkeys(problems))


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------

HEADER = """\
# Cinegraph lexicon: {what}
# GENERATED by scripts/build_lexicon.py - do not edit by hand; edit the script and regenerate:
#   python3 scripts/build_lexicon.py --kb ../shared/kb --out ontology/lexicon
# Sources:
#   oscars.tsv, oscars-name-aliases.yaml, oscars-film-aliases.yaml: the oscar_data dataset,
#     Copyright (c) 2022, David V. Lu!! - BSD 2-Clause License
#   cannes-films.csv: the `films` dataset of gt / great_tables,
#     Copyright (c) 2022-2026 Posit Software, PBC - MIT License
# See ontology/lexicon/README.md for the format and the full licence texts.
"""


def cell(v) -> str:
    if v is None or v == "" or v == []:
        return "-"
    if isinstance(v, (list, tuple)):
        v = "|".join(v)
    v = clean(str(v))
    return v if v else "-"


def id_key(i: str):
    m = re.fullmatch(r"(nm|tt)(\d+)", i)
    return (0, i[:2], int(m.group(2)), i) if m else (1, "", 0, i)


def write(path: Path, what: str, columns: list[str], rows: list[dict]):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER.format(what=what))
        f.write("\t".join(columns) + "\n")
        for r in rows:
            cells = [cell(r.get(c)) for c in columns]
            assert all("\t" not in c and "\n" not in c for c in cells)
            f.write("\t".join(cells) + "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kb", default="../shared/kb", type=Path, help="directory of the knowledge-base inputs")
    ap.add_argument("--out", default="ontology/lexicon", type=Path, help="output directory")
    ap.add_argument("-q", "--quiet", action="store_true", help="do not list data problems")
    args = ap.parse_args(argv)

    people, films, problems = build(args.kb)

    person_rows = []
    for pid in sorted(people):
        p = people[pid]
        label = list_item(p["label"])
        person_rows.append({"kind": "person", "id": pid, "label": label,
                            "aliases": dedupe(label, p["names"]), "roles": sort_roles(p["roles"])})
    film_rows = []
    for tt in sorted(films):
        f = films[tt]
        label = clean(f["label"])
        link_cells = [f"{rel}={pid}" for rel, pid in
                      sorted(f["links"], key=lambda x: (ROLE_ORDER.index(x[0]), id_key(x[1])))]
        film_rows.append({"kind": "film", "id": tt, "label": label, "aliases": dedupe(label, f["names"]),
                          "year": f["year"], "links": link_cells})

    write(args.out / "people.tsv", "people (directors, actors, crew) from the Academy Awards and Cannes competition data",
          ["kind", "id", "label", "aliases", "roles"], person_rows)
    write(args.out / "films.tsv", "films from the Academy Awards and Cannes competition data",
          ["kind", "id", "label", "aliases", "year", "links"], film_rows)

    print(f"people.tsv: {len(person_rows)} rows "
          f"({sum(r['id'].startswith('local:') for r in person_rows)} local ids)")
    print(f"films.tsv: {len(film_rows)} rows "
          f"({sum(1 for r in film_rows if r['links'])} with links, "
          f"{sum(len(r['links']) for r in film_rows)} links)")
    if problems and not args.quiet:
        print(f"{len(problems)} data problems handled:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
