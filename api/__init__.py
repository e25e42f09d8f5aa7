"""The REST API under ``/api/v1/`` (djangorestframework + drf-spectacular): registered clients with
scoped, hashed, expiring tokens; the web's scope and services; one JSON error shape."""
