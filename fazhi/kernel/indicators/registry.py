"""The indicator registry: modules declare their indicators in code.

A domain app registers in its ``AppConfig.ready``::

    from fazhi.kernel.indicators.registry import register_indicator

    register_indicator(
        "hotline.on_time_rate", "12345 按时办结率", "%", ">=", target=95,
        source="metric", compute=on_time_rate,   # (agency, period) -> Decimal | None
        basis="《黄石市法治政府建设实施方案（2021-2025年）》二（五）",
    )

`sync_indicators()` (run after every migrate and by ``fazhi indicators sync``)
upserts the rows. Registration touches no database, so it is safe in ready().
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .models import Indicator

Compute = Callable[[Any, str], Decimal | None]

CODE_RE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    comparator: str
    target: Decimal | None
    source: str
    compute: Compute | None = field(default=None, compare=False)
    description: str = ""
    basis: str = ""
    amber_margin: Decimal = Decimal("0.1")

    def row_fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "comparator": self.comparator,
            "target": self.target,
            "source": self.source,
            "description": self.description,
            "basis": self.basis,
            "amber_margin": self.amber_margin,
            "is_active": True,
        }


_REGISTRY: dict[str, IndicatorSpec] = {}


def _decimal(value: Any, what: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ImproperlyConfigured(
            f"indicator {what} is not a number: {value!r}"
        ) from None
    if not result.is_finite():
        raise ImproperlyConfigured(f"indicator {what} is not finite: {value!r}")
    return result


def register_indicator(
    code: str,
    name: str,
    unit: str,
    comparator: str,
    target: Decimal | int | str | None = None,
    source: str = "metric",
    compute: Compute | None = None,
    *,
    description: str = "",
    basis: str = "",
    amber_margin: Decimal | str = "0.1",
) -> IndicatorSpec:
    """Declare an indicator. Registering the same spec twice is a no-op;
    a different spec under a taken code is a configuration error."""
    if not CODE_RE.fullmatch(code) or len(code) > 64:
        raise ImproperlyConfigured(f"indicator code {code!r}: use lower_case.dotted")
    if comparator not in Indicator.Comparator.values:
        raise ImproperlyConfigured(f"indicator {code}: comparator {comparator!r}")
    if source not in Indicator.Source.values:
        raise ImproperlyConfigured(f"indicator {code}: source {source!r}")
    if source == Indicator.Source.METRIC and not callable(compute):
        raise ImproperlyConfigured(f"metric indicator {code} needs a compute function")
    if source == Indicator.Source.MANUAL and compute is not None:
        raise ImproperlyConfigured(f"manual indicator {code} cannot have compute")
    spec = IndicatorSpec(
        code=code,
        name=name,
        unit=unit,
        comparator=comparator,
        target=None if target is None else _decimal(target, "target"),
        source=source,
        compute=compute,
        description=description,
        basis=basis,
        amber_margin=_decimal(amber_margin, "amber_margin"),
    )
    existing = _REGISTRY.get(code)
    if existing is not None and existing != spec:
        raise ImproperlyConfigured(
            f"indicator {code} is already registered differently"
        )
    if existing is None:
        _REGISTRY[code] = spec
    return _REGISTRY[code]


def registered() -> dict[str, IndicatorSpec]:
    """The registered indicators by code (a copy)."""
    return dict(_REGISTRY)


def get_spec(code: str) -> IndicatorSpec | None:
    return _REGISTRY.get(code)


def unregister(code: str) -> None:
    """Forget a registration (tests and app teardown only)."""
    _REGISTRY.pop(code, None)
