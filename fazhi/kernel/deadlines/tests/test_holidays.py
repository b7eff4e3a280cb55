from datetime import date

import chinese_calendar
from lunardate import LunarDate

from fazhi.kernel.deadlines.holidays import HOLIDAY_LAW, qingming, statutory_holidays


def test_qingming_formula_matches_the_solar_terms_2004_to_2099():
    terms = chinese_calendar.get_solar_terms(date(2004, 1, 1), date(2099, 12, 31))
    expected = {d.year: d for d, name in terms if name == "清明"}
    assert {y: qingming(y) for y in range(2004, 2100)} == expected


def test_qingming_in_the_twentieth_century_and_2000():
    assert qingming(1999) == date(1999, 4, 5)
    assert qingming(2000) == date(2000, 4, 4)


def test_statutory_2027_spring_festival_is_chuxi_and_three_days():
    assert LunarDate(2027, 1, 1).to_solar_date() == date(2027, 2, 6)
    days = statutory_holidays(2027).days
    spring = sorted(d for d, n in days.items() if n == "春节")
    assert spring == [
        date(2027, 2, 5),
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 2, 8),
    ]
    assert days[date(2027, 1, 1)] == "元旦"
    assert days[date(2027, 4, 5)] == "清明节"
    assert [d for d, n in days.items() if n == "劳动节"] == [
        date(2027, 5, 1),
        date(2027, 5, 2),
    ]
    assert days[date(2027, 6, 9)] == "端午节"
    assert days[date(2027, 9, 15)] == "中秋节"
    assert [d for d, n in days.items() if n == "国庆节"] == [
        date(2027, 10, 1),
        date(2027, 10, 2),
        date(2027, 10, 3),
    ]
    assert len(days) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3 days of art. 2
    assert statutory_holidays(2027).missing == ()


def test_statutory_days_are_holidays_in_the_2025_and_2026_notices():
    for year in (2025, 2026):
        for d in statutory_holidays(year).days:
            assert chinese_calendar.is_holiday(d), d


def test_lunar_holidays_outside_lunardate_range_are_reported_not_guessed():
    result = statutory_holidays(2100)
    assert set(result.missing) == {"春节", "端午节", "中秋节"}
    assert set(result.days.values()) == {"元旦", "清明节", "劳动节", "国庆节"}


def test_the_holiday_rule_cites_the_2024_revision():
    assert "全国年节及纪念日放假办法" in HOLIDAY_LAW and "2024" in HOLIDAY_LAW
