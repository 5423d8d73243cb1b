"""A logging filter that keeps addresses out of every log line.

Hotline reporters must not be traceable through the logs: an address next to a time joins straight
to a report's received_at. The access log's format already leaves the address and the browser out
(misconduct/gunicorn.py); this filter is the second line, on gunicorn's error log and on Django's
logging alike, for messages that quote an address anyway (a Host header, an "invalid request from").
"""

import ipaddress
import logging
import re

MASK = "[address]"
# Candidates only; each is confirmed by the ipaddress module, so times ("12:30:45") and version
# numbers with fewer parts are left alone.
IPV4 = r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)"
IPV6 = r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?:%\w+)?(?![\w:]|\.\d)"
CANDIDATE = re.compile(f"{IPV4}|{IPV6}")


def _mask_match(match: re.Match) -> str:
    text = match.group(0)
    try:
        ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return text
    return MASK


def redact_addresses(text: str) -> str:
    return CANDIDATE.sub(_mask_match, text)


class AddressRedactingFilter(logging.Filter):
    """Replaces anything that is an IP address in a record's message and traceback by [address]."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_addresses(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_addresses(record.exc_text)
        return True
