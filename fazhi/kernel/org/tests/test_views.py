"""Org pages: scope, 404 for outsiders, forms with field errors, import/export."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.org.models import Membership, ResponsibilityItem
from fazhi.kernel.org.responsibility_xlsx import HEADERS


def test_anonymous_is_sent_to_login(client, org):
    r = client.get("/staff/org/responsibility/")
    assert r.status_code == 302 and "/staff/login/" in r["Location"]


@pytest.mark.parametrize(
    "url",
    [
        "/staff/org/",
        "/staff/org/responsibility/",
        "/staff/org/responsibility/SCJ-1/",
        "/staff/org/responsibility/new/",
        "/staff/org/users/",
    ],
)
def test_outsider_gets_404_everywhere(client, people, item, url):
    client.force_login(people["outsider"])
    assert client.get(url).status_code == 404


def test_list_is_scoped_and_queries_are_bounded(
    client, people, item, org, django_assert_max_num_queries
):
    client.force_login(people["fzb"])
    with django_assert_max_num_queries(25):
        r = client.get("/staff/org/responsibility/")
    assert "食品经营许可" in r.content.decode()
    client.force_login(people["dy_handler"])
    r = client.get("/staff/org/responsibility/")
    assert "食品经营许可" not in r.content.decode()
    assert client.get("/staff/org/responsibility/SCJ-1/").status_code == 404


def test_create_form_shows_field_errors_in_chinese(client, people, org):
    client.force_login(people["qz_editor"])
    r = client.post(
        "/staff/org/responsibility/new/",
        {
            "code": "N-1",
            "name": "",
            "item_type": "行政许可",
            "legal_basis": "某法",
            "agency": org["420200-SCJ"].pk,
            "effective_from": "2024-01-01",
            "effective_to": "2023-01-01",
        },
    )
    body = r.content.decode()
    assert r.status_code == 200 and "这个字段是必填项" in body
    r = client.post(
        "/staff/org/responsibility/new/",
        {
            "code": "N-1",
            "name": "某事项",
            "item_type": "行政许可",
            "legal_basis": "某法",
            "agency": org["420200-SCJ"].pk,
            "effective_from": "2024-01-01",
            "effective_to": "2023-01-01",
        },
    )
    assert "失效日期不能早于生效日期" in r.content.decode()
    assert not ResponsibilityItem.objects.exists()


def test_create_and_revise_through_pages(client, people, org, item):
    client.force_login(people["qz_editor"])
    r = client.post(
        "/staff/org/responsibility/SCJ-1/edit/",
        {
            "name": "食品经营许可（含仅销售预包装食品备案）",
            "item_type": "行政许可",
            "legal_basis": item.legal_basis,
            "agency": org["420200-SCJ"].pk,
            "effective_from": "2024-01-01",
        },
    )
    assert r.status_code == 302
    r = client.get("/staff/org/responsibility/SCJ-1/")
    body = r.content.decode()
    assert "预包装食品备案" in body and "版本记录" in body


def test_editor_cannot_pick_an_agency_outside_scope(client, people, org):
    client.force_login(people["qz_editor"])
    r = client.post(
        "/staff/org/responsibility/new/",
        {
            "code": "N-2",
            "name": "某事项",
            "item_type": "行政许可",
            "legal_basis": "某法",
            "agency": org["420200-HBJ"].pk,
            "effective_from": "2024-01-01",
        },
    )
    assert r.status_code == 200 and not ResponsibilityItem.objects.exists()


def test_export_round_trips_through_the_import_page(client, people, item):
    client.force_login(people["fzb"])
    r = client.get("/staff/org/responsibility/?format=xlsx")
    assert r.status_code == 200
    assert load_workbook(io.BytesIO(r.content)).active["A2"].value == "SCJ-1"
    assert AuditEvent.objects.filter(action="data.export").exists()
    client.force_login(people["qz_editor"])
    upload = io.BytesIO(r.content)
    upload.name = "list.xlsx"
    r = client.post("/staff/org/responsibility/import/", {"file": upload})
    assert "未变 1 项" in r.content.decode()


def test_import_page_lists_row_errors(client, people, org):
    wb = Workbook()
    wb.active.append(HEADERS)
    wb.active.append(["Q-1", "", "行政许可", "某法", "420200-SCJ", "", "2024-01-01"])
    data = io.BytesIO()
    wb.save(data)
    data.seek(0)
    data.name = "bad.xlsx"
    client.force_login(people["qz_editor"])
    r = client.post(
        "/staff/org/responsibility/import/", {"file": data, "dry_run": "on"}
    )
    body = r.content.decode()
    assert "事项名称" in body and "校验结果" in body


def test_import_page_rejects_other_files(client, people):
    client.force_login(people["qz_editor"])
    upload = io.BytesIO(b"hello")
    upload.name = "list.csv"
    r = client.post("/staff/org/responsibility/import/", {"file": upload})
    assert "请上传 .xlsx 文件" in r.content.decode()


def test_system_admin_creates_accounts_security_admin_grants(client, people, org):
    client.force_login(people["sysadmin"])
    r = client.post(
        "/staff/org/users/",
        {"username": "newbie", "full_name": "新同事", "password": "short"},
    )
    assert r.status_code == 200 and "password" in r.content.decode()
    r = client.post(
        "/staff/org/users/",
        {"username": "newbie", "full_name": "新同事", "password": "Xk9#mq2!Lp7z"},
    )
    assert r.status_code == 302
    # The system administrator cannot grant roles ...
    r = client.get("/staff/org/users/newbie/")
    assert "授予角色" not in r.content.decode()
    client.force_login(people["secadmin"])
    r = client.post(
        "/staff/org/users/newbie/",
        {"agency": org["420222"].pk, "role": "handler", "scope": "subtree"},
    )
    assert r.status_code == 302
    m = Membership.objects.get(user__username="newbie")
    assert (m.role, m.scope) == ("handler", "subtree")
    r = client.post(f"/staff/org/memberships/{m.pk}/remove/")
    assert r.status_code == 302 and not Membership.objects.filter(pk=m.pk).exists()


def test_granting_a_second_admin_role_shows_the_rule(client, people, org):
    client.force_login(people["secadmin"])
    r = client.post(
        "/staff/org/users/auditadmin/",
        {"agency": org["420200"].pk, "role": "handler", "scope": "own"},
    )
    assert "三员" in r.content.decode()


def test_unlock_clears_lockout_and_is_audited(client, people):
    client.force_login(people["secadmin"])
    r = client.post("/staff/org/users/dy_handler/unlock/")
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="account.unlock").exists()
    client.force_login(people["sysadmin"])
    assert client.post("/staff/org/users/dy_handler/unlock/").status_code == 404


def test_agency_tree_for_staff_and_admin(client, people):
    client.force_login(people["dy_handler"])
    body = client.get("/staff/org/").content.decode()
    assert "金湖街道" in body and "阳新县" not in body
    client.force_login(people["sysadmin"])
    assert "阳新县" in client.get("/staff/org/").content.decode()


def test_system_admin_sees_a_persons_roles(client, people):
    client.force_login(people["sysadmin"])
    body = client.get("/staff/org/users/fzb/").content.decode()
    assert "法治办工作人员" in body and "尚无角色" not in body


def test_admins_reach_account_pages_from_the_org_page(client, people):
    for who in ("sysadmin", "secadmin"):
        client.force_login(people[who])
        r = client.get("/staff/org/")
        body = r.content.decode()
        assert r.status_code == 200 and "/staff/org/users/" in body
        assert "/staff/org/responsibility/" not in body.split("</nav>")[-1]


def test_self_revoke_shows_a_message_not_an_error_page(client, people):
    sec = people["secadmin"]
    client.force_login(sec)
    m = Membership.objects.get(user=sec)
    r = client.post(f"/staff/org/memberships/{m.pk}/remove/", follow=True)
    assert r.status_code == 200 and "不能撤销自己的管理员角色" in r.content.decode()
    assert Membership.objects.filter(pk=m.pk).exists()


def test_edit_form_keeps_the_iso_date_for_the_date_picker(client, people, item):
    client.force_login(people["qz_editor"])
    body = client.get("/staff/org/responsibility/SCJ-1/edit/").content.decode()
    assert 'value="2024-01-01"' in body
