"""Name the two auto-created many-to-many tables as models (state only: the tables stay as they
are), so that pghistory can put audit triggers on them in the next migration."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_load_categories"),
        ("regions", "0002_load_regions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProjectCommune",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "project",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="projects.project"
                            ),
                        ),
                        (
                            "commune",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, to="regions.commune"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "projects_project_communes",
                        "unique_together": {("project", "commune")},
                    },
                ),
                migrations.CreateModel(
                    name="ProjectCategory",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "project",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="projects.project"
                            ),
                        ),
                        (
                            "activitycategory",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, to="projects.activitycategory"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "projects_project_extra_categories",
                        "unique_together": {("project", "activitycategory")},
                    },
                ),
                migrations.AlterField(
                    model_name="project",
                    name="communes",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="projects",
                        through="projects.ProjectCommune",
                        to="regions.commune",
                        verbose_name="địa bàn thực hiện",
                    ),
                ),
                migrations.AlterField(
                    model_name="project",
                    name="extra_categories",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="linked_projects",
                        through="projects.ProjectCategory",
                        to="projects.activitycategory",
                        verbose_name="nội dung kết hợp (đề án điểm)",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
