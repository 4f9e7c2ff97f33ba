"""Bytes to text, refusing what is not text, with a reason a user can read."""

from __future__ import annotations

MAX_BYTES = 10 * 1024 * 1024
_HIGH = bytes(range(128, 256))
# Control bytes that never occur in text (tab, newlines, form feed and escape aside).
_CONTROLS = bytes(b for b in range(32) if b < 9 or 13 < b < 32)
_BOM = b"\xef\xbb\xbf"


class NotText(ValueError):
    """The bytes are not readable text; ``code`` names why (binary, undecodable, too_large)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def is_binary(head: bytes) -> bool:
    """True when the first bytes of a document look like binary data, not text."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NUL bytes but says so with its byte-order mark
    # A stray NUL or control byte in a text is damage, not a sign of binary data:
    # binary data has them throughout.
    controls = len(head) - len(head.translate(None, _CONTROLS))
    nuls = head.count(0)
    return bool(head) and ((nuls > 1 and nuls > 0.01 * len(head))
                           or controls / len(head) > 0.05)


def decode_text(data: bytes, declared: str | None = None, max_bytes: int = MAX_BYTES) -> str:
    """Text of ``data``: UTF-8 (a BOM is allowed), UTF-16 with its byte-order mark,
    the ``declared`` charset (from HTTP or a page), else Windows-1252 for
    Western text with a few accented letters, else the encoding
    charset_normalizer finds.

    Raise NotText for binary data, data over ``max_bytes``, or bytes no
    candidate encoding decodes.
    """
    if len(data) > max_bytes:
        raise NotText("too_large", f"larger than {max_bytes / (1024 * 1024):g} MB")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")  # a byte-order mark says which
        except UnicodeDecodeError as exc:
            raise NotText("undecodable", "cannot be decoded as UTF-16") from exc
    if is_binary(data[:8192]):
        raise NotText("binary", "binary data, not text")
    try:
        return data.decode("utf-8-sig").replace("\x00", "")
    except UnicodeDecodeError:
        data = data.removeprefix(_BOM)  # a UTF-8 mark on text that is not UTF-8
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    if _mostly_ascii_letters(data):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:  # cp1252 leaves five bytes undefined
            pass
    from charset_normalizer import from_bytes

    # UTF-16 and UTF-32 without a byte-order mark are guesses charset_normalizer
    # makes for short single-byte text; real ones carry a BOM.
    matches = [m for m in from_bytes(data) if not m.encoding.startswith(("utf_16", "utf_32"))]
    if matches:
        return str(matches[0])
    return data.decode("latin-1")


def _mostly_ascii_letters(data: bytes) -> bool:
    """True when high bytes are a minority among letters: text in a Western
    single-byte encoding (accented letters here and there), where Windows-1252,
    Latin-1's superset, is the commonest. Cyrillic or Greek single-byte text is
    high bytes nearly throughout, and goes to the charset detector instead."""
    high = len(data) - len(data.translate(None, _HIGH))
    letters = sum(1 for b in data[:65536] if 65 <= b <= 90 or 97 <= b <= 122)
    return high <= 0.5 * (letters + high)
