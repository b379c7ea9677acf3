"""The ledger: one sealed entry per run and per published methodology version, in sealing order.

Entries name what they seal by kind and id, with no foreign key: a run deleted behind the app's back
leaves its entry, which is how `verify_ledger` finds it gone.
"""

from django.db import models


class EntryKind(models.TextChoices):
    RUN = "run", "run"
    METHODOLOGY_VERSION = "methodology_version", "methodology version"


class LedgerEntry(models.Model):
    position = models.PositiveBigIntegerField(unique=True, help_text="1, 2, 3…: the chain's order.")
    kind = models.CharField(max_length=24, choices=EntryKind.choices)
    object_id = models.PositiveBigIntegerField(help_text="The run's id, or the methodology version's number.")
    content_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the record's canonical bytes.")
    seal = models.CharField(max_length=64, help_text="SHA-256 of the previous seal, a newline and content_sha256.")
    sealed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "ledger entries"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="ledgerentry_one_per_object")]

    def __str__(self) -> str:
        return f"#{self.position} {self.kind} {self.object_id}"


class LedgerCheck(models.Model):
    """One run of `verify_ledger`: when, the verdict, and the head it saw (anchors the next check)."""

    checked_at = models.DateTimeField(auto_now_add=True, db_index=True)
    intact = models.BooleanField()
    entries = models.PositiveBigIntegerField()
    head_position = models.PositiveBigIntegerField(null=True, blank=True)
    head_seal = models.CharField(max_length=64, blank=True)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{'intact' if self.intact else 'FAILED'} at {self.checked_at:%Y-%m-%d %H:%M}"
