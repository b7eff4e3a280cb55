from datetime import date

import pytest

from fazhi.kernel.org.responsibility import responsibility_item_create


@pytest.fixture
def item(people, org):
    """A city market-regulation bureau licence item (SCJ-1), made by its editor."""
    return responsibility_item_create(
        actor=people["qz_editor"],
        code="SCJ-1",
        name="食品经营许可",
        item_type="行政许可",
        legal_basis="《食品安全法》第三十五条",
        agency=org["420200-SCJ"],
        effective_from=date(2024, 1, 1),
    )
