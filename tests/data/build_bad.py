"""Write the corpus of bad inputs in tests/data/bad/, byte for byte the same on every run.

Every file there except its README.md is made here: random bytes come from a
fixed seed, gzip members carry no timestamp, and WARC records have fixed ids and
dates. Run ``python tests/data/build_bad.py`` to rewrite the folder, or with
``--check`` to report files that differ from what this script makes.

The corpus is described in tests/data/bad/README.md and read in
tests/ingest/test_bad_inputs.py.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import struct
import sys
import zlib
from pathlib import Path

BAD = Path(__file__).resolve().parent / "bad"
SEED = 20240314
HUGE_BYTES = 50 * 1024 * 1024
WARC_DATE = "2024-03-14T09:30:00Z"

# ------------------------------------------------------------------ texts

LATIN1_TEXT = (
    "Police in Zürich said two people were killed and five injured when a delivery van "
    "struck the terrace of a café near the main station on Friday evening.\n\n"
    "The driver, a 54-year-old man, was detained at the scene, according to a police "
    "spokeswoman.\n")

UTF16_TEXT = (
    "Rescue teams in Genève recovered the bodies of three climbers on Sunday, two days "
    "after an avalanche swept them from a ridge above Chamonix, the gendarmerie said.\n\n"
    "A fourth climber, a guide from Lyon, was flown to hospital with serious injuries.\n")

TRUNCATED_TEXT = (
    "The health ministry said 17 people were killed and 52 wounded in an explosion at a "
    "fuel depot on the outskirts of the capital on Saturday night.\n\n"
    "Firefighters worked through the night to stop the blaze from reaching nearby homes, "
    "and several hundred residents were moved to schools and mosques.\n\n"
    "An investigation into the cause of the blast has been opened, the interior ministry "
    "said in a statement on Sunday.\n")

HUGE_PARAGRAPH = (
    "The provincial disaster agency said 12 people were killed and 40 were injured after "
    "heavy rain caused a landslide in the hills above the town overnight. Rescue teams "
    "were still searching for 9 people reported missing.\n\n")

# (slug, headline, paragraphs) of the pages inside the archives. Every text differs,
# so that no page is folded into another as a duplicate.
PAGES: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "crawl.warc": [
        ("bus-crash-kenya", "Bus crash on highway near Nakuru", (
            "Kenyan police said 11 passengers were killed when a bus collided with a "
            "lorry on the Nakuru highway early on Saturday.",
            "Another 23 people were taken to hospital, a county official said.")),
        ("ferry-fire-sulawesi", "Ferry fire off Sulawesi", (
            "Indonesia's search and rescue agency said at least 5 people died after a "
            "fire broke out on a ferry carrying 230 passengers off North Sulawesi.",
            "Most passengers jumped into the sea and were picked up by fishing boats.")),
        ("mine-collapse-lost", "Mine collapse in Shanxi", (
            "State media reported that 8 miners were killed when a coal mine collapsed "
            "in Shanxi province on Tuesday.",)),
        ("flood-bangladesh", "Floods in northeast Bangladesh", (
            "Flash floods in Sylhet killed at least 14 people and left thousands "
            "stranded on rooftops, the district administration said on Monday.",
            "The army was deployed to help evacuate villages along the Surma river.")),
        ("quake-peru", "Earthquake in southern Peru", (
            "A magnitude 6.1 earthquake struck southern Peru on Wednesday, killing 3 "
            "people in Arequipa region, the civil defence institute said.",
            "Dozens of adobe houses collapsed in villages near the epicentre.")),
    ],
    "crawl.warc.gz": [
        ("storm-philippines", "Typhoon batters northern Luzon", (
            "Philippine disaster officials said 9 people were killed and 4 were missing "
            "after a typhoon brought floods and landslides to northern Luzon.",
            "Over 60,000 residents spent the night in evacuation centres.")),
        ("fire-lagos-market", "Fire at Lagos market", (
            "The Lagos State Emergency Management Agency said 2 traders died when fire "
            "swept through a market on Lagos Island on Thursday night.",
            "Firefighters battled the blaze for six hours before bringing it under "
            "control.")),
        ("train-derailment-lost", "Train derails in Odisha", (
            "Railway officials said 6 passengers were injured when three coaches of an "
            "express train left the tracks in Odisha.",)),
        ("heatwave-pakistan", "Heatwave in Sindh", (
            "Hospitals in Karachi recorded 21 deaths from heatstroke over three days, "
            "the provincial health department said on Saturday.",
            "Temperatures passed 44 degrees Celsius across much of Sindh.")),
        ("bridge-collapse-vietnam", "Bridge collapse in Phu Tho", (
            "A steel bridge over the Red River in Phu Tho province collapsed on Monday, "
            "and rescuers said 4 people had died and 8 were missing.",
            "Several motorbikes and a truck fell into the river when the span gave way.")),
    ],
}
# The third page of each archive sits in the record that is broken.
BROKEN_PAGE = 2

# ------------------------------------------------------------------ small helpers


def _gzip(data: bytes) -> bytes:
    """One gzip member with no timestamp, so the same bytes come out every run."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def page_html(slug: str, headline: str, paragraphs: tuple[str, ...]) -> bytes:
    """A small news page: navigation, one article, a footer."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
        f"<title>{headline}</title></head>\n<body>\n"
        "<nav><a href=\"/\">Home</a> | <a href=\"/world\">World</a></nav>\n"
        f"<article>\n<h1>{headline}</h1>\n{body}\n</article>\n"
        "<footer>Copyright 2024 Example Wire. All rights reserved.</footer>\n"
        "</body>\n</html>\n").encode()


def png_image() -> bytes:
    """A real 8x8 grey PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    rows = b"".join(b"\x00" + bytes([0x80] * 8) for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


# ------------------------------------------------------------------ WARC records


def warc_record(kind: str, number: int, uri: str | None, block: bytes,
                content_type: str) -> bytes:
    """One WARC/1.0 record: header, block, and the blank lines that close it."""
    head = [
        "WARC/1.0",
        f"WARC-Type: {kind}",
        f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{number:012d}>",
        f"WARC-Date: {WARC_DATE}",
    ]
    if uri:
        head.append(f"WARC-Target-URI: {uri}")
    head += [f"Content-Type: {content_type}", f"Content-Length: {len(block)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("utf-8") + block + b"\r\n\r\n"


def http_response(status: str, headers: dict[str, str], body: bytes) -> bytes:
    """An HTTP/1.1 response message as it sits in a response record's block."""
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()),
             f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def archive_records(name: str) -> list[bytes]:
    """The records of one archive, in order; records[index_of_broken] is the one the
    archive breaks (see BROKEN_PAGE)."""
    host = "news.example.org" if name == "crawl.warc" else "wire.example.net"
    pages = PAGES[name]
    records: list[bytes] = []
    number = 0

    def add(kind: str, uri: str | None, block: bytes, content_type: str) -> None:
        nonlocal number
        number += 1
        records.append(warc_record(kind, number, uri, block, content_type))

    info = b"software: tolltrack test corpus\r\nformat: WARC File Format 1.0\r\n"
    add("warcinfo", None, info, "application/warc-fields")
    for index, (slug, headline, paragraphs) in enumerate(pages):
        uri = f"https://{host}/{slug}"
        request = (f"GET /{slug} HTTP/1.1\r\nHost: {host}\r\n"
                   "User-Agent: example-crawler/1.0\r\n\r\n").encode()
        add("request", uri, request, "application/http; msgtype=request")
        html = page_html(slug, headline, paragraphs)
        add("response", uri, http_response("200 OK", {
            "Content-Type": "text/html; charset=utf-8"}, html),
            "application/http; msgtype=response")
        if index == 1:
            # Between the pages before and after the broken record: a picture and a
            # redirect, neither of which is an article.
            add("response", f"https://{host}/img/{slug}.png", http_response(
                "200 OK", {"Content-Type": "image/png"}, png_image()),
                "application/http; msgtype=response")
            add("response", f"http://{host}/{slug}", http_response(
                "301 Moved Permanently", {"Location": uri,
                                          "Content-Type": "text/html"}, b""),
                "application/http; msgtype=response")
    return records


def broken_index(records: list[bytes], name: str) -> int:
    """The position in ``records`` of the response that holds the broken page."""
    slug = PAGES[name][BROKEN_PAGE][0].encode()
    return next(i for i, r in enumerate(records)
                if b"WARC-Type: response" in r and r.find(b"/" + slug + b"\r\n") >= 0)


def plain_warc() -> bytes:
    """crawl.warc: its broken record is cut off after half its bytes (as when a crawler
    dies mid-write), so its Content-Length runs into the record after it."""
    records = archive_records("crawl.warc")
    broken = broken_index(records, "crawl.warc")
    records[broken] = records[broken][: len(records[broken]) // 2]
    return b"".join(records)


def gzip_warc() -> bytes:
    """crawl.warc.gz: one gzip member per record; the broken record's member has its
    deflate data overwritten with 0xFF bytes (an invalid block type), header and
    trailer left in place."""
    records = archive_records("crawl.warc.gz")
    broken = broken_index(records, "crawl.warc.gz")
    members = [_gzip(r) for r in records]
    member = bytearray(members[broken])
    member[10:-8] = b"\xff" * (len(member) - 18)  # 10-byte header, 8-byte trailer
    members[broken] = bytes(member)
    return b"".join(members)


# ------------------------------------------------------------------ the other files


def huge_text() -> bytes:
    """About 50 MB of news text, for huge.txt.gz and the plain huge.txt tests make."""
    block = HUGE_PARAGRAPH.encode("utf-8")
    return block * (HUGE_BYTES // len(block) + 1)


def bad_jsonl() -> bytes:
    """JSON lines, two good among bad ones; the last line is cut off without a newline."""
    good = [
        {"id": "jsonl-good-1", "date": "2024-03-12", "title": "Shelling in Kharkiv",
         "text": "Regional governor Oleh Syniehubov said 4 civilians were killed in "
                 "overnight shelling of Kharkiv."},
        {"id": "jsonl-good-2", "date": "2024-03-13", "title": "Clashes in Darfur",
         "text": "A local medical group said at least 30 people were killed in clashes "
                 "in El Fasher on Wednesday."},
    ]
    lines = [
        json.dumps(good[0]).encode(),
        b'{"id": "open", "text": "Five people were killed',  # no closing quote or brace
        b"[1, 2, 3]",
        b"",
        b'{"id": "no-text", "title": "A record with a title and nothing else"}',
        json.dumps(good[1]).encode(),
        b'{"id": "when", "text": "Two soldiers were wounded.", "date": "last Tuesday"}',
        b'{"id": "latin1", "text": "Caf\xe9 owner killed"}',  # not UTF-8
        b"{'id': 'single-quotes', 'text': 'Python, not JSON'}",
    ]
    return b"\n".join(lines) + b'\n{"id": "cut", "text": "The ministry said 7'


def build() -> dict[str, bytes]:
    """Every generated file of the corpus: name -> bytes."""
    empty_feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0">\n<channel>\n<title>Example Wire: World</title>\n'
        "<link>https://wire.example.net/world</link>\n"
        "<description>Latest world news</description>\n"
        "<lastBuildDate>Thu, 14 Mar 2024 09:00:00 GMT</lastBuildDate>\n"
        "</channel>\n</rss>\n")
    no_body = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>Strike on a market in Sumy</title>\n</head>\n</html>\n")
    story = _gzip(TRUNCATED_TEXT.encode("utf-8"))
    rng = random.Random(SEED)
    return {
        "empty.txt": b"",
        "random.bin": rng.randbytes(4096),
        "photo.html": png_image(),
        "no_body.html": no_body.encode("utf-8"),
        "huge.txt.gz": _gzip(huge_text()),
        "latin1.txt": LATIN1_TEXT.encode("latin-1"),
        "utf16.txt": UTF16_TEXT.encode("utf-16"),  # little-endian with its BOM
        "truncated.txt.gz": story[: len(story) // 2],
        "crawl.warc": plain_warc(),
        "crawl.warc.gz": gzip_warc(),
        "bad_lines.jsonl": bad_jsonl(),
        "empty_feed.rss": empty_feed.encode("utf-8"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="report files that differ from what this script makes")
    parser.add_argument("--out", type=Path, default=BAD, help="folder to write")
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        stale = [name for name, data in files.items()
                 if not (args.out / name).is_file() or (args.out / name).read_bytes() != data]
        for name in stale:
            print(f"differs: {name}")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
