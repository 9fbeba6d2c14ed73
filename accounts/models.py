"""Which zones a zone editor or reviewer is responsible for.

Zones and provinces are named by label, not imported: accounts, the one scope rule every
feature app asks, imports none of them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """A user's responsibility: an editor for a zone or a whole province, a reviewer for a
    province (or, rarely, a single zone)."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("Zone editor")
        REVIEWER = "reviewer", _("Reviewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("zone")
    )
    province = models.ForeignKey(
        "zones.Province",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("province"),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                name="assignment_zone_xor_province",
                condition=(Q(zone__isnull=False) & Q(province__isnull=True))
                | (Q(zone__isnull=True) & Q(province__isnull=False)),
                violation_error_message=_("Assign either one zone or one province."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "zone"],
                condition=Q(zone__isnull=False),
                name="assignment_unique_zone",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "province"],
                condition=Q(province__isnull=False),
                name="assignment_unique_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} · {self.zone or self.province}"
