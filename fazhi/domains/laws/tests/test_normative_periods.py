"""Periods the drafter or the review office choose, and the 有效期 limit:
the legality review period within the rule's 5-15 working days (service,
API and page, each naming the field when out of range), and the 5-year
有效期 counted by the kernel's years unit."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fazhi.domains.laws.normative_testing import at, draft, reviewed
from fazhi.domains.laws.services import normative as ns
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines.models import Clock

pytestmark = pytest.mark.django_db
MON = date(2026, 3, 2)  # a Monday with no holiday for three weeks


@pytest.fixture
def nd(org, people):
    return draft(drafter=people["scj_handler"], agency=org["420200-SCJ"], on=MON)


def legality(nd) -> Clock:
    return Clock.objects.get(case=nd.case, name="legality")


def test_drafter_chooses_a_shorter_review_period(nd, people):
    with at(MON):
        ns.normative_submit_review(
            actor=people["scj_handler"], document=nd, review_days=5
        )
    c = legality(nd)
    assert (c.budget_days, c.due_date) == (5, date(2026, 3, 9))
    assert c.rule_id == "normative.legality_review"


def test_no_choice_is_the_rules_fifteen_working_days(nd, people):
    with at(MON):
        ns.normative_submit_review(actor=people["scj_handler"], document=nd)
    assert (legality(nd).budget_days, legality(nd).due_date) == (15, date(2026, 3, 23))


@pytest.mark.parametrize("days", [4, 16, 0, "x", True])
def test_a_period_outside_the_range_is_refused_naming_the_field(nd, people, days):
    with at(MON), pytest.raises(ValidationError) as exc:
        ns.normative_submit_review(
            actor=people["scj_handler"], document=nd, review_days=days
        )
    message = exc.value.message_dict["review_days"][0]
    assert "合法性审核期限应在 5 至 15 个工作日之间" in message
    assert "国办发〔2018〕115号" in message
    nd.case.refresh_from_db()
    assert nd.case.state == "drafting"
    assert not Clock.objects.filter(case=nd.case).exists()


def test_review_office_sets_the_period_when_it_takes_up_the_review(nd, people):
    with at(MON):
        ns.normative_submit_review(actor=people["scj_handler"], document=nd)
    with at(date(2026, 3, 3)):
        with pytest.raises(PermissionDenied):  # the drafter cannot
            ns.normative_review_period(
                actor=people["scj_handler"], document=nd, review_days=5
            )
        with pytest.raises(ValidationError) as exc:
            ns.normative_review_period(actor=people["fzb"], document=nd, review_days=20)
        assert "review_days" in exc.value.message_dict
        ns.normative_review_period(
            actor=people["fzb"], document=nd, review_days=10, reason="材料齐全"
        )
    c = legality(nd)
    # Counted again from the day the draft was sent, not from today.
    assert (c.start_date, c.budget_days, c.due_date) == (MON, 10, date(2026, 3, 16))
    event = AuditEvent.objects.get(action="normative.review_period")
    assert event.payload["days"] == 10


def test_review_period_only_while_reviewing_and_needs_a_number(nd, people):
    with pytest.raises(ValidationError, match="审核中"):
        ns.normative_review_period(actor=people["fzb"], document=nd, review_days=10)
    with at(MON):
        ns.normative_submit_review(actor=people["scj_handler"], document=nd)
    with pytest.raises(ValidationError) as exc:
        ns.normative_review_period(actor=people["fzb"], document=nd, review_days=None)
    assert exc.value.message_dict == {"review_days": ["请填写合法性审核期限"]}


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_api_takes_the_period_and_answers_422_naming_the_field(client, nd, people):
    url = f"/api/laws/normative/{nd.case.number}/actions/submit_review"
    client.force_login(people["scj_handler"])
    with at(MON):
        r = post(client, url, {"on": "2026-03-02", "review_days": 30})
        assert r.status_code == 422
        assert "review_days" in r.json()["detail"]
        assert "5 至 15" in json.dumps(r.json(), ensure_ascii=False)
        r = post(client, url, {"on": "2026-03-02", "review_days": 5})
    assert r.status_code == 200, r.content
    (c,) = r.json()["clocks"]
    assert (c["name"], c["due_date"]) == ("legality", "2026-03-09")
    client.force_login(people["fzb"])
    with at(MON):
        r = post(
            client,
            f"/api/laws/normative/{nd.case.number}/actions/review_period",
            {"review_days": 12},
        )
    assert r.status_code == 200, r.content
    assert r.json()["clocks"][0]["due_date"] == "2026-03-18"


def test_page_offers_the_range_and_shows_the_error_beside_the_field(client, nd, people):
    url = reverse("laws_staff:normative_act", args=[nd.case.number, "submit_review"])
    client.force_login(people["scj_handler"])
    with at(MON):
        page = client.get(reverse("laws_staff:normative_detail", args=[nd.case.number]))
        html = page.content.decode()
        assert 'name="submit_review-review_days"' in html
        assert 'min="5"' in html and 'max="15"' in html
        r = client.post(
            url, {"submit_review-on": "2026-03-02", "submit_review-review_days": "20"}
        )
        assert r.status_code == 400
        assert "合法性审核期限应在 5 至 15 个工作日之间" in r.content.decode()
        r = client.post(
            url, {"submit_review-on": "2026-03-02", "submit_review-review_days": "8"}
        )
    assert r.status_code == 302
    assert legality(nd).due_date == date(2026, 3, 12)
    client.force_login(people["fzb"])
    with at(MON):
        page = client.get(reverse("laws_staff:normative_detail", args=[nd.case.number]))
    html = page.content.decode()
    assert 'data-action="review_period"' in html
    assert 'name="review_period-review_days"' in html and 'value="8"' in html


def test_validity_limit_is_the_kernel_rule_in_years(org, people):
    drafter = people["scj_handler"]
    # 29 February 2028 + 5 years: 2033 has no 29 February, so 28 February.
    assert ns.validity_end(date(2028, 2, 29)) == date(2033, 2, 28)
    # A term is not moved off a rest day: 1 March 2026 is a Sunday.
    assert ns.validity_end(date(2021, 3, 1)) == date(2026, 3, 1)
    assert ns.validity_end(date(2026, 3, 2), 2) == date(2028, 3, 2)
    doc = draft(drafter=drafter, agency=org["420200-SCJ"], on=MON, title="期限文件")
    reviewed(doc, drafter=drafter, reviewer=people["fzb"], on=MON)
    with at(MON):
        with pytest.raises(ValidationError) as exc:
            ns.normative_publish(
                actor=drafter,
                document=doc,
                doc_number="黄政规〔2026〕9号",
                published_on=MON,
                expires_on=date(2031, 3, 3),
            )
        assert exc.value.message_dict == {
            "expires_on": ["有效期一般不超过5年（至 2031-03-02）"]
        }
        ns.normative_publish(
            actor=drafter,
            document=doc,
            doc_number="黄政规〔2026〕9号",
            published_on=MON,
            expires_on=date(2031, 3, 2),
        )
    doc.refresh_from_db()
    assert doc.expires_on == date(2031, 3, 2)
