"""The JSON API at ``/api/v1/``: django-ninja routers calling the desk's services and selectors.

``claims.api.app`` builds the ``NinjaAPI`` and mounts one router per resource; every rule of
who may do what is in ``claims.access``, as on the desk.
"""
