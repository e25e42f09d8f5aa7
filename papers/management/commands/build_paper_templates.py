"""Write the shipped Decree 30 templates to papers/docx/ (see papers/build.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Build the shipped .docx paper templates"

    def handle(self, *args, **options):
        from papers.build import build_all

        for path in build_all(Path(__file__).resolve().parents[2] / "docx"):
            self.stdout.write(str(path))
