"""API views by subject; :mod:`api.views.base` holds what every route shares."""
