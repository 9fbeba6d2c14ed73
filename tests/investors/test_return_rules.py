"""The annual returns' yearly figures against hand calculations (investors.return_rules, pure):
nulls, firms giving only some fields, new markets across years, rounding; and properties
that hold whatever the returns."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from investors import return_rules
from investors.return_rules import ReturnRecord, YearFigures

R = ReturnRecord

# Zone X, three firms over three years.
RECORDS = [
    # 2022: A gives everything; B only employees and exports (no split, no imports).
    R(2022, 100, 60, 30, 10, Decimal("500"), Decimal("200"), ("CN", "AE")),
    R(2022, 50, None, None, None, Decimal("100"), None, ("CN",)),
    # 2023: A again, with a new market; C gives local but not women, imports only.
    R(2023, 120, 90, 40, 0, Decimal("700"), Decimal("900"), ("CN", "DE")),
    R(2023, 30, 30, None, 5, None, Decimal("50"), ()),
    # 2024: B alone, giving nothing but its markets: one new (GB), one old (AE).
    R(2024, None, None, None, None, None, None, ("AE", "GB")),
]


def test_yearly_figures_by_hand():
    figures = return_rules.yearly_figures(RECORDS)
    assert list(figures) == [2022, 2023, 2024]
    # 2022: employees 150; local 60/100 (B gives no split) = 0.6; women 30/100 = 0.3;
    # trained 10; exports 600; imports 200 (A only); net over A only: 500 - 200 = 300;
    # markets AE, CN both new.
    assert figures[2022] == YearFigures(
        year=2022,
        firms_reporting=2,
        employees=150,
        local_share=Decimal("0.6000"),
        women_share=Decimal("0.3000"),
        trained=10,
        exports_usd=Decimal("600"),
        imports_usd=Decimal("200"),
        net_foreign_exchange_usd=Decimal("300"),
        new_markets=("AE", "CN"),
    )
    # 2023: employees 150; local (90 + 30)/(120 + 30) = 0.8; women 40/120 = 0.33333 -> 0.3333;
    # trained 5; exports 700 (C gives none); imports 950; net over A only: 700 - 900 = -200;
    # new: DE (CN was listed in 2022).
    assert figures[2023] == YearFigures(
        2023, 2, 150, Decimal("0.8000"), Decimal("0.3333"), 5, Decimal("700"), Decimal("950"),
        Decimal("-200"), ("DE",),
    )  # fmt: skip
    # 2024: nothing given but markets: every sum and share null; GB new, AE not.
    assert figures[2024] == YearFigures(2024, 1, None, None, None, None, None, None, None, ("GB",))


def test_share_rounds_half_up_to_four_places():
    # 1/8 = 0.125 exactly; 2/3 = 0.66666…; 1/16 = 0.0625; 5/160000 = 0.00003125 -> 0.0000
    assert return_rules.share(1, 8) == Decimal("0.1250")
    assert return_rules.share(2, 3) == Decimal("0.6667")
    assert return_rules.share(1, 32) == Decimal("0.0313")  # 0.03125 half-up
    assert return_rules.share(5, 160000) == Decimal("0.0000")


def test_share_is_null_when_employees_sum_to_zero():
    figures = return_rules.yearly_figures([R(2024, 0, 0, 0), R(2024, 0, 0, None)])
    assert figures[2024].employees == 0
    assert figures[2024].local_share is None
    assert figures[2024].women_share is None


def test_a_market_seen_earlier_is_not_new_even_when_listed_out_of_order():
    # Returns arrive in any order: the earlier year wins.
    records = [R(2025, export_markets=("CN",)), R(2021, export_markets=("CN", "SA"))]
    figures = return_rules.yearly_figures(records)
    assert figures[2021].new_markets == ("CN", "SA")
    assert figures[2025].new_markets == ()


def test_latest_return_gives_the_firms_current_figures():
    latest = return_rules.latest(
        [R(2022, 10, exports_usd=Decimal(5)), R(2024, 12, export_markets=("CN",))]
    )
    assert latest == return_rules.LatestFigures(2024, 12, None, ("CN",))
    assert return_rules.latest([]) is None


def test_count_problems():
    assert return_rules.count_problems(10, {"employees_local": 11, "employees_women": 10}) == {
        "employees_local": "above_employees"
    }
    assert return_rules.count_problems(None, {"employees_local": 11}) == {}
    assert return_rules.count_problems(5, {"employees_trained": -1}) == {
        "employees_trained": "negative"
    }


counts = st.one_of(st.none(), st.integers(0, 10_000))
money = st.one_of(st.none(), st.integers(0, 10**9).map(Decimal))
markets = st.lists(st.sampled_from(["CN", "AE", "GB", "DE", "SA"]), max_size=3, unique=True)


@st.composite
def returns(draw):
    employees = draw(counts)
    bounded = st.none() if employees is None else st.integers(0, employees)
    return R(
        year=draw(st.integers(2018, 2025)),
        employees=employees,
        employees_local=draw(st.one_of(st.none(), bounded)),
        employees_women=draw(st.one_of(st.none(), bounded)),
        employees_trained=draw(st.one_of(st.none(), bounded)),
        exports_usd=draw(money),
        imports_usd=draw(money),
        export_markets=tuple(draw(markets)),
    )


@given(st.lists(returns(), max_size=12))
def test_properties(records):
    figures = return_rules.yearly_figures(records)
    # One entry per year with a return, counting every return.
    assert sorted(figures) == sorted({r.year for r in records})
    assert sum(f.firms_reporting for f in figures.values()) == len(records)
    # Shares are in 0–1; every market is new in exactly one year, its first.
    seen = []
    for year, f in figures.items():
        for value in (f.local_share, f.women_share):
            assert value is None or Decimal(0) <= value <= Decimal(1)
        for market in f.new_markets:
            assert min(r.year for r in records if market in r.export_markets) == year
        seen += f.new_markets
    assert sorted(seen) == sorted({m for r in records for m in r.export_markets})
    # Net foreign exchange never exceeds the exports of the returns giving both.
    for year, f in figures.items():
        both = [r for r in records if r.year == year and None not in (r.exports_usd, r.imports_usd)]
        if both:
            assert f.net_foreign_exchange_usd <= sum(r.exports_usd for r in both)
        else:
            assert f.net_foreign_exchange_usd is None
