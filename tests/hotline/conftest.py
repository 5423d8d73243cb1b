import pytest
from django.core.cache import cache

from hotline import ratelimits


@pytest.fixture(autouse=True)
def _hotline_settings(settings, tmp_path):
    """Each test starts with empty rate-limit and failure counters (in the cache and the process-local
    fallback), no look-up delay, private files in a throwaway directory, and limits high enough not
    to get in the way unless a test lowers them."""
    settings.HOTLINE_LOOKUP_DELAY_BASE = 0
    settings.HOTLINE_SUBMIT_RATE_PER_IP = "1000/m"
    settings.HOTLINE_SUBMIT_RATE_GLOBAL = "1000/m"
    settings.HOTLINE_LOOKUP_RATE_PER_IP = "1000/m"
    settings.HOTLINE_LOOKUP_RATE_GLOBAL = "1000/m"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    cache.clear()
    ratelimits.LOCAL.reset()
    yield
    cache.clear()
    ratelimits.LOCAL.reset()


# As the check-answers page sends it: the answers, and its Send button (without it, the answers are
# shown back for checking and nothing is filed).
VALID_REPORT = {
    "category": "personal_advantage",
    "what_happened": "An officer took money to make a speeding ticket go away.",
    "anonymous": "yes",
    "relationship": "victim",
    "send": "yes",
}
