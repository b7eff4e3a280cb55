"""Statuses derived by `relations_rebuild`: 已废止 (repealed by a decision)
and 失效 (expired or superseded) stay apart through versions."""

from datetime import date

import pytest

from fazhi.domains.laws.models import Document, Relation, Status
from fazhi.domains.laws.services.versions import relations_rebuild

pytestmark = pytest.mark.django_db


def doc(source_id: str, title: str, version: date, source_status: str) -> Document:
    return Document.objects.create(
        source_id=source_id,
        level="规范性文件",
        title=title,
        title_key=title,
        version_date=version,
        published=version,
        source_status=source_status,
        text="第一条 测试。",
        content_hash=source_id,
    )


def status(d: Document) -> str:
    d.refresh_from_db()
    return d.status


def test_source_repealed_is_repealed_even_as_an_older_version():
    # Repealed in a cleanup, then a new document of the same title published.
    repealed = doc("n:1", "黄石市某管理办法", date(2021, 3, 1), "已废止")
    newer = doc("n:2", "黄石市某管理办法", date(2026, 3, 1), "有效")
    assert relations_rebuild() == 2
    assert status(repealed) == Status.REPEALED
    assert status(newer) == Status.IN_FORCE
    assert Relation.objects.filter(
        source=newer, target=repealed, kind=Relation.Kind.AMEND
    ).exists()


def test_expired_stays_expired_and_is_not_called_repealed():
    expired = doc("n:3", "黄石市另一办法", date(2020, 1, 2), "失效")
    repealed = doc("n:4", "黄石市第三办法", date(2020, 1, 2), "已废止")
    relations_rebuild()
    assert status(expired) == Status.EXPIRED
    assert status(repealed) == Status.REPEALED
    assert relations_rebuild() == 0  # stable


def test_an_older_expired_version_is_amended():
    old = doc("n:5", "黄石市第四办法", date(2020, 1, 2), "失效")
    doc("n:6", "黄石市第四办法", date(2025, 1, 2), "有效")
    relations_rebuild()
    assert status(old) == Status.AMENDED


def test_repeal_relation_entered_by_hand_is_repealed():
    target = doc("n:7", "黄石市第五办法", date(2020, 1, 2), "有效")
    source = doc("n:8", "关于废止黄石市第五办法的决定", date(2025, 1, 2), "有效")
    Relation.objects.create(source=source, target=target, kind=Relation.Kind.REPEAL)
    relations_rebuild()
    assert status(target) == Status.REPEALED
    assert Relation.objects.filter(kind=Relation.Kind.REPEAL).count() == 1
