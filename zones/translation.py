"""The zones' own words in every interface language (django-modeltranslation).

English is the source and the fallback: each field below gains `<field>_en`, `<field>_ur`
and `<field>_zh_hans` columns; reading `zone.name` gives the active language's text, or the
English one when the translation is missing (``zones.localized`` says which one it was).
The original column keeps the English text (a trigger in migration 0007), so SQL that reads
it, exports and other apps' joins see the source language whatever page saved the record.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import LandDispute, Milestone, Target, Zone


@register(Zone)
class ZoneTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title",)


@register(LandDispute)
class LandDisputeTranslation(TranslationOptions):
    fields = ("description",)


@register(Target)
class TargetTranslation(TranslationOptions):
    fields = ("notes",)


# The change history keeps every language too (django-simple-history copies each of the
# record's fields into its historical row, the translations included).
for options, model in (
    (ZoneTranslation, Zone),
    (MilestoneTranslation, Milestone),
    (LandDisputeTranslation, LandDispute),
    (TargetTranslation, Target),
):
    register(model.history.model)(type(f"Historical{options.__name__}", (options,), {}))
