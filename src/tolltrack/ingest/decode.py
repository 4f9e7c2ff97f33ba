"""Bytes to text, refusing what is not text, with a reason a user can read."""

from __future__ import annotations

MAX_BYTES = 50 * 1024 * 1024


class NotText(ValueError):
    """The bytes are not readable text; ``code`` names why (binary, undecodable, too_large)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def decode_text(data: bytes) -> str:
    """Decode UTF-8 text (a BOM is allowed) or UTF-16 with its byte-order mark; raise
    NotText for binary data or other encodings."""
    if len(data) > MAX_BYTES:
        raise NotText("too_large", f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")  # a byte-order mark says which
        except UnicodeDecodeError as exc:
            raise NotText("undecodable", "cannot be decoded as UTF-16") from exc
    head = data[:8192]
    if b"\x00" in head:
        raise NotText("binary", "binary data, not text")
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and controls / len(head) > 0.05:
        raise NotText("binary", "binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotText("undecodable",
                      f"cannot be decoded as UTF-8 (byte 0x{data[exc.start]:02x} "
                      f"at offset {exc.start})") from exc
