"""Open data without login at ``/du-lieu-mo/``: aggregated figures (the dashboard's own selector), charts,
tables and CSV/XLSX/JSON downloads described by a Frictionless ``datapackage.json``. No personal data."""
