"""The ISO 3166-1 alpha-2 country codes: the only codes an export market may be.

The 249 officially assigned codes as the ISO 3166 Maintenance Agency lists them (ISO Online
Browsing Platform, https://www.iso.org/obp/ui/#search/code/, "Officially assigned" codes);
no library installed here carries the list, so it is kept here, one line per initial. When
the agency assigns or withdraws a code, change this list and its test
(``tests/zones/test_countries.py``). User-assigned codes (``XK``, ``EU`` …) are not countries
and are refused. Pure: no Django.
"""

from __future__ import annotations

_CODES = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ
EC EE EG EH ER ES ET
FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ
LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ
OM
PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA
RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
UA UG UM US UY UZ
VA VC VE VG VI VN VU
WF WS
YE YT
ZA ZM ZW
"""

#: Every officially assigned ISO 3166-1 alpha-2 code.
ISO_3166_ALPHA_2: frozenset[str] = frozenset(_CODES.split())


def unknown_codes(codes: list[str] | tuple[str, ...]) -> list[str]:
    """The codes in ``codes`` that are not officially assigned ISO 3166-1 alpha-2 codes."""
    return [code for code in codes if code not in ISO_3166_ALPHA_2]
