"""What a fresh-eyes trial of the normative-document procedure found: the
review-period step named in the record with its reason, the （草案） mark
dropped on publication, repeal stopping the open clocks, no 待核实 source
shown to users, and the public page saying when and why a document was
repealed."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.domains.laws.models import Document, NormativeDocument, Validity
from fazhi.domains.laws.normative_testing import at, draft, filed, published, reviewed
from fazhi.domains.laws.services import normative as ns
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines.models import Clock

pytestmark = pytest.mark.django_db
MON = date(2026, 3, 2)  # a Monday with no holiday for three weeks


@pytest.fixture
def nd(org, people):
    return draft(drafter=people["scj_handler"], agency=org["420200-SCJ"], on=MON)


def detail(client, nd) -> str:
    url = reverse("laws_staff:normative_detail", args=[nd.case.number])
    r = client.get(url)
    assert r.status_code == 200
    return r.content.decode()


def do(client, number, action, **fields):
    data = {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(reverse("laws_staff:normative_act", args=[number, action]), data)


# -- 1. the review period step in the record -------------------------------------


def test_review_period_is_named_in_the_record_with_its_reason(client, nd, people):
    with at(MON):
        ns.normative_submit_review(actor=people["scj_handler"], document=nd)
    with at(date(2026, 3, 3)):
        client.force_login(people["fzb"])
        r = do(
            client,
            nd.case.number,
            "review_period",
            review_days="12",
            reason="草案涉及多部上位法",
        )
        assert r.status_code == 302
        page = detail(client, nd)
    assert "normative.review_period" not in page
    assert "确定审核期限" in page
    assert "审核期限12个工作日：草案涉及多部上位法" in page
    event = AuditEvent.objects.get(action="normative.review_period")
    assert event.payload["reason"] == "草案涉及多部上位法"


# -- 2. the published title ------------------------------------------------------


@pytest.mark.parametrize(
    ("draft_title", "final"),
    [
        (
            "黄石市网络餐饮服务食品安全监督管理办法（草案）",
            "黄石市网络餐饮服务食品安全监督管理办法",
        ),
        ("黄石市摊贩管理办法(草案)", "黄石市摊贩管理办法"),
        ("黄石市摊贩管理办法（征求意见稿） ", "黄石市摊贩管理办法"),
        ("关于（草案）起草工作的规定", "关于（草案）起草工作的规定"),
        ("（草案）", "（草案）"),
    ],
)
def test_final_title_drops_a_trailing_draft_mark(draft_title, final):
    assert ns.final_title(draft_title) == final


def test_publication_drops_the_draft_mark_in_the_platform(org, people):
    title = "黄石市网络餐饮服务食品安全监督管理办法（草案）"
    nd = draft(
        drafter=people["scj_handler"], agency=org["420200-SCJ"], on=MON, title=title
    )
    reviewed(nd, drafter=people["scj_handler"], reviewer=people["fzb"], on=MON)
    published(nd, drafter=people["scj_handler"], on=MON)
    nd.refresh_from_db()
    assert nd.title == "黄石市网络餐饮服务食品安全监督管理办法"
    assert Document.objects.get(pk=nd.law_document_id).title == nd.title
    event = AuditEvent.objects.get(action="normative.publish")
    assert event.payload["draft_title"] == title


def test_publish_form_is_prefilled_with_the_final_title_and_takes_an_edit(
    client, org, people
):
    nd = draft(
        drafter=people["scj_handler"],
        agency=org["420200-SCJ"],
        on=MON,
        title="黄石市摊贩管理办法（草案）",
    )
    reviewed(nd, drafter=people["scj_handler"], reviewer=people["fzb"], on=MON)
    client.force_login(people["scj_handler"])
    with at(MON):
        page = detail(client, nd)
        assert 'name="publish-title"' in page
        assert 'value="黄石市摊贩管理办法"' in page
        r = do(
            client,
            nd.case.number,
            "publish",
            title="黄石市流动摊贩管理办法（草案）",
            doc_number="黄市监规〔2026〕5号",
            published_on="2026-03-02",
            expires_on="2031-03-01",
        )
        assert r.status_code == 400  # a title still marked as a draft
        assert "公布的文件名称不应带有草案标记" in r.content.decode()
        r = do(
            client,
            nd.case.number,
            "publish",
            title="黄石市流动摊贩管理办法",
            doc_number="黄市监规〔2026〕5号",
            published_on="2026-03-02",
            expires_on="2031-03-01",
        )
    assert r.status_code == 302
    nd.refresh_from_db()
    assert nd.title == "黄石市流动摊贩管理办法"
    assert nd.law_document.title == "黄石市流动摊贩管理办法"


# -- 3. repeal stops the open clocks ---------------------------------------------


def _published(nd, people):
    reviewed(nd, drafter=people["scj_handler"], reviewer=people["fzb"], on=MON)
    return published(nd, drafter=people["scj_handler"], on=MON)


def test_repeal_before_filing_stops_the_filing_clock(client, nd, people):
    _published(nd, people)
    with at(date(2026, 3, 10)):
        ns.normative_repeal(
            actor=people["scj_handler"], document=nd, reason="上位法已修改"
        )
        client.force_login(people["scj_handler"])
        page = detail(client, nd)
    nd.refresh_from_db()
    clock = Clock.objects.get(case=nd.case, name="filing")
    assert clock.state == Clock.State.STOPPED
    assert clock.stopped_on == date(2026, 3, 10)
    assert nd.case.state == "repealed" and nd.case.closed_at is not None
    assert nd.validity == Validity.REPEALED
    actions = list(
        AuditEvent.objects.filter(record_type="case", record_id=nd.case_id)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == ["case.repeal_unfiled", "clock.stop", "normative.repeal"]
    assert "剩余" not in page
    assert 'data-action="file"' not in page
    assert "上位法已修改" in page


def test_repeal_during_review_and_supplement_stops_those_clocks(org, people):
    nd = draft(drafter=people["dy_handler"], agency=org["420281"], on=MON)
    reviewed(nd, drafter=people["dy_handler"], reviewer=people["fzb"], on=MON)
    published(nd, drafter=people["dy_handler"], on=MON)
    filed(nd, drafter=people["dy_handler"], on=date(2026, 3, 3))
    with at(date(2026, 3, 4)):
        ns.normative_request_supplement(
            actor=people["fzb"], document=nd, text="请补充起草说明。"
        )
        ns.normative_repeal(actor=people["dy_handler"], document=nd, reason="清理废止")
    states = dict(Clock.objects.filter(case=nd.case).values_list("name", "state"))
    assert states == {
        "legality": Clock.State.STOPPED,
        "filing": Clock.State.STOPPED,
        "filing_review": Clock.State.STOPPED,
        "supplement": Clock.State.STOPPED,
    }
    nd.case.refresh_from_db()
    assert nd.case.state == "repealed"


def test_repeal_while_correcting_is_the_correction(nd, people):
    _published(nd, people)
    filed(nd, drafter=people["scj_handler"], on=date(2026, 3, 3))
    with at(date(2026, 3, 4)):
        ns.normative_find_fault(
            actor=people["fzb"],
            document=nd,
            result="unlawful",
            text="第三条缺乏上位法依据。",
        )
        ns.normative_repeal(actor=people["scj_handler"], document=nd, reason="纠错")
    nd.refresh_from_db()
    assert nd.case.state == "corrected"
    assert nd.correction == NormativeDocument.Correction.REPEAL
    assert nd.validity == Validity.REPEALED
    assert Clock.objects.get(case=nd.case, name="correction").state == "stopped"


def test_repeal_after_acceptance_changes_no_procedure(nd, people):
    _published(nd, people)
    filed(nd, drafter=people["scj_handler"], on=date(2026, 3, 3))
    with at(date(2026, 3, 4)):
        ns.normative_accept(actor=people["fzb"], document=nd)
        ns.normative_repeal(actor=people["scj_handler"], document=nd, reason="废止")
    nd.refresh_from_db()
    assert (nd.case.state, nd.validity) == ("accepted", Validity.REPEALED)


def test_repeal_dated_before_the_clock_started_is_refused(nd, people):
    _published(nd, people)
    filed(nd, drafter=people["scj_handler"], on=date(2026, 3, 5))
    with at(date(2026, 3, 6)), pytest.raises(ValidationError):
        ns.normative_repeal(
            actor=people["scj_handler"], document=nd, reason="x", on=date(2026, 3, 3)
        )
    nd.refresh_from_db()
    assert (nd.case.state, nd.validity) == ("filed", Validity.IN_FORCE)


# -- 5. no 待核实 source on the page ------------------------------------------------


def test_filing_clock_names_a_certain_source_not_a_placeholder(client, nd, people):
    _published(nd, people)
    client.force_login(people["scj_handler"])
    with at(MON):
        page = detail(client, nd)
    assert "待核实" not in page
    assert "省级规范性文件备案审查规定" not in page
    assert "国办发〔2018〕37号" in page
    assert "以本省规定为准" in page


# -- 6. the public page of a repealed document -----------------------------------


def test_public_page_says_when_and_why_a_document_was_repealed(client, nd, people):
    _published(nd, people)
    with at(date(2026, 3, 10)):
        ns.normative_repeal(
            actor=people["scj_handler"], document=nd, reason="上位法已修改"
        )
    nd.refresh_from_db()
    page = client.get(reverse("laws:document", args=[nd.law_document_id]))
    text = page.content.decode()
    assert "已废止" in text
    assert "废止日期 2026年3月10日" in text
    assert "废止原因：上位法已修改" in text


# -- 4. who reviews legality ----------------------------------------------------


def _grant_government_review(user, agency):
    from fazhi.domains.laws.normative_workflow import GOVERNMENT_REVIEWER
    from fazhi.kernel.org.services import membership_grant

    membership_grant(actor=None, user=user, agency=agency, role=GOVERNMENT_REVIEWER)


def test_justice_bureau_reviews_its_governments_drafts_only(client, org, people):
    reviewer = people["dy_sfj"]  # 大冶市司法局 legal reviewer
    _grant_government_review(reviewer, org["420281"])
    gov = draft(drafter=people["dy_handler"], agency=org["420281"], on=MON)
    dept = draft(drafter=people["dy_handler"], agency=org["420281-SCJ"], on=MON)
    with at(MON):
        for nd in (gov, dept):
            ns.normative_submit_review(actor=people["dy_handler"], document=nd)
    client.force_login(reviewer)
    with at(MON):
        index = client.get(reverse("laws_staff:normative_index")).content.decode()
        assert gov.case.number in index and dept.case.number not in index
        page = detail(client, gov)
        assert 'data-action="legality"' in page
        assert 'data-action="review_period"' in page
        url = reverse("laws_staff:normative_detail", args=[dept.case.number])
        assert client.get(url).status_code == 404  # the department's own office
        r = do(client, gov.case.number, "legality", on="2026-03-02", verdict="lawful")
    assert r.status_code == 302
    gov.case.refresh_from_db()
    assert gov.case.state == "approved"


def test_a_departments_draft_is_not_the_justice_bureau_heads(client, org, people):
    # 国办发〔2018〕115号: the drafting department's legal office reviews it;
    # the bureau's head, even granted the review of the city government's
    # own drafts, does not see the market regulator's.
    _grant_government_review(people["sfj_leader"], org["420200"])
    nd = draft(drafter=people["scj_handler"], agency=org["420200-SCJ"], on=MON)
    with at(MON):
        ns.normative_submit_review(actor=people["scj_handler"], document=nd)
    client.force_login(people["sfj_leader"])
    url = reverse("laws_staff:normative_detail", args=[nd.case.number])
    assert client.get(url).status_code == 404


def test_repeal_does_not_hide_a_filing_already_overdue(org, people):
    from fazhi.domains.laws import normative_indicators as ind

    late = draft(drafter=people["scj_handler"], agency=org["420200-SCJ"], on=MON)
    early = draft(drafter=people["scj_handler"], agency=org["420200-SCJ"], on=MON)
    for nd in (late, early):
        _published(nd, people)
    with at(date(2026, 3, 10)):  # inside the 30 days: no longer due
        ns.normative_repeal(actor=people["scj_handler"], document=early, reason="x")
    with at(date(2026, 5, 4)):  # after them: it was overdue
        ns.normative_repeal(actor=people["scj_handler"], document=late, reason="y")
        assert ind.filing_rate(org["420200"], "2026") == 0
    filed_one = draft(drafter=people["scj_handler"], agency=org["420200-SCJ"], on=MON)
    _published(filed_one, people)
    filed(filed_one, drafter=people["scj_handler"], on=date(2026, 3, 3))
    with at(date(2026, 5, 4)):
        assert str(ind.filing_rate(org["420200"], "2026")) == "50.00"
