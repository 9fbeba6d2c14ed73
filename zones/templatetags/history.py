from django import template

from accounts.roles import sees_internal_fields_of

from ..history import zone_history

register = template.Library()


@register.inclusion_tag("zones/_history.html", takes_context=True)
def zone_change_history(context, zone):
    """The zone's change timeline, for officials and the zone's editors (it names people)."""
    user = context["request"].user
    visible = sees_internal_fields_of(user, zone)
    return {"visible": visible, "entries": zone_history(zone=zone) if visible else []}
