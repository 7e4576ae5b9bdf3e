"""The Celery app. Settings live in config.settings under the CELERY_ namespace.

Two queues: ``celery`` (the default) and ``ingest``, extraction's own, so a long text never
holds up webhooks and captures. A worker consumes only the queues it is started with:
``--queues=celery,ingest``, as ``make worker`` does.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("claimdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

INGEST_QUEUE = "ingest"
# Routes, not the tasks' ``queue`` attribute, which Celery 6 will ignore.
app.conf.task_routes = {"claims.tasks.ingest_extract": {"queue": INGEST_QUEUE}}
