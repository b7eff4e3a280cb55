from datetime import date

from fazhi.kernel.deadlines.yearly import YearlyDate

REPORT = YearlyDate("x.report", "年度报告", 1, 31, "《政府信息公开条例》第四十九条")


def test_due_in_the_following_year_with_countdown():
    assert REPORT.for_report_year(2026) == date(2027, 1, 31)
    assert REPORT.days_left(2026, date(2027, 1, 1)) == 30
    assert "还有 30 天" in REPORT.countdown(2026, date(2027, 1, 1))
    assert "今天截止" in REPORT.countdown(2026, date(2027, 1, 31))
    late = REPORT.countdown(2026, date(2027, 2, 2))
    assert "已过期 2 天" in late and "2027年1月31日" in late and "第四十九条" in late
