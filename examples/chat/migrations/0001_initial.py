"""The chat history table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from django.db import migrations, models
from django.db.migrations.operations.base import Operation


class Migration(migrations.Migration):
    initial = True

    dependencies: ClassVar[Sequence[tuple[str, str]]] = ()

    operations: ClassVar[Sequence[Operation]] = [
        migrations.CreateModel(
            name="Message",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("room", models.CharField(db_index=True, max_length=80)),
                ("author", models.CharField(max_length=150)),
                ("text", models.TextField()),
                ("sent_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={"ordering": ("-id",)},
        ),
    ]
