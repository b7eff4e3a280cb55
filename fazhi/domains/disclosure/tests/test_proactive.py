"""Proactive disclosure: catalogue with review dates, items published within
20 working days (art. 26), the public listing, and table 二 figures."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.domains.disclosure import services
from fazhi.domains.disclosure.models import CatalogueEntry
from fazhi.domains.disclosure.report import build_tables, render_xlsx
from fazhi.kernel.deadlines.models import Clock

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(people, scj):
    with at(date(2026, 1, 5)):
        return services.catalogue_entry_create(
            actor=people["fzb"],
            agency=scj,
            name="财政预决算",
            focus="budget",
            basis="《政府信息公开条例》第二十条第（七）项",
            review_on=date(2026, 6, 30),
        )


def register(people, entry, on, title="2026年部门预算公开"):
    with at(on):
        return services.proactive_item_register(
            actor=people["scj_handler"],
            entry=entry,
            title=title,
            doc_number="黄市监[2026]1号",
            formed_on=on,
        )


def test_item_must_be_published_in_20_working_days(people, entry):
    item = register(people, entry, date(2026, 2, 12))
    clock = Clock.objects.get(case=item.case, name="publish")
    # Spring Festival skipped, the 调休 Saturdays counted.
    assert clock.due_date == date(2026, 3, 18)
    assert "第二十六条" in "".join(clock.explain())
    assert item.doc_number == "黄市监〔2026〕1号"
    with at(date(2026, 3, 10)):
        services.proactive_item_publish(actor=people["scj_handler"], item=item)
    item.case.refresh_from_db()
    assert item.case.state == "published" and item.published_on == date(2026, 3, 10)
    clock.refresh_from_db()
    assert clock.state == Clock.State.STOPPED


def test_public_listing_search_in_either_script(client, people, entry):
    item = register(people, entry, date(2026, 3, 2))
    hidden = register(people, entry, date(2026, 3, 2), title="2026年部门决算草稿")
    with at(date(2026, 3, 3)):
        services.proactive_item_publish(actor=people["scj_handler"], item=item)
    r = client.get(reverse("disclosure:portal_proactive") + "?q=部門預算")
    page = r.content.decode()
    assert item.title in page and hidden.title not in page
    r = client.get(
        reverse("disclosure:portal_proactive") + "?focus=budget&agency=420200-SCJ"
    )
    assert item.title in r.content.decode()
    url = reverse("disclosure:portal_proactive_item", args=[item.case.number])
    assert client.get(url).status_code == 200
    unpublished = reverse("disclosure:portal_proactive_item", args=[hidden.case.number])
    assert client.get(unpublished).status_code == 404


def test_catalogue_permissions(people, scj, entry):
    with at(date(2026, 1, 5)):
        with pytest.raises(PermissionDenied):
            services.catalogue_entry_create(
                actor=people["scj_handler"],
                agency=scj,
                name="x",
                review_on=date(2026, 6, 1),
            )
        with pytest.raises(PermissionDenied):
            services.proactive_item_register(
                actor=people["dy_handler"],
                entry=entry,
                title="x",
                formed_on=date(2026, 1, 5),
            )
        with pytest.raises(ValidationError) as exc:
            services.catalogue_entry_create(
                actor=people["fzb"],
                agency=scj,
                name="财政预决算",
                review_on=date(2026, 6, 1),
            )
        assert "name" in exc.value.message_dict


def test_review_due_shown_and_recorded(client, people, entry):
    CatalogueEntry.objects.filter(pk=entry.pk).update(review_on=date(2026, 1, 31))
    client.force_login(people["fzb"])
    url = reverse("disclosure:catalogue") + "?agency=420200-SCJ"
    assert "data-review-due" in client.get(url).content.decode()
    r = client.post(
        reverse("disclosure:entry_review", args=[entry.pk]) + "?agency=420200-SCJ",
        {"review-next_review_on": "2027-06-30", "review-keep": "on"},
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    assert entry.review_on == date(2027, 6, 30) and entry.reviewed_on is not None
    assert "data-review-due" not in client.get(url).content.decode()


def test_catalogue_page_scope(client, people, entry):
    client.force_login(people["dy_handler"])
    r = client.get(reverse("disclosure:catalogue") + "?agency=420200-SCJ")
    assert r.status_code == 404
    client.force_login(people["scj_handler"])
    r = client.post(
        reverse("disclosure:item_add") + "?agency=420200-SCJ",
        {
            "item-entry": str(entry.pk),
            "item-title": "2026年抽检计划",
            "item-formed_on": "2026-01-05",
        },
    )
    assert r.status_code == 302
    page = client.get(reverse("disclosure:catalogue") + "?agency=420200-SCJ")
    assert "2026年抽检计划" in page.content.decode()


def test_table_two_figures(people, scj):
    with pytest.raises(ValidationError) as exc:
        services.proactive_figure_set(
            actor=people["fzb"],
            agency=scj,
            year=2026,
            values={"penalty.decisions": "多"},
        )
    assert "penalty.decisions" in exc.value.message_dict
    with pytest.raises(PermissionDenied):  # a township clerk, not this office
        services.proactive_figure_set(
            actor=people["jinhu_clerk"], agency=scj, year=2026, values={}
        )
    with pytest.raises(ValidationError) as exc:  # every bad figure, by its row
        services.proactive_figure_set(
            actor=people["scj_handler"],
            agency=scj,
            year=2026,
            values={"licence.decisions": "3.5", "rule.made": "-1"},
        )
    assert "行政许可·本年处理决定数量应为整数件数" in exc.value.messages
    assert "规章·本年制发件数应为非负数" in exc.value.messages
    services.proactive_figure_set(
        actor=people["fzb"],
        agency=scj,
        year=2026,
        values={
            "penalty.decisions": "132",
            "fee.amount": "12.5",
            "licence.decisions": "",
        },
    )
    wb = load_workbook(io.BytesIO(render_xlsx(build_tables(scj, 2026))))
    rows = list(wb["二、主动公开政府信息情况"].iter_rows(values_only=True))
    # The national layout: the item in the first column, its figure beside it.
    penalty = next(r for r in rows if r[0] == "行政处罚")
    fee = next(r for r in rows if r[0] == "行政事业性收费")
    licence = next(r for r in rows if r[0] == "行政许可")
    assert penalty[1] == 132 and fee[1] == 12.5 and licence[1] in (None, "")


def test_public_proactive_api(client, people, entry):
    item = register(people, entry, date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        services.proactive_item_publish(actor=people["scj_handler"], item=item)
    r = client.get("/api/disclosure/public/proactive?q=部門預算")
    assert r.status_code == 200
    assert [x["number"] for x in r.json()] == [item.case.number]
    assert client.get("/api/disclosure/public/proactive?limit=0").status_code == 422
