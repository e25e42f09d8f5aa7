"""Papers in Decree 30/2020 form: editable .docx filled from a project (docxtpl), PDF by LibreOffice in
the worker, per-province templates checked before use, and digital signatures of uploaded PDFs."""
