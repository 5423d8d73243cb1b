"""The antivirus hook every upload passes through. ClamAV's daemon (through `clamd`) when
settings.CLAMD_SOCKET or CLAMD_HOST is set; otherwise nothing is scanned and a warning says so.
A scanner that cannot answer refuses the file: an unchecked file is not accepted as checked."""

import io
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


class ScanRefused(Exception):
    pass


class NoScanner:
    def scan(self, data: bytes, name: str) -> None:
        logger.warning("No virus scanner configured (CLAMD_SOCKET/CLAMD_HOST): %s was not scanned.", name)


class ClamdScanner:
    def __init__(self):
        import clamd

        self._clamd = clamd
        if settings.CLAMD_SOCKET:
            self.client = clamd.ClamdUnixSocket(path=settings.CLAMD_SOCKET)
        else:
            self.client = clamd.ClamdNetworkSocket(host=settings.CLAMD_HOST, port=settings.CLAMD_PORT)

    def scan(self, data: bytes, name: str) -> None:
        try:
            answer = self.client.instream(io.BytesIO(data))
        except (self._clamd.ClamdError, OSError) as exc:
            logger.error("Virus scanner unavailable for %s: %s", name, exc)
            raise ScanRefused("The virus scanner could not check this file. Try again later.") from exc
        # No answer at all (the daemon hung up) is not a clean file: instream then returns None.
        status, signature = (answer or {}).get("stream", ("ERROR", None))
        if status == "FOUND":
            logger.warning("Virus scanner refused %s: %s", name, signature)
            raise ScanRefused("This file contains a virus or malware and was not accepted.")
        if status != "OK":
            logger.error("Virus scanner gave no verdict for %s: %s %s", name, status, signature)
            raise ScanRefused("The virus scanner could not check this file. Try again later.")


def scanner():
    if settings.CLAMD_SOCKET or settings.CLAMD_HOST:
        return ClamdScanner()
    return NoScanner()
