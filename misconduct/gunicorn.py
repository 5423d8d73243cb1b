"""gunicorn settings for the web container: `gunicorn --config python:misconduct.gunicorn misconduct.wsgi:application`.

Logs hold nothing about the visitor. gunicorn's default access-log line carries the client address
and the user agent next to a time to the second, which for a /hotline/ request joins straight to the
report's received_at. So the access line here is request, status, size and duration; the logger class
also blanks every visitor atom (address, user, referer, user agent, any request header or
environment variable) whatever access_log_format says, gives /hotline/ lines only the hour, and puts
the address filter on the access and error logs (Django's own logging has it too, see LOGGING).
WEB_CONCURRENCY sets the number of workers (gunicorn reads it).
"""

import time

from gunicorn.glogging import Logger

from misconduct.logfilters import AddressRedactingFilter

bind = "0.0.0.0:8000"
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
logger_class = "misconduct.gunicorn.PrivateLogger"
# The image's user has no writable home for gunicornc's control socket, and nothing here uses it.
control_socket_disable = True

VISITOR_ATOMS = ("h", "u", "f", "a")
PUBLIC_PREFIX = "/hotline/"


class PrivateLogger(Logger):
    """gunicorn's logger with nothing about the visitor in any line."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, AddressRedactingFilter) for f in log.filters):
                log.addFilter(AddressRedactingFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in list(atoms):
            if key in VISITOR_ATOMS or key.endswith(("}i", "}e")):
                atoms[key] = "-"
        if (environ.get("PATH_INFO") or "").startswith(PUBLIC_PREFIX):
            atoms["t"] = time.strftime("[%d/%b/%Y:%H:00 %z]")
        return atoms
