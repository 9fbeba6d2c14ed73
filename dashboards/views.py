from django.shortcuts import get_object_or_404, render

from zones import selectors
from zones.models import Province


def national(request):
    provinces = selectors.zones_by_province(user=request.user)
    return render(request, "dashboards/national.html", {"provinces": provinces})


def province(request, code: str):
    province = get_object_or_404(Province, code=code.upper())
    zones = dict(selectors.zones_by_province(user=request.user))[province]
    return render(request, "dashboards/province.html", {"province": province, "zones": zones})
