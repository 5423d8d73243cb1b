"""Staff sessions: Django's database sessions, each request's refresh written as one UPDATE.

Sessions end after SESSION_COOKIE_AGE idle seconds, so every request saves its session
(SESSION_SAVE_EVERY_REQUEST) to move the expiry on. Django's database store wraps that save in a
transaction of its own (BEGIN, UPDATE, COMMIT: three round trips on every page, issue 18), which the
insert of a new session needs (its savepoint lets a clashing key be retried) but a single UPDATE of one
row does not: under autocommit it is atomic by itself. So an existing session is refreshed with one
UPDATE; a session whose row is gone (signed out, or flushed elsewhere) still raises UpdateError, so the
request ends with Django's "session was deleted" answer, as before. Everything else (load, create,
delete, key cycling) is Django's own, and the rows and the encoding are the same, so no one is signed
out by the change.

Sessions stay in the database, not the cache: the cache can be down (a session must survive a Redis
outage), and a copy in the cache that a failed delete left behind would outlive a sign-out.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError


class SessionStore(db.SessionStore):
    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        data = self._get_session()
        updated = self.model._default_manager.filter(session_key=self.session_key).update(
            session_data=self.encode(data), expire_date=self.get_expiry_date()
        )
        if not updated:
            raise UpdateError
        return None
