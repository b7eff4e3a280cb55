"""The public 权责清单: anyone reads the current items in force; both scripts."""

from datetime import date

from fazhi.kernel.org.responsibility import (
    responsibility_item_create,
    responsibility_item_revise,
)


def test_public_list_shows_current_items_and_searches_traditional(client, people, org):
    editor = people["qz_editor"]
    responsibility_item_create(
        actor=editor,
        code="P-1",
        name="食品经营许可",
        item_type="行政许可",
        legal_basis="《食品安全法》第三十五条",
        agency=org["420200-SCJ"],
        effective_from=date(2024, 1, 1),
    )
    ended = responsibility_item_create(
        actor=editor,
        code="P-2",
        name="已取消的事项",
        item_type="其他",
        legal_basis="某法",
        agency=org["420200-SCJ"],
        effective_from=date(2020, 1, 1),
    )
    responsibility_item_revise(actor=editor, item=ended, effective_to=date(2021, 1, 1))
    body = client.get("/quanze/").content.decode()
    assert "食品经营许可" in body and "已取消的事项" not in body
    assert "食品经营许可" in client.get("/quanze/", {"q": "食品經營"}).content.decode()
    none = client.get("/quanze/", {"q": "不存在", "type": "bogus", "page": "x"})
    assert none.status_code == 200 and "没有符合条件的事项" in none.content.decode()
    by_type = client.get("/quanze/", {"type": "行政处罚"}).content.decode()
    assert "食品经营许可" not in by_type
