"""Org API: scope, 404 for out-of-scope, field-named errors, XLSX."""

import io

from openpyxl import load_workbook


def test_anonymous_is_refused(client, org):
    assert client.get("/api/org/me").status_code == 401


def test_me_lists_memberships(client, people):
    client.force_login(people["dy_handler"])
    body = client.get("/api/org/me").json()
    assert body["memberships"][0]["agency"] == "420281"
    assert body["memberships"][0]["scope"] == "subtree"


def test_agencies_are_scoped(client, people):
    client.force_login(people["jinhu_clerk"])
    assert [a["code"] for a in client.get("/api/org/agencies").json()] == ["420281002"]


def test_item_versions_404_out_of_scope(client, people, item):
    client.force_login(people["dy_handler"])
    assert client.get("/api/org/responsibility/SCJ-1").status_code == 404
    assert client.get("/api/org/responsibility/NOPE").status_code == 404
    client.force_login(people["fzb"])
    assert client.get("/api/org/responsibility/SCJ-1").json()[0]["version"] == 1


def test_create_and_revise_through_the_api(client, people, org):
    client.force_login(people["qz_editor"])
    r = client.post(
        "/api/org/responsibility",
        {
            "code": "SCJ-2",
            "name": "特种设备检查",
            "item_type": "行政检查",
            "legal_basis": "《特种设备安全法》",
            "agency": "420200-SCJ",
            "effective_from": "2024-01-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    r = client.patch(
        "/api/org/responsibility/SCJ-2",
        {"name": "特种设备安全检查"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["version"] == 2


def test_bad_input_names_the_field_and_never_500s(client, people, org):
    client.force_login(people["qz_editor"])
    r = client.post(
        "/api/org/responsibility",
        {
            "code": "X",
            "name": "",
            "item_type": "行政许可",
            "legal_basis": "某法",
            "agency": "420200-SCJ",
            "effective_from": "2024-01-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 422 and "name" in r.json()["detail"]
    r = client.post(
        "/api/org/responsibility",
        {
            "code": "X",
            "name": "某",
            "item_type": "行政许可",
            "legal_basis": "某法",
            "agency": "420200-HBJ",
            "effective_from": "2024-01-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 404  # an agency outside one's scope looks missing
    r = client.post(
        "/api/org/responsibility", {"code": "X"}, content_type="application/json"
    )
    assert r.status_code == 422


def test_export_and_import_endpoints(client, people, item):
    client.force_login(people["qz_editor"])
    r = client.get("/api/org/responsibility.xlsx")
    assert r.status_code == 200
    assert load_workbook(io.BytesIO(r.content)).active["A2"].value == "SCJ-1"
    upload = io.BytesIO(r.content)
    upload.name = "list.xlsx"
    r = client.post("/api/org/responsibility/import", {"file": upload})
    assert r.status_code == 200 and r.json()["unchanged"] == 1
