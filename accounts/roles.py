"""Who may see and change what: the five roles and each user's zone scope.

Roles are Django groups (created by a data migration); scope (which zones an editor may
change, which provinces a reviewer reviews) is an :class:`~accounts.models.Assignment`.
Every view and API endpoint asks these functions; nothing trusts the browser.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext_noop


class Role(StrEnum):
    PUBLIC = "public"
    OFFICIAL = "official"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    ADMINISTRATOR = "administrator"


# Group names as stored; marked for translation where they are displayed.
GROUP_NAMES = {
    Role.OFFICIAL: gettext_noop("Planning officials"),
    Role.EDITOR: gettext_noop("Zone editors"),
    Role.REVIEWER: gettext_noop("Reviewers"),
    Role.ADMINISTRATOR: gettext_noop("Administrators"),
}
ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}
# The roles an assignment gives a zone scope in (``Assignment.role``).
SCOPED_ROLES = (Role.EDITOR, Role.REVIEWER)


def roles_of(user) -> frozenset[Role]:
    """The user's roles, looked up once per request (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset({Role.PUBLIC})
    cached = getattr(user, "_sez_roles", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)
        cached = frozenset(ROLE_BY_GROUP[name] for name in names if name in ROLE_BY_GROUP)
        if user.is_superuser:
            cached |= {Role.ADMINISTRATOR}
        cached = cached or frozenset({Role.PUBLIC})
        user._sez_roles = cached
    return cached


def is_administrator(user) -> bool:
    return Role.ADMINISTRATOR in roles_of(user)


def sees_everything(user) -> bool:
    """Officials, reviewers and administrators see every zone and every internal field."""
    return bool(roles_of(user) & {Role.OFFICIAL, Role.REVIEWER, Role.ADMINISTRATOR})


def can_edit(user) -> bool:
    """Zone editors and administrators: they may open editing forms and upload spreadsheets
    (for which zones, :func:`editable_zones_q` and :func:`can_edit_zone` say)."""
    return bool(roles_of(user) & {Role.EDITOR, Role.ADMINISTRATOR})


def can_review(user) -> bool:
    """Reviewers and administrators: they see a review queue (of :func:`reviewable_zones_q`)."""
    return bool(roles_of(user) & {Role.REVIEWER, Role.ADMINISTRATOR})


def assignments_in_force_q() -> Q:
    """The one scope rule, as a filter on :class:`~accounts.models.Assignment`: an assignment
    gives scope while its user is active and still in the group of the assignment's role.

    Someone taken out of the group keeps no scope through a forgotten assignment. The
    permission checks below read a user's assignments through it, and so does everything
    that selects people by their scope for many users at once (the overdue digest).
    """
    in_group = Q()
    for role in SCOPED_ROLES:
        in_group |= Q(role=role, user__groups__name=GROUP_NAMES[role])
    return Q(user__is_active=True) & in_group


def assignments_in_force(*, user=None) -> list[dict]:
    """Assignments in force (see :func:`assignments_in_force_q`), of ``user`` or of everyone,
    as ``{"user_id", "role", "zone_id", "province_id"}`` dictionaries."""
    from .models import Assignment

    assignments = Assignment.objects.filter(assignments_in_force_q())
    if user is not None:
        assignments = assignments.filter(user=user)
    return list(assignments.values("user_id", "role", "zone_id", "province_id"))


def assignment_covers(assignment: dict, *, zone_id: int, province_id: int) -> bool:
    """Whether an assignment (as from :func:`assignments_in_force`) covers a zone: the zone
    itself, or its whole province."""
    return assignment["zone_id"] == zone_id or assignment["province_id"] == province_id


def _assignments(user, role: Role) -> list[dict]:
    if user is None or not user.is_authenticated:
        return []
    cache = getattr(user, "_sez_assignments", None)
    if cache is None:
        cache = assignments_in_force(user=user)
        user._sez_assignments = cache
    return [a for a in cache if a["role"] == role]


def _scope_q(assignments, *, prefix: str) -> Q:
    zone_ids = [a["zone_id"] for a in assignments if a["zone_id"]]
    provinces = [a["province_id"] for a in assignments if a["province_id"]]
    q = Q(pk__in=[])
    if zone_ids:
        q |= Q(**{f"{prefix}id__in": zone_ids})
    if provinces:
        q |= Q(**{f"{prefix}province__in": provinces})
    return q


def _scope(user, role: Role) -> list[dict] | None:
    """The user's assignments in force in ``role``; None means everything (an administrator).

    Outside the role's group no assignment is in force (:func:`assignments_in_force_q`), so
    the user's roles, read once per request, spare the query.
    """
    if is_administrator(user):
        return None
    if role not in roles_of(user):
        return []
    return _assignments(user, role)


def _zones_q(user, role: Role, prefix: str) -> Q:
    assignments = _scope(user, role)
    return Q() if assignments is None else _scope_q(assignments, prefix=prefix)


def _covers(user, role: Role, zone) -> bool:
    assignments = _scope(user, role)
    return assignments is None or any(
        assignment_covers(a, zone_id=zone.pk, province_id=zone.province_id) for a in assignments
    )


def editable_zones_q(user, *, prefix: str = "") -> Q:
    """A filter on zones (``prefix`` e.g. ``"zone__"`` for child records) the user may edit."""
    return _zones_q(user, Role.EDITOR, prefix)


def reviewable_zones_q(user, *, prefix: str = "") -> Q:
    """A filter on zones whose editors' updates the user may approve or return."""
    return _zones_q(user, Role.REVIEWER, prefix)


def can_edit_zone(user, zone) -> bool:
    return _covers(user, Role.EDITOR, zone)


def can_review_zone(user, zone) -> bool:
    return _covers(user, Role.REVIEWER, zone)


def sees_internal_fields_of(user, zone) -> bool:
    return sees_everything(user) or can_edit_zone(user, zone)


#: Fields only administrators set, by any path (forms, the workspace, imports, the admin),
#: by model label. The API is read-only. Named by label: accounts imports no app of ours.
ADMINISTRATOR_ONLY_FIELDS: dict[str, frozenset[str]] = {
    "zones.zone": frozenset({"published", "province", "slug", "cpec_priority"}),
}


def fields_refused_to(user, model_label: str) -> frozenset[str]:
    """The fields of the model ``model_label`` (e.g. ``"zones.zone"``) that ``user`` may not
    change: none for administrators, :data:`ADMINISTRATOR_ONLY_FIELDS` for everyone else.
    A field is named as on the model (``province``, not ``province_id``)."""
    if is_administrator(user):
        return frozenset()
    return ADMINISTRATOR_ONLY_FIELDS.get(model_label.lower(), frozenset())
