"""The policy rules against hand calculations: which events apply to a zone, the incentives
a new enterprise gets today, and the one-window clock. No database."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from policy import rules
from policy.rules import ApplicationRecord, EventRecord

D = datetime.date
TODAY = D(2025, 6, 30)


def event(reference, date, effect="incentive_granted", *, level="federal", province=None,
          zones=(), incentive="", title=None):  # fmt: skip
    return EventRecord(
        reference=reference,
        date=date,
        level=level,
        province=province,
        effect=effect,
        title=title or reference,
        zones=frozenset(zones),
        incentive=incentive,
    )


class TestWhichEventsApply:
    federal = event("federal", D(2013, 1, 1))
    sindh = event("sindh", D(2014, 1, 1), level="provincial", province="PK-SD")
    named = event("named", D(2015, 1, 1), zones={"dhabeji"})
    named_provincial = event(
        "named-kp", D(2016, 1, 1), level="provincial", province="PK-KP", zones={"rashakai"}
    )

    def applying(self, slug, province):
        events = [self.federal, self.sindh, self.named, self.named_provincial]
        return {
            e.reference
            for e in events
            if rules.applies_to(e, zone_slug=slug, zone_province=province)
        }

    def test_a_federal_event_naming_no_zone_applies_everywhere(self):
        assert "federal" in self.applying("allama-iqbal", "PK-PB")
        assert "federal" in self.applying("dhabeji", "PK-SD")

    def test_a_provincial_event_applies_only_in_its_province(self):
        assert self.applying("dhabeji", "PK-SD") == {"federal", "sindh", "named"}
        assert self.applying("bin-qasim", "PK-SD") == {"federal", "sindh"}
        assert self.applying("allama-iqbal", "PK-PB") == {"federal"}

    def test_an_event_naming_zones_applies_to_those_only(self):
        # named-kp names Rashakai: other KP zones do not get it, although it is of KP
        assert self.applying("rashakai", "PK-KP") == {"federal", "named-kp"}
        assert self.applying("mohmand", "PK-KP") == {"federal"}


class TestCurrentIncentives:
    def test_grants_changes_and_withdrawals_in_date_order(self):
        events = [
            # given out of order: the rules sort them by date
            event(
                "tax-2019",
                D(2019, 6, 30),
                "incentive_changed",
                incentive="income-tax",
                title="Income tax exemption for 10 years",
            ),
            event("act-2012", D(2012, 9, 10), incentive="income-tax", title="Income tax exemption"),
            event(
                "duty-2012",
                D(2012, 9, 10),
                incentive="customs-duty",
                title="One-time customs duty exemption on capital goods",
            ),
            event("sales-2014", D(2014, 7, 1), incentive="sales-tax"),
            event("sales-2016", D(2016, 7, 1), "incentive_withdrawn", incentive="sales-tax"),
            event("procedure", D(2020, 1, 1), "procedure_changed"),
            event("future", D(2026, 1, 1), incentive="power-tariff"),
        ]
        result = rules.current_incentives(events, TODAY)
        by_key = {item.key: item for item in result}
        assert set(by_key) == {"income-tax", "customs-duty"}
        income = by_key["income-tax"]
        # current terms from the 2019 change, in force since the 2012 grant
        assert income.event.reference == "tax-2019"
        assert income.since == D(2012, 9, 10)
        assert income.changed
        assert by_key["customs-duty"].event.reference == "duty-2012"
        assert not by_key["customs-duty"].changed

    def test_a_withdrawn_incentive_granted_again_counts_from_the_new_grant(self):
        events = [
            event("a", D(2013, 1, 1), incentive="x"),
            event("b", D(2015, 1, 1), "incentive_withdrawn", incentive="x"),
            event("c", D(2018, 1, 1), incentive="x"),
        ]
        [item] = rules.current_incentives(events, TODAY)
        assert (item.since, item.event.reference) == (D(2018, 1, 1), "c")

    def test_without_an_incentive_key_the_title_names_the_incentive(self):
        events = [
            event("a", D(2013, 1, 1), title="Duty-free import of machinery"),
            event("b", D(2014, 1, 1), "incentive_withdrawn", title="Duty-free import of machinery"),
        ]
        assert rules.current_incentives(events, TODAY) == []

    def test_an_event_dated_after_today_does_not_count_yet(self):
        events = [event("a", D(2013, 1, 1), incentive="x"),
                  event("b", TODAY + datetime.timedelta(days=1), "incentive_withdrawn",
                        incentive="x")]  # fmt: skip
        assert [i.key for i in rules.current_incentives(events, TODAY)] == ["x"]
        assert rules.current_incentives(events, TODAY + datetime.timedelta(days=1)) == []


def app(kind, applied, decided=None, decision="pending"):
    return ApplicationRecord(kind=kind, applied_on=applied, decided_on=decided, decision=decision)


class TestApprovals:
    def test_hand_calculation(self):
        applications = [
            # enterprise status: decided in 10, 30, 20 and 41 days (one rejected)
            app("enterprise_status", D(2025, 1, 1), D(2025, 1, 11), "approved"),
            app("enterprise_status", D(2025, 1, 1), D(2025, 1, 31), "approved"),
            app("enterprise_status", D(2025, 2, 1), D(2025, 2, 21), "rejected"),
            app("enterprise_status", D(2025, 3, 1), D(2025, 4, 11), "approved"),
            # withdrawn: counted nowhere
            app("enterprise_status", D(2025, 1, 1), D(2025, 1, 2), "withdrawn"),
            # pending since 2025-05-01 and 2025-06-20
            app("enterprise_status", D(2025, 6, 20)),
            app("enterprise_status", D(2025, 5, 1)),
            # NOC: one decision in 7 days, none pending
            app("noc", D(2025, 6, 1), D(2025, 6, 8), "approved"),
        ]
        figures = rules.approvals(applications, TODAY)
        assert set(figures) == {"enterprise_status", "noc"}  # allotment absent: no records
        enterprise = figures["enterprise_status"]
        assert enterprise.decided == 4
        # sorted 10, 20, 30, 41: the mean of the middle two is 25
        assert enterprise.median_days_to_decide == Decimal("25.0")
        assert enterprise.pending == 2
        assert enterprise.oldest_pending_days == 60  # 2025-05-01 to 2025-06-30
        noc = figures["noc"]
        assert (noc.decided, noc.median_days_to_decide) == (1, Decimal("7.0"))
        assert (noc.pending, noc.oldest_pending_days) == (0, None)

    def test_an_even_count_can_end_in_a_half_day(self):
        figures = rules.approvals(
            [
                app("allotment", D(2025, 1, 1), D(2025, 1, 4), "approved"),  # 3
                app("allotment", D(2025, 1, 1), D(2025, 1, 5), "rejected"),  # 4
            ],
            TODAY,
        )
        assert figures["allotment"].median_days_to_decide == Decimal("3.5")

    def test_only_withdrawn_gives_zeros_and_nulls(self):
        figures = rules.approvals([app("noc", D(2025, 1, 1), D(2025, 1, 3), "withdrawn")], TODAY)
        assert figures["noc"] == rules.ClockFigures(0, None, 0, None)


@given(
    st.lists(
        st.tuples(
            st.integers(0, 400),
            st.integers(0, 90),
            st.sampled_from(["approved", "rejected", "withdrawn", "pending"]),
        ),
        max_size=30,
    )
)
def test_the_clock_counts_every_application_once(rows):
    applications = [
        app(
            "noc",
            D(2024, 1, 1) + datetime.timedelta(days=start),
            None
            if decision == "pending"
            else D(2024, 1, 1) + datetime.timedelta(days=start + wait),
            decision,
        )
        for start, wait, decision in rows
    ]
    figures = rules.approvals(applications, TODAY).get("noc")
    decided = sum(1 for _s, _w, d in rows if d in ("approved", "rejected"))
    pending = sum(1 for _s, _w, d in rows if d == "pending")
    if not rows:
        assert figures is None
        return
    assert (figures.decided, figures.pending) == (decided, pending)
    waits = [w for _s, w, d in rows if d in ("approved", "rejected")]
    if waits:
        assert min(waits) <= figures.median_days_to_decide <= max(waits)
    else:
        assert figures.median_days_to_decide is None
