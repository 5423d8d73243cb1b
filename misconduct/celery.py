import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "misconduct.settings")

# Every task skips a delivery whose outbox row already completed (a re-published row runs once).
app = Celery("misconduct", task_cls="cases.queue:OutboxAwareTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
